import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { memoryIo } from './memory-io.js';

// The command line joins legs with the settings the service reads (CALLS_LEG_RULES,
// CALLS_CORRELATION_HEADERS): a trace whose B leg's Call-ID is the A leg's plus "-b2b" is one call only when
// the rule is set, as it would be in chat. test/fixtures/legs/README.md says how the trace was made.
const FIXTURE = join(import.meta.dirname, '../fixtures/legs/b2bua-suffix-503.txt');

async function triageJson(env: NodeJS.ProcessEnv): Promise<{ code: number; legs: { callIds: string[]; failedFirst?: string }[]; err: string }> {
  const m = memoryIo(env);
  const code = await runCli(['triage', FIXTURE, '--json'], m.io);
  return { code, legs: code === 0 ? (JSON.parse(m.out()) as { legs: { callIds: string[]; failedFirst?: string }[] }).legs : [], err: m.err() };
}

describe('siptriage triage reads how legs are joined from the environment', () => {
  it('joins the legs by a Call-ID suffix rule only when CALLS_LEG_RULES names it', async () => {
    expect((await triageJson({})).legs).toEqual([]);
    const joined = await triageJson({ CALLS_LEG_RULES: 'suffix:-b2b' });
    expect(joined.code).toBe(0);
    expect(joined.legs).toEqual([expect.objectContaining({ callIds: ['a1f3c9e27b5d4e80@192.0.2.10', 'a1f3c9e27b5d4e80-b2b@192.0.2.10'], failedFirst: 'a1f3c9e27b5d4e80-b2b@192.0.2.10' })]);
  });

  it('says in one line which setting is wrong, and triages nothing', async () => {
    const r = await triageJson({ CALLS_LEG_RULES: 'ends-with:-b2b' });
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toEqual([expect.stringMatching(/^siptriage: .*CALLS_LEG_RULES/)]);
  });
});
