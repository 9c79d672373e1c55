import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createTriageRunner, triageOutcome } from '../../src/app/triage-pool.js';
import { type TriageRunner } from '../../src/ports/triage-runner.js';
import { createEngine } from '../../src/core/engine.js';
import { buildShareBundle } from '../../src/core/share/share-bundle.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';

const engine = createEngine(loadKnowledge());
const log = pino({ level: 'silent' });
const TRACES = join(import.meta.dirname, '../fixtures/traces');
const runners: TriageRunner[] = [];

afterAll(async () => {
  await Promise.all(runners.map((r) => r.close()));
});

describe('triage runner', () => {
  it('gives in a worker thread the same cards and call events as in-thread', async () => {
    const pool = createTriageRunner(engine, 1, log);
    runners.push(pool);
    expect(pool.threads).toBe(1);
    const text = readFileSync(join(TRACES, 'slack/15-kamailio-503.txt'), 'utf8');
    const [a, b] = await Promise.all([pool.run({ kind: 'text', text }, 1000), pool.run({ kind: 'bytes', bytes: new TextEncoder().encode(text), filename: 'k.txt' }, 1000)]);
    const local = triageOutcome(engine, { kind: 'text', text }, 1000);
    expect(a).toEqual(local);
    expect(b.summary).toEqual(local.summary);
    expect(a.events[0]).toMatchObject({ kind: 'failure', method: 'INVITE' });
  });

  it('runs in-thread with 0 workers', async () => {
    const inline = createTriageRunner(engine, 0, log);
    expect(inline.threads).toBe(0);
    const outcome = await inline.run({ kind: 'text', text: readFileSync(join(TRACES, 'raw/02-busy-486.sip'), 'utf8') });
    expect(outcome.summary.title).toBe('SIP trace: 1 call, 1 failed');
    expect(outcome.events).toMatchObject([{ kind: 'failure', code: 486, q850: 17 }]);
  });

  it('draws the failing calls\' ladder beside the cards, and none when every call worked', async () => {
    const inline = createTriageRunner(engine, 0, log);
    const failed = await inline.run({ kind: 'text', text: readFileSync(join(TRACES, 'raw/02-busy-486.sip'), 'utf8') });
    expect(failed.ladder?.svg).toMatch(/^<svg /);
    expect(failed.ladder?.alt).toBe('Call flow: INVITE → 486 Busy Here (failed)');
    const fine = await inline.run({ kind: 'text', text: readFileSync(join(TRACES, 'raw/01-success-200.sip'), 'utf8') });
    expect(fine.ladder).toBeUndefined();
  });

  it('builds a share bundle in a worker thread equal to one built in-thread, masked as the engine is configured', async () => {
    const masked = createEngine(loadKnowledge(), { ...engine.options, redact: { numbers: true, addresses: true } });
    const pool = createTriageRunner(masked, 1, log);
    runners.push(pool);
    const text = readFileSync(join(TRACES, 'raw/15-kamailio-503.sip'), 'utf8');
    const bundle = await pool.share({ kind: 'text', text }, 'kamailio.sip');
    expect(bundle).toEqual(buildShareBundle(masked.triage(text).report, { redact: { numbers: true, addresses: true }, source: 'kamailio.sip' }));
    // call.pcap crosses the thread boundary as bytes.
    expect(bundle.files.map((f) => f.name)).toEqual(['summary.md', 'trace.txt', 'call.pcap', 'ladder.txt', 'ladder.mmd', 'ladder.svg']);
    expect(bundle.files[2]?.content).toBeInstanceOf(Uint8Array);
    expect(String(bundle.files[1]?.content)).not.toContain('+15555550503');
  });

  it('masks numbers and addresses in a share bundle by default, with REDACT_* off, and keeps them only when asked', async () => {
    const open = createEngine(loadKnowledge(), { ...engine.options, redact: { numbers: false, addresses: false } });
    const pool = createTriageRunner(open, 0, log);
    runners.push(pool);
    const text = readFileSync(join(TRACES, 'raw/15-kamailio-503.sip'), 'utf8');
    const masked = await pool.share({ kind: 'text', text }, undefined);
    expect(masked.redaction).toEqual({ numbers: true, addresses: true });
    expect(String(masked.files[1]?.content)).not.toContain('+15555550503');
    const kept = await pool.share({ kind: 'text', text }, undefined, { numbers: true, addresses: true });
    expect(kept.redaction).toEqual({ numbers: false, addresses: false });
    expect(String(kept.files[1]?.content)).toContain('+15555550503');
    // What the operator masks in every answer stays masked whatever the person sharing chooses.
    const strict = createTriageRunner(createEngine(loadKnowledge(), { ...engine.options, redact: { numbers: true, addresses: false } }), 0, log);
    runners.push(strict);
    expect((await strict.share({ kind: 'text', text }, undefined, { numbers: true, addresses: true })).redaction).toEqual({ numbers: true, addresses: false });
  });

  it('draws a PNG on a worker thread, and rejects an SVG resvg cannot read', async () => {
    const pool = createTriageRunner(engine, 1, log);
    runners.push(pool);
    const outcome = await pool.run({ kind: 'text', text: readFileSync(join(TRACES, 'raw/02-busy-486.sip'), 'utf8') });
    const png = await pool.rasterize(outcome.ladder?.svg ?? '', 1);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await expect(pool.rasterize('<svg broken', 1)).rejects.toMatchObject({ code: 'TRIAGE_WORKER_FAILED', message: 'could not draw the SVG as PNG' });
  });

  it('runs a waiting triage before waiting pictures', async () => {
    const pool = createTriageRunner(engine, 1, log);
    runners.push(pool);
    const text = readFileSync(join(TRACES, 'raw/02-busy-486.sip'), 'utf8');
    const svg = (await createTriageRunner(engine, 0, log).run({ kind: 'text', text })).ladder?.svg ?? '';
    // Submitted together while the worker starts, so all four wait in the pool's queues.
    const done: string[] = [];
    const pictures = [1, 2, 3].map((i) => pool.rasterize(svg, 1).then(() => done.push(`png ${i}`)));
    const triage = pool.run({ kind: 'text', text }).then(() => done.push('triage'));
    await Promise.all([...pictures, triage]);
    expect(done).toEqual(['triage', 'png 1', 'png 2', 'png 3']);
  });

  it('rejects work after close instead of hanging', async () => {
    const pool = createTriageRunner(engine, 1, log);
    await pool.close();
    await expect(pool.run({ kind: 'text', text: 'SIP/2.0 503 x' })).rejects.toMatchObject({ code: 'TRIAGE_WORKER_FAILED' });
  });
});
