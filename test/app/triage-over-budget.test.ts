import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createTriageRunner } from '../../src/app/triage-pool.js';
import { createEngine, DEFAULT_ENGINE_OPTIONS } from '../../src/core/engine.js';
import { defaultKnowledge } from '../../src/knowledge/load-knowledge.js';
import { TRIAGE_OVER_BUDGET } from '../../src/ports/triage-runner.js';
import { bigTextTrace, ONE_CALL } from './big-text-trace.js';

// The budget a triage thread gets (TRIAGE_WORKER_MEMORY_MB, here its smallest allowed value) is enforced by
// the thread's resourceLimits: a text trace of 8 MiB, let through by a raised trace limit, needs far more heap
// than 64 MiB to parse and group.
describe('a triage over its memory budget', () => {
  it('is refused with TRIAGE_OVER_BUDGET, and the replaced thread triages the next trace', { timeout: 180_000 }, async () => {
    const lines: Record<string, unknown>[] = [];
    const log = pino({ base: null }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
    const engine = createEngine(defaultKnowledge(), { ...DEFAULT_ENGINE_OPTIONS, maxTraceBytes: 64 * 1024 * 1024 });
    const pool = createTriageRunner(engine, 1, log, { workerMemoryMb: 64 });
    try {
      const big = Buffer.from(bigTextTrace(8));
      await expect(pool.run({ kind: 'bytes', bytes: big, filename: 'big.sip' })).rejects.toMatchObject({ code: TRIAGE_OVER_BUDGET });
      expect(lines.filter((l) => l['msg'] === 'triage worker went over its memory budget and was replaced')).toHaveLength(1);
      expect(pool.threads).toBe(1);
      const next = await pool.run({ kind: 'text', text: ONE_CALL });
      expect(next.summary.title).toBe('SIP trace: 1 call, 1 failed');
    } finally {
      await pool.close();
    }
  });

  it('runs the work in-thread after three threads run out of memory before they are ready, instead of respawning for ever', { timeout: 120_000 }, async () => {
    const lines: Record<string, unknown>[] = [];
    const log = pino({ base: null }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
    // 4 MiB: too little for a thread to load the knowledge base.
    const pool = createTriageRunner(createEngine(defaultKnowledge()), 1, log, { workerMemoryMb: 4 });
    try {
      const outcome = await pool.run({ kind: 'text', text: ONE_CALL });
      expect(outcome.summary.title).toBe('SIP trace: 1 call, 1 failed');
      expect(lines.filter((l) => l['msg'] === 'triage worker went over its memory budget and was replaced')).toHaveLength(4);
    } finally {
      await pool.close();
    }
  });
});
