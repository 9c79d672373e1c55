import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { CaptureJobs } from '../../src/app/capture-jobs.js';
import { createTriageRunner, MAX_OUTCOME_EVENTS, triageOutcome } from '../../src/app/triage-pool.js';
import { createEngine } from '../../src/core/engine.js';
import { defaultKnowledge } from '../../src/knowledge/load-knowledge.js';
import { writeManyCallsCapture } from '../core/capture/many-calls-capture.js';

describe('capture jobs', () => {
  it('admits up to the limit, refuses one more, and frees a place once per release', () => {
    const jobs = new CaptureJobs(2);
    const a = jobs.admit();
    const b = jobs.admit();
    expect(a).toBeTypeOf('function');
    expect(b).toBeTypeOf('function');
    expect(jobs.admit()).toBeUndefined();
    a?.();
    a?.();
    expect(jobs.running).toBe(1);
    expect(jobs.admit()).toBeTypeOf('function');
    expect(jobs.admit()).toBeUndefined();
  });

  it('are claimed through the triage runner, in-thread as with worker threads', async () => {
    const runner = createTriageRunner(createEngine(defaultKnowledge()), 0, pino({ level: 'silent' }), { captureJobs: 1 });
    const release = runner.admitCapture?.();
    expect(release).toBeTypeOf('function');
    expect(runner.admitCapture?.()).toBeUndefined();
    release?.();
    expect(runner.admitCapture?.()).toBeTypeOf('function');
    await runner.close();
  });
});

describe('a triage answer of a capture with many calls', () => {
  it('carries at most 10,000 store events across the thread boundary and counts the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'siptriage-outcome-'));
    try {
      await writeManyCallsCapture(join(dir, 'many.pcap'), 12_000);
      const bytes = readFileSync(join(dir, 'many.pcap'));
      const outcome = triageOutcome(createEngine(defaultKnowledge()), { kind: 'bytes', bytes, filename: 'many.pcap' }, Date.now());
      expect(outcome.events).toHaveLength(MAX_OUTCOME_EVENTS);
      expect(outcome.uncounted).toBe(2_000);
      expect(outcome.messages).toBe(24_000);
      expect(outcome.summary.title).toBe('SIP trace: 12000 calls, 6000 failed');
      expect(JSON.stringify(outcome).length).toBeLessThan(4 * 1024 * 1024);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
