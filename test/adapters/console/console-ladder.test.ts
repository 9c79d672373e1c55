import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../../../src/adapters/console/console-adapter.js';
import { createEngine } from '../../../src/core/engine.js';
import { defaultKnowledge } from '../../../src/knowledge/load-knowledge.js';

async function session(paste: string): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (d: Buffer) => (text += d.toString()));
  const adapter = new ConsoleAdapter(createEngine(defaultKnowledge()), { input, output, color: false, pasteWindowMs: 20 });
  const done = adapter.start();
  input.end(paste);
  await done;
  return text;
}

const raw = (set: string): string => readFileSync(new URL(`../../fixtures/traces/raw/${set}.sip`, import.meta.url), 'utf8');

describe('console adapter', () => {
  it('shows the ladder of the failing call under the cards', async () => {
    const out = await session(raw('15-kamailio-503'));
    const lines = out.split('\n');
    const start = lines.indexOf('Call 1 of 1: INVITE → 500 Service Unavailable (was 503 Service Unavailable downstream) (failed)');
    expect(start).toBeGreaterThan(0);
    expect(lines[start + 1]).toBe('Call-ID 1-d1ee88c7fa39da79@uac.example.com');
    expect(lines[start + 4]?.trim().split(/\s+/)).toEqual(['127.0.0.1:5215', '127.0.0.1:5160', '127.0.0.1:5115']);
    expect(lines.slice(start).filter((l) => l.includes('✖ failure'))).toHaveLength(2);
    expect(out.indexOf('Call 1 of 1:')).toBeGreaterThan(out.indexOf('SIP trace: 1 call, 1 failed'));
  });

  it('shows no ladder when every call succeeded', async () => {
    const out = await session(raw('01-success-200'));
    expect(out).toContain('SIP trace: 2 calls, 0 failed');
    expect(out).not.toContain('Call 1 of');
  });
});
