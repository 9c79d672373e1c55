import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDigest } from '../../src/cli/digest-command.js';
import type { CliIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/run-cli.js';
import { runStats } from '../../src/cli/stats-command.js';
import { openStore } from '../../src/store/open-store.js';
import { FakeSlackApi } from '../adapters/slack/fake-slack-api.js';
import { SCHEDULED, seed } from '../digest/seed-week.js';
import { memoryIo } from './memory-io.js';

const dir = mkdtempSync(join(tmpdir(), 'siptriage-cli-digest-'));
const DB = join(dir, 'store.db');
const TOKEN = 'xoxb-cli-digest-test';

function io(env: NodeJS.ProcessEnv = {}): { io: CliIo; out: () => string; err: () => string } {
  return memoryIo({ DATABASE_URL: `sqlite:${DB}`, ...env });
}

beforeAll(async () => {
  const store = await openStore({ kind: 'sqlite', path: DB });
  await seed(store);
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('siptriage stats', () => {
  it('prints the stats card from the configured store', async () => {
    const r = io();
    expect(await runStats(['24h', 'code'], r.io, SCHEDULED - 1)).toBe(0);
    const lines = r.out().split('\n');
    expect(lines[0]).toBe('SIP errors, the last 24 hours, by code');
    expect(lines[1]).toBe('68 failed calls in the last 24 hours: +423% against the 24 hours before (13).');
    expect(r.out()).toContain('  - 503 Service Unavailable: 50 (was 10, +400%)');
  });

  it('prints the model with --json', async () => {
    const r = io();
    expect(await runStats(['7d', 'peer', '--json'], r.io, SCHEDULED - 1)).toBe(0);
    const model = JSON.parse(r.out()) as { range: string; by: string; rows: { key: string; count: number }[] };
    expect(model).toMatchObject({ range: '7d', by: 'peer' });
    expect(model.rows[0]).toEqual({ key: '203.0.113.7', count: 111, previous: 10 });
  });

  it('exits 2 on a range or breakdown it does not know', async () => {
    const r = io();
    expect(await runCli(['stats', 'fortnight'], r.io)).toBe(2);
    expect(r.err()).toContain('"fortnight" is not a stats range');
  });
});

describe('siptriage digest', () => {
  it('prints the digest card, and the model with --json', async () => {
    const text = io();
    expect(await runDigest([], text.io, SCHEDULED)).toBe(0);
    expect(text.out()).toMatch(/^SIP digest: Wed 25 Nov 2026\n68 failed calls in the 24 hours to 09:00/);
    const json = io();
    expect(await runDigest(['--json'], json.io, SCHEDULED)).toBe(0);
    expect(JSON.parse(json.out())).toMatchObject({ failures: 68, spikes: [{ count: 40, usual: 3 }] });
  });

  it('covers fewer hours with --since, and refuses more than a day', async () => {
    const six = io();
    expect(await runDigest(['--since', '6h', '--json'], six.io, SCHEDULED)).toBe(0);
    expect((JSON.parse(six.out()) as { hours: unknown[] }).hours).toHaveLength(6);
    const bad = io();
    expect(await runDigest(['--since', '3d'], bad.io, SCHEDULED)).toBe(2);
    expect(bad.err()).toContain('--since takes 1h to 24h');
  });

  describe('--post', () => {
    const slack = new FakeSlackApi(TOKEN);
    beforeAll(() => slack.start());
    afterAll(() => slack.stop());
    const env = (): NodeJS.ProcessEnv => ({
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: 'cli-digest-signing-secret',
      SLACK_API_URL: slack.apiUrl,
      DIGEST_SLACK_CHANNELS: 'C0CLIDIGEST',
    });

    it('posts the latest scheduled digest with its chart, then says it is already posted', async () => {
      const first = io(env());
      // 09:20: the 09:00 digest is the latest scheduled one.
      expect(await runDigest(['--post'], first.io, SCHEDULED + 20 * 60_000)).toBe(0);
      expect(first.out()).toMatch(/^slack:C0CLIDIGEST {2}2026-11-25 {2}posted \(\d+\.\d+\)\n$/);
      const posts = slack.callsTo('chat.postMessage');
      expect(posts.map((c) => c.args['channel'])).toEqual(['C0CLIDIGEST']);
      expect(String(posts[0]?.args['text'])).toMatch(/^SIP digest: Wed 25 Nov 2026: 68 failed calls/);
      expect(slack.callsTo('files.getUploadURLExternal')).toHaveLength(1);

      const again = io(env());
      expect(await runDigest(['--post'], again.io, SCHEDULED + 30 * 60_000)).toBe(0);
      expect(again.out()).toBe('slack:C0CLIDIGEST  2026-11-25  already posted (or being posted by another process)\n');
      expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    });

    it('needs a chat platform to post to', async () => {
      const r = io();
      expect(await runDigest(['--post'], r.io, SCHEDULED)).toBe(2);
      expect(r.err()).toContain('--post needs Slack');
    });
  });
});

describe('siptriage triage --record', () => {
  it('counts the capture\'s calls in the store once, however often it is recorded', async () => {
    const file = fileURLToPath(new URL('../fixtures/captures/02-busy-486.pcap', import.meta.url));
    const first = io();
    expect(await runCli(['triage', file, '--record'], first.io)).toBe(0);
    expect(first.out()).toContain('486 Busy Here');
    expect(first.err()).toBe('Recorded 1 call in the store.\n');
    const again = io();
    expect(await runCli(['triage', file, '--record', '--json'], again.io)).toBe(0);
    expect(again.err()).toBe('Recorded 0 calls in the store (1 already there).\n');
    const store = await openStore({ kind: 'sqlite', path: DB });
    try {
      const rows = await store.counts({ from: 0, to: Date.now() + 86_400_000, by: ['code', 'kind'], kinds: ['failure'] });
      expect(rows.filter((r) => r.code === 486).reduce((n, r) => n + r.count, 0)).toBe(7 * 3 + 5 + 1);
    } finally {
      await store.close();
    }
  });
});
