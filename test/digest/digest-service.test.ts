import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.js';
import { createMetrics } from '../../src/app/metrics.js';
import type { ChannelRef, ChatPoster, OutgoingMessage, PostedMessage } from '../../src/core/chat-port.js';
import { parseStatsQuery } from '../../src/core/query/stats-query.js';
import { DigestService, type DigestServiceOptions } from '../../src/digest/digest-service.js';
import { defaultKnowledge } from '../../src/knowledge/load-knowledge.js';
import type { Store } from '../../src/ports/store.js';
import { RecordingPoster } from '../alerts/recording-poster.js';
import { decodePng } from '../render/png-reader.js';
import { PG_SKIP_REASON, PG_URL, postgresStores, sqliteStores, type TestStores } from './digest-store.js';
import { events, FROM, SCHEDULED, seed } from './seed-week.js';

const kb = defaultKnowledge();
const log = createLogger({ level: 'silent', pretty: false });
const H = 3_600_000;
const SLACK: ChannelRef = { platform: 'slack', workspace: '', channel: 'C0DIGEST01' };
const DISCORD: ChannelRef = { platform: 'discord', workspace: '', channel: '123456789012345678' };
const config = { cron: '0 9 * * *', timeZone: 'UTC', channels: [SLACK, DISCORD] } as const;
const fast = { attempts: 3, firstDelayMs: 5 } as const;

function service(store: Store, o: Partial<DigestServiceOptions> = {}): DigestService {
  return new DigestService({ store, kb, config, log, retry: fast, ...o });
}

/** A platform that refuses the first `failures` posts (an outage), then takes them. */
class FlakyPoster implements ChatPoster {
  readonly platform: ChannelRef['platform'];
  readonly inner: RecordingPoster;
  attempts = 0;
  constructor(platform: ChannelRef['platform'], public failures: number) {
    this.platform = platform;
    this.inner = new RecordingPoster(platform);
  }
  async post(ref: ChannelRef, message: OutgoingMessage): Promise<PostedMessage> {
    this.attempts++;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('platform unavailable (503)');
    }
    return this.inner.post(ref, message);
  }
  update(posted: PostedMessage, message: OutgoingMessage): Promise<void> {
    return this.inner.update(posted, message);
  }
}

const engines: readonly { readonly name: string; readonly make: () => TestStores; readonly skip: boolean }[] = [
  { name: 'SQLite', make: sqliteStores, skip: false },
  { name: PG_URL === undefined ? `PostgreSQL (${PG_SKIP_REASON})` : 'PostgreSQL', make: () => postgresStores(PG_URL ?? ''), skip: PG_URL === undefined },
];

for (const { name, make, skip } of engines) describe.skipIf(skip)(`digest over a seeded week in ${name}`, () => {
  let stores: TestStores;
  let store: Store;
  beforeAll(async () => {
    stores = make();
    store = await stores.open();
    await seed(store);
  });
  afterAll(() => stores.cleanup());

  it('finds the known answers: totals, top codes with both deltas, new codes, peers, ASR and the spike', async () => {
    const m = await service(store).digest(SCHEDULED);
    expect(m.period).toEqual({ from: FROM, to: SCHEDULED });
    expect(m.historyDays).toBe(7);
    expect(m.failures).toBe(68);
    expect(m.byClass).toEqual({ '4xx': 18, '5xx': 50, '6xx': 0, other: 0 });
    expect(m.timeouts).toBe(4);
    expect(m.asr).toEqual({ answered: 900, failed: 66, cancelled: 12, ratio: 900 / 966 });
    expect(m.topCodes).toEqual([
      { code: 503, count: 50, previousDay: 10, weekAverage: 10 },
      { code: 477, count: 6, previousDay: 0, weekAverage: 0 },
      { code: 486, count: 5, previousDay: 3, weekAverage: 3 },
      { code: 408, count: 4, previousDay: 0, weekAverage: 0 },
      { code: 403, count: 2, previousDay: 0, weekAverage: 0 },
      { code: 480, count: 1, previousDay: 0, weekAverage: 0 },
    ]);
    expect(m.previousDay).toBe(13);
    expect(m.weekAverage).toBe(13);
    expect(m.newCodes).toEqual([
      { code: 477, count: 6 },
      { code: 408, count: 4 },
      { code: 403, count: 2 },
    ]);
    expect(m.topPeers).toEqual([
      { peer: '203.0.113.7', count: 51, topCode: 503 },
      { peer: '192.0.2.9', count: 6, topCode: 477 },
      { peer: '198.51.100.20', count: 5, topCode: 486 },
      { peer: '(unknown)', count: 4, topCode: 408 },
      { peer: 'registrar.example.net', count: 2, topCode: 403 },
    ]);
    expect(m.spikes).toEqual([{ hour: FROM + 5 * H, count: 40, usual: 3 }]);
  });

  it('lists each watched target with its uptime and median round trip over the digest\'s day, worst first', async () => {
    const probes = store.probes;
    if (probes === undefined) throw new Error('no probe store');
    const t = (slot: number) => FROM + slot * 60_000;
    for (let i = 0; i < 10; i++) await probes.recordResult('sip:pbx.example.com', { slot: i, time: t(i), up: true, code: 200, rttMs: 10 + i }, 3);
    for (let i = 0; i < 4; i++) await probes.recordResult('sip:sbc.example.net;transport=tcp', { slot: i, time: t(i), up: i < 3, code: i < 3 ? 200 : 503, rttMs: i < 3 ? 40 : null }, 3);
    // A result after the period is not counted.
    await probes.recordResult('sip:pbx.example.com', { slot: 99_999_999, time: SCHEDULED + 1, up: false, code: 408, rttMs: null }, 3);
    const message = await service(store).message(SCHEDULED);
    const section = message.cards[0]?.sections.find((x) => x.title === 'Watched targets');
    expect(section?.items).toEqual(['sip:sbc.example.net;transport=tcp: 75.0 % up (3 of 4 probes), median 40 ms', 'sip:pbx.example.com: 100 % up (10 of 10 probes), median 15 ms']);
  });

  it('answers /sip stats by code against the previous 24 hours', async () => {
    const q = parseStatsQuery('24h code');
    if (!q.ok) throw new Error(q.problem);
    const card = await service(store).statsCard(q.query, SCHEDULED - 1);
    expect(card.summary).toBe('68 failed calls in the last 24 hours: +423% against the 24 hours before (13).');
    expect(card.sections[0]?.items.slice(0, 2)).toEqual(['503 Service Unavailable: 50 (was 10, +400%)', `477 ${kb.unregistered(477)?.reason ?? ''}: 6 (was 0, new)`]);
    expect(card.actions?.[0]).toEqual({ label: '503 Service Unavailable', query: '503' });
  });

  it('previews the digest with its chart as a PNG that decodes', async () => {
    const message = await service(store).digestPreview(SCHEDULED);
    expect(message.cards[0]?.kind).toBe('digest');
    expect(message.cards[0]?.actions?.map((a) => a.query)).toEqual(['503', '477', '486', '408', '403', '480']);
    const png = decodePng(message.image?.png ?? new Uint8Array());
    expect([png.width, png.height]).toEqual([1520, 680]);
    expect(message.image?.filename).toBe('sip-digest-2026-11-25.png');
  });

  it('counts a failure of the hour in progress in the digest asked for now, and never says it ends later than now', async () => {
    const quiet = SCHEDULED + 5 * 24 * H;
    await store.recordEvents(events([{ at: quiet + 10 * 60_000, n: 13, code: 503, peer: '203.0.113.7' }]));
    const message = await service(store).digestPreview(quiet + 17 * 60_000);
    expect(message.cards[0]?.summary).not.toMatch(/All clear/);
    expect(message.cards[0]?.sections[0]?.items[0]).toMatch(/^503 Service Unavailable: 13 /);
    expect(message.text).toContain('the 24 hours to 09:17 Mon 30 Nov 2026 (UTC, this hour so far included)');
    // The scheduled digest is whole hours before its time: the same failures belong to tomorrow's.
    expect((await service(store).message(quiet + 17 * 60_000)).cards[0]?.summary).toMatch(/^All clear/);
  });

  it('posts a short all-clear for a day with no errors', async () => {
    const quiet = SCHEDULED + 3 * 24 * H;
    const message = await service(store).digestPreview(quiet);
    expect(message.cards[0]?.summary).toBe('All clear: no SIP errors recorded in the 24 hours to 09:00 Sat 28 Nov 2026 (UTC).');
    expect(message.image).toBeUndefined();
  });
});

for (const { name, make, skip } of engines) describe.skipIf(skip)(`posting the digest exactly once, ${name}`, () => {
  // A database of its own for each test: one test's subscriptions are not another's destinations.
  const made: TestStores[] = [];
  const fresh = (): TestStores => {
    const s = make();
    made.push(s);
    return s;
  };
  afterAll(() => Promise.all(made.map((s) => s.cleanup())));

  it('posts once per destination and period across two service instances on the same database', async () => {
    const stores = fresh();
    const [a, b] = [await stores.open(), await stores.open()];
    await seed(a);
    const subscribed: ChannelRef = { platform: 'slack', workspace: 'T0EXAMPLE1', channel: 'C0SUBSCRIBED' };
    await a.updateChannelSettings(subscribed, { digest: true });
    // The configured Slack channel subscribed in chat too, with its team: still one destination.
    await a.updateChannelSettings({ ...SLACK, workspace: 'T0EXAMPLE1' }, { digest: true });
    const posters = [new RecordingPoster('slack'), new RecordingPoster('discord'), new RecordingPoster('slack'), new RecordingPoster('discord')];
    const metrics = createMetrics({ topPeers: 5, processMetrics: false });
    const one = service(a, { owner: 'replica-1', metrics });
    const two = service(b, { owner: 'replica-2', metrics });
    one.attachPoster(posters[0]!);
    one.attachPoster(posters[1]!);
    two.attachPoster(posters[2]!);
    two.attachPoster(posters[3]!);

    const [r1, r2] = await Promise.all([one.runScheduled(SCHEDULED), two.runScheduled(SCHEDULED)]);
    const posts = posters.flatMap((p) => p.calls.filter((c) => c.op === 'post'));
    expect(posts.map((p) => p.channel).sort()).toEqual(['123456789012345678', 'C0DIGEST01', 'C0SUBSCRIBED']);
    const outcomes = [...r1, ...r2].map((o) => `${o.destination} ${o.period} ${o.result}`).sort();
    expect(outcomes).toEqual([
      'discord:123456789012345678 2026-11-25 posted',
      'discord:123456789012345678 2026-11-25 skipped',
      'slack:C0DIGEST01 2026-11-25 posted',
      'slack:C0DIGEST01 2026-11-25 skipped',
      'slack:C0SUBSCRIBED 2026-11-25 posted',
      'slack:C0SUBSCRIBED 2026-11-25 skipped',
    ]);
    // A later run (a restart, the catch-up) finds them posted.
    expect((await one.runScheduled(SCHEDULED + 60_000)).map((o) => o.result)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(posters.flatMap((p) => p.calls)).toHaveLength(3);
    // The next day is a new period.
    expect((await two.runScheduled(SCHEDULED + 24 * H)).map((o) => o.result)).toEqual(['posted', 'posted', 'posted']);
    const text = await metrics.text();
    expect(text).toContain('siptriage_digest_runs_total{result="posted"} 6');
    expect(text).toContain('siptriage_digest_runs_total{result="skipped"} 6');
  });

  it('retries a failed post with backoff, and posts once it goes through', async () => {
    const store = await fresh().open();
    const slack = new FlakyPoster('slack', 2);
    const s = new DigestService({ store, kb, log, retry: fast, config: { ...config, channels: [SLACK] } });
    s.attachPoster(slack);
    const at = SCHEDULED + 10 * 24 * H;
    expect((await s.runScheduled(at)).map((o) => o.result)).toEqual(['posted']);
    expect(slack.attempts).toBe(3);
    expect(slack.inner.calls).toHaveLength(1);
  });

  it('releases the claim when the post finally fails, so a later run can post it', async () => {
    const store = await fresh().open();
    const metrics = createMetrics({ topPeers: 5, processMetrics: false });
    const slack = new FlakyPoster('slack', 3);
    const s = new DigestService({ store, kb, log, metrics, retry: fast, config: { ...config, channels: [SLACK] } });
    s.attachPoster(slack);
    const at = SCHEDULED + 11 * 24 * H;
    expect((await s.runScheduled(at)).map((o) => o.result)).toEqual(['failed']);
    expect(slack.attempts).toBe(3);
    expect(await metrics.text()).toContain('siptriage_digest_runs_total{result="failed"} 1');
    // Released: the platform is back, the next run posts it (a held claim would have said "skipped").
    expect((await s.runScheduled(at)).map((o) => o.result)).toEqual(['posted']);
    expect(slack.inner.calls).toHaveLength(1);
  });

  it('catches up on start a digest missed while the process was down, and only once', async () => {
    const store = await fresh().open();
    const missed = SCHEDULED + 20 * 24 * H;
    // Started at 11:30, after the 09:00 digest was due.
    const now = (): number => missed + 2.5 * H;
    const first = new RecordingPoster('slack');
    const s1 = new DigestService({ store, kb, log, retry: fast, now, config: { ...config, channels: [SLACK] } });
    s1.attachPoster(first);
    s1.start();
    await s1.stop();
    expect(first.calls.map((c) => c.message.cards[0]?.summary)).toEqual(['All clear: no SIP errors recorded in the 24 hours to 09:00 Tue 15 Dec 2026 (UTC).']);

    // Restarted again the same morning: already posted, nothing more.
    const second = new RecordingPoster('slack');
    const s2 = new DigestService({ store, kb, log, retry: fast, now, config: { ...config, channels: [SLACK] } });
    s2.attachPoster(second);
    s2.start();
    await s2.stop();
    expect(second.calls).toEqual([]);
  });

  it('leaves a digest missed by more than a day: it is old news', async () => {
    const store = await fresh().open();
    const poster = new RecordingPoster('slack');
    // A weekly digest (Mondays 09:00), started on a Wednesday.
    const s = new DigestService({ store, kb, log, retry: fast, now: () => SCHEDULED, config: { ...config, cron: '0 9 * * 1', channels: [SLACK] } });
    s.attachPoster(poster);
    s.start();
    await s.stop();
    expect(poster.calls).toEqual([]);
    expect(s.latestScheduled()).toBe(SCHEDULED - 2 * 24 * H);
  });

  it('says where no platform is connected instead of claiming the digest', async () => {
    const store = await fresh().open();
    const s = service(store, { config: { ...config, channels: [DISCORD] } });
    s.attachPoster(new RecordingPoster('slack'));
    const at = SCHEDULED + 30 * 24 * H;
    expect((await s.runScheduled(at)).map((o) => o.result)).toEqual(['no-poster']);
    const later = new RecordingPoster('discord');
    s.attachPoster(later);
    expect((await s.runScheduled(at)).map((o) => o.result)).toEqual(['posted']);
  });
});
