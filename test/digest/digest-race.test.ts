import { spawn } from 'node:child_process';
import { Cron } from 'croner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../adapters/slack/fake-slack-api.js';
import type { Store } from '../../src/ports/store.js';
import { PG_SKIP_REASON, PG_URL, postgresStores, sqliteStores, type TestStores } from './digest-store.js';
import { events } from './seed-week.js';

const TOKEN = 'xoxb-digest-race-test';
const CHANNEL = 'C0RACE0001';
// Once a year, so both processes agree on the latest scheduled time whenever the test runs.
const CRON = '0 9 1 1 *';

interface Run {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** `siptriage digest --post --json` in a process of its own, as a cron job or a second replica would run it. */
function digestPost(env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'digest', '--post', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

interface Engine {
  readonly name: string;
  readonly stores: () => TestStores;
  /** DATABASE_URL the child processes get for the same database. */
  readonly url: (stores: TestStores) => string;
  readonly skip?: boolean;
}

const engines: readonly Engine[] = [
  // Two processes on one SQLite file: the claim is a write transaction, so one of them waits for the other.
  { name: 'SQLite', stores: sqliteStores, url: (s) => `sqlite:${(s as TestStores & { path: string }).path}` },
  {
    name: PG_URL === undefined ? `PostgreSQL (${PG_SKIP_REASON})` : 'PostgreSQL',
    skip: PG_URL === undefined,
    stores: () => postgresStores(PG_URL ?? ''),
    url: (s) => {
      const url = new URL(PG_URL ?? '');
      url.searchParams.set('schema', (s as TestStores & { schema: string }).schema);
      return url.toString();
    },
  },
];

for (const engine of engines) describe.skipIf(engine.skip === true)(`two processes racing for the same digest in ${engine.name}`, () => {
  let stores: TestStores;
  let store: Store;
  const slack = new FakeSlackApi(TOKEN);

  beforeAll(async () => {
    stores = engine.stores();
    // Migrated and seeded before the race, so that the two processes meet only at the claim.
    store = await stores.open();
    const at = new Cron(CRON, { timezone: 'UTC', paused: true }).previousRuns(1)[0]?.getTime() ?? 0;
    await store.recordEvents(events([{ at: at - 5 * 3_600_000, n: 25, code: 503, peer: '203.0.113.7' }]));
    await slack.start();
  });
  afterAll(async () => {
    await slack.stop();
    await stores.cleanup();
  });

  it('posts exactly once: one process posts, the other finds the digest claimed', async () => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      DATABASE_URL: engine.url(stores),
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: 'digest-race-signing-secret',
      SLACK_API_URL: slack.apiUrl,
      DIGEST_SLACK_CHANNELS: CHANNEL,
      DIGEST_CRON: CRON,
      DIGEST_TZ: 'UTC',
    };
    const runs = await Promise.all([digestPost(env), digestPost(env)]);
    for (const r of runs) expect(r.code, r.err).toBe(0);
    const results = runs.map((r) => (JSON.parse(r.out) as { outcomes: { destination: string; result: string }[] }).outcomes);
    expect(results.flat().map((o) => `${o.destination} ${o.result}`).sort()).toEqual([`slack:${CHANNEL} posted`, `slack:${CHANNEL} skipped`]);
    expect(slack.callsTo('chat.postMessage').map((c) => c.args['channel'])).toEqual([CHANNEL]);
    expect(String(slack.callsTo('chat.postMessage')[0]?.args['text'])).toMatch(/^SIP digest: .*: 25 failed calls/);
    // The chart went up once, with the one post.
    expect(slack.callsTo('files.getUploadURLExternal')).toHaveLength(1);
  });
});
