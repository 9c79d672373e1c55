import { describe, expect, it } from 'vitest';
import { callEvents } from '../../../src/core/triage/call-events.js';
import { liveCallEvents } from '../../../src/core/triage/live-events.js';
import { triageMessages } from '../../../src/core/triage/triage.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';
import { RAW_SETS, rawMessages } from '../../ingest/raw-fixtures.js';

const kb = loadKnowledge();

describe('liveCallEvents', () => {
  it.each(RAW_SETS)('records exactly what a pasted trace records (%s)', (set) => {
    const messages = rawMessages(set);
    const seenAt = Date.UTC(2026, 10, 25, 12);
    expect(liveCallEvents(kb, messages, seenAt)).toEqual(callEvents(triageMessages(kb, messages), seenAt));
  });

  it.each(RAW_SETS)('counts the same calls with findings off, for shedding load (%s)', (set) => {
    const messages = rawMessages(set);
    const full = liveCallEvents(kb, messages, 0);
    const counted = liveCallEvents(kb, messages, 0, { findings: false });
    expect(counted.map(({ findings: _, ...rest }) => rest)).toEqual(full.map(({ findings: _, ...rest }) => rest));
    expect(counted.flatMap((e) => e.findings).every((f) => f === 'transaction-timeout')).toBe(true);
  });

  it('records nothing for a registration that succeeds after a challenge', () => {
    const messages = rawMessages('06-register-401-rejected').slice(0, 2);
    expect(messages.map((m) => m.status ?? m.method)).toEqual(['REGISTER', 401]);
    expect(liveCallEvents(kb, messages, 0)).toEqual([]);
  });
});
