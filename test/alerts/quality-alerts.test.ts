import { describe, expect, it } from 'vitest';
import type { AlertConfig } from '../../src/alerts/alert-config.js';
import { MemoryAlertSettings } from '../../src/alerts/alert-settings.js';
import { AlertService } from '../../src/alerts/alert-service.js';
import { isQualityResolved, isQualitySpike, qualityKey } from '../../src/alerts/spike-keys.js';
import { createLogger } from '../../src/app/logger.js';
import type { ChannelRef } from '../../src/core/chat-port.js';
import { parseQuery } from '../../src/core/query/parse-query.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { RecordingPoster } from './recording-poster.js';

const config: AlertConfig = { windowMs: 5 * 60_000, minCount: 10, ratio: 3, timeZone: 'UTC' };
const ops: ChannelRef = { platform: 'slack', workspace: 'T1', channel: 'C-ops' };
const t = { minCount: 10, ratio: 3 };

describe('the poor-audio spike key', () => {
  it('is per peer, and needs a peer', () => {
    expect(qualityKey('203.0.113.9')).toBe('quality:203.0.113.9');
    expect(qualityKey(null)).toBeUndefined();
    expect(qualityKey('')).toBeUndefined();
  });

  it('spikes on the share of the peer\'s calls under MOS 3.6 (20 %), with at least the channel\'s minimum count', () => {
    expect(isQualitySpike(10, 50, t)).toBe(true);
    expect(isQualitySpike(10, 51, t)).toBe(false);
    expect(isQualitySpike(9, 9, t)).toBe(false);
    // Resolved only well below: under half the minimum, or under half the share.
    expect(isQualityResolved(6, 50, t)).toBe(false);
    expect(isQualityResolved(4, 50, t)).toBe(true);
    expect(isQualityResolved(6, 61, t)).toBe(true);
  });
});

describe('AlertService: poor audio', () => {
  it('posts a poor-audio incident for a peer when its share of calls under MOS 3.6 is high, and clears when it drops', async () => {
    let now = Date.UTC(2026, 10, 25, 14, 0);
    const poster = new RecordingPoster();
    const alerts = new AlertService({ config, kb: loadKnowledge(), log: createLogger({ level: 'silent', pretty: false }), settings: new MemoryAlertSettings(), persistent: false, now: () => now });
    alerts.attachPoster(poster);
    const q = parseQuery('/sip alerts subscribe');
    if (q.kind !== 'alerts') throw new Error('query');
    await alerts.command(ops, q.command);
    const calls = (n: number, mos: number, peer = '203.0.113.9'): void => {
      for (let i = 0; i < n; i++) alerts.observeQuality({ peer, time: now, quality: { mos } });
    };
    const tick = async (ms: number): Promise<void> => {
      now += ms;
      await alerts.evaluate();
      await alerts.settled();
    };
    // A warm start: one window of good calls.
    calls(30, 4.3);
    await tick(5 * 60_000 + 1000);
    expect(poster.calls).toHaveLength(0);
    // A busy peer with a few bad calls is no incident (8 of 108); one where 12 of 40 are bad is.
    calls(100, 4.2, '198.51.100.7');
    calls(8, 2.9, '198.51.100.7');
    calls(28, 4.1);
    calls(12, 3.2);
    await tick(1000);
    expect(poster.calls.map((c) => c.op)).toEqual(['post']);
    const card = poster.calls[0]!.message.cards[0]!;
    expect(card.title).toBe('Spike: Poor audio with 203.0.113.9');
    expect(card.summary).toBe('12 of 40 calls with a quality report had poor audio (MOS < 3.6) in the last 5 min.');
    expect(card.tone).toBe('warning');
    expect(card.fields.map((f) => f.label)).not.toContain('Usual');
    expect(card.fields.find((f) => f.label === 'Calls with a report')?.value).toBe('40 in 5 min');
    expect(card.fields.find((f) => f.label === 'Spiking')?.value).toBe('calls with 203.0.113.9 under MOS 3.6');
    // Calls only ever from reports with no peer count nowhere.
    alerts.observeQuality({ peer: null, time: now, quality: { mos: 1.5 } });
    // The window slides past the bad calls: resolved, with a threaded reply.
    await tick(5 * 60_000 + 1000);
    expect(poster.calls.map((c) => c.op)).toEqual(['post', 'update', 'reply']);
    expect(poster.calls[1]!.message.cards[0]!.title).toBe('Resolved: Poor audio with 203.0.113.9');
  });
});
