import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { WATCH_LIMITS } from '../../src/core/probe/watch-request.js';
import { loadWatches } from '../../src/probes/probe-files.js';
import { answerWatch } from '../../src/probes/watch-commands.js';
import { openStore } from '../../src/store/open-store.js';

const dir = mkdtempSync(join(tmpdir(), 'siptriage-probes-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('configured watches (PROBES, PROBES_FILE)', () => {
  it('reads both, and refuses at start-up, in one line, a target the allow-list leaves out', () => {
    const file = join(dir, 'probes.txt');
    writeFileSync(file, '# trunks\nsip:sbc.example.net 30s --transport tcp\n');
    const policy = { allow: ['*.example.net'], allowPrivate: false };
    const ok = loadWatches({ watches: 'sip:pbx.example.net 1m', watchesFile: file }, policy, WATCH_LIMITS);
    expect(ok.ok && ok.value.map((s) => `${s.target} ${s.intervalMs}`)).toEqual(['sip:pbx.example.net 60000', 'sip:sbc.example.net;transport=tcp 30000']);
    expect(loadWatches({ watches: 'sip:pbx.example.net, 10.0.0.5' }, policy, WATCH_LIMITS)).toEqual({
      ok: false,
      problem: { code: 'probe-address-private', message: 'PROBES: 10.0.0.5 is a private address, and probes to non-public addresses are off here (PROBE_ALLOW_PRIVATE=false).' },
    });
    expect(loadWatches({ watchesFile: join(dir, 'missing.txt') }, policy, WATCH_LIMITS)).toMatchObject({ ok: false, problem: { message: `PROBES_FILE: cannot read ${join(dir, 'missing.txt')} (ENOENT)` } });
  });

  it('names PROBES and its bad entry when the environment is read, and takes PROBE_DOWN_AFTER and REG_DROP_*', () => {
    const bad = loadConfig({ PROBES: 'sip:pbx.example.com 1m, sip:x.example.com 5s' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/^Invalid PROBES: entry 2: A watched target is probed at most every 10 s; 5s is shorter than that\. /);
    const good = loadConfig({ PROBES: 'sip:pbx.example.com 1m', PROBE_DOWN_AFTER: '5', REG_DROP_SHARE: '0.5', REG_DROP_MINUTES: '10' });
    if (!good.ok) throw new Error(good.error);
    expect(good.config.probes).toMatchObject({ watches: 'sip:pbx.example.com 1m', downAfter: 5, registrations: { dropShare: 0.5, dropWindowMs: 600_000 } });
    expect(loadConfig({ REG_DROP_SHARE: '1.5' }).ok).toBe(false);
  });

  it('answers a watch typed in the console with one sentence: watching belongs to a channel', async () => {
    const store = await openStore({ kind: 'sqlite', path: ':memory:' });
    if (store.probes === undefined) throw new Error('no probe store');
    const r = await answerWatch({ store: store.probes, policy: { allow: ['*'], allowPrivate: false }, limits: WATCH_LIMITS, downAfter: 3 }, { action: 'list' }, undefined);
    expect(r.isError).toBe(true);
    expect(r.cards[0]?.summary).toBe('Watching is done from a chat channel, which hears when a target goes down; here, set PROBES in the configuration.');
    await store.close();
  });
});
