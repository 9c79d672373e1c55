import { describe, expect, it } from 'vitest';
import { TopPeers } from '../../src/app/top-peers.js';

describe('TopPeers', () => {
  it('labels the busiest peers after a refresh and keeps the rest as "other"', () => {
    const peers = new TopPeers(2);
    for (let i = 0; i < 50; i++) peers.label('198.51.100.1');
    for (let i = 0; i < 30; i++) peers.label('198.51.100.2');
    for (let i = 0; i < 5; i++) peers.label('198.51.100.3');
    expect(peers.label('198.51.100.1')).toBe('other');
    peers.refresh();
    expect([...peers.labelled]).toEqual(['198.51.100.1', '198.51.100.2']);
    expect(peers.label('198.51.100.1')).toBe('198.51.100.1');
    expect(peers.label('198.51.100.3')).toBe('other');
    expect(peers.label(null)).toBe('unknown');
  });

  it('never takes a label back (counters must stay monotonic) and stays bounded under a flood of peers', () => {
    const peers = new TopPeers(3, 100);
    peers.label('a');
    peers.refresh();
    for (let i = 0; i < 100_000; i++) peers.label(`203.0.113.${i % 250}.${i}`);
    peers.refresh();
    expect(peers.labelled.has('a')).toBe(true);
    expect(peers.labelled.size).toBe(3);
  });
});
