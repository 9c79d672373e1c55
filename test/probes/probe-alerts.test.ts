import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.js';
import { MemoryAlertSettings } from '../../src/alerts/alert-settings.js';
import { StateAlerts } from '../../src/alerts/state-alerts.js';
import type { ChannelRef } from '../../src/core/chat-port.js';
import { createEngine } from '../../src/core/engine.js';
import { WATCH_LIMITS } from '../../src/core/probe/watch-request.js';
import { defaultKnowledge } from '../../src/knowledge/load-knowledge.js';
import type { Store } from '../../src/ports/store.js';
import { PROBE_DEFAULTS } from '../../src/probes/probe-config.js';
import { createProbeService } from '../../src/probes/probe-service.js';
import { createWatching, type Watching } from '../../src/probes/start-watching.js';
import { openStore } from '../../src/store/open-store.js';
import { RecordingPoster } from '../alerts/recording-poster.js';
import { optionsResponder } from './probe-peers.js';

const log = createLogger({ level: 'silent', pretty: false });
const engine = createEngine(defaultKnowledge());
const OPS: ChannelRef = { platform: 'slack', workspace: 'T1', channel: 'C-ops' };
const message = (text: string) => ({ text, cards: [] });

describe('alerts about states (probe targets, registrations)', () => {
  it('hold back the first post in quiet hours and post when they end; an edit of a posted one is never held', async () => {
    const settings = new MemoryAlertSettings();
    await settings.updateChannelSettings(OPS, { alerts: true, alertQuietHours: '22-07' });
    const alerts = new StateAlerts({ config: { timeZone: 'UTC' }, settings, log, pacerIntervalMs: 5 });
    const poster = new RecordingPoster();
    alerts.attachPoster(poster);
    const night = Date.UTC(2026, 11, 6, 23, 0);
    expect(await alerts.show('k', [OPS], message('down at night'), night)).toEqual([]);
    await alerts.settled();
    expect(poster.calls).toEqual([]);
    const morning = Date.UTC(2026, 11, 7, 7, 0);
    expect(await alerts.show('k', [OPS], message('still down'), morning)).toEqual(['slack:T1:C-ops']);
    // The same content again sends nothing; a change is an edit, even back in quiet hours.
    expect(await alerts.show('k', [OPS], message('still down'), morning + 1)).toEqual([]);
    await alerts.settled();
    await alerts.show('k', [OPS], message('down, 503 now'), night + 86_400_000);
    await alerts.settled();
    alerts.resolve('k', [OPS], message('back up'), message('Resolved'));
    await alerts.settled();
    expect(poster.calls.map((c) => `${c.op} ${c.id} ${c.message.text}`)).toEqual(['post m1 still down', 'update m1 down, 503 now', 'update m1 back up', 'reply m1 Resolved']);
    alerts.stop();
  });

  it('resolve nothing where nothing was posted (an outage that ended inside quiet hours)', async () => {
    const settings = new MemoryAlertSettings();
    await settings.updateChannelSettings(OPS, { alerts: true, alertQuietHours: '22-07' });
    const alerts = new StateAlerts({ config: { timeZone: 'UTC' }, settings, log, pacerIntervalMs: 5 });
    const poster = new RecordingPoster();
    alerts.attachPoster(poster);
    await alerts.show('k', [OPS], message('down at night'), Date.UTC(2026, 11, 6, 23, 0));
    alerts.resolve('k', [OPS], message('back up'), message('Resolved'));
    await alerts.settled();
    expect(poster.calls).toEqual([]);
    alerts.stop();
  });
});

describe('a scheduled probe across a restart or a second replica', () => {
  const dir = mkdtempSync(join(tmpdir(), 'siptriage-probe-alerts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function replica(store: Store, poster: RecordingPoster, owner: string): Watching {
    if (store.probes === undefined) throw new Error('no probe store');
    const w = createWatching({
      store: store.probes,
      settings: new MemoryAlertSettings(),
      alertConfig: { timeZone: 'UTC' },
      configured: [],
      limits: { ...WATCH_LIMITS, minIntervalMs: 0, timeoutMs: 1000 },
      downAfter: 2,
      log,
      owner,
      tickMs: 20,
      pacerIntervalMs: 5,
    });
    w.attachPoster(poster);
    void w.start(createProbeService({ config: { ...PROBE_DEFAULTS, policy: { allow: ['127.0.0.1'], allowPrivate: true }, timeoutMs: 1000 }, engine, log }));
    return w;
  }

  const until = async (what: string, ok: () => Promise<boolean>): Promise<void> => {
    const end = Date.now() + 20_000;
    while (!(await ok())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('edits the down message another process posted when the target comes back, and replies under it', async () => {
    const path = join(dir, 'store.db');
    const [a, b] = [await openStore({ kind: 'sqlite', path }), await openStore({ kind: 'sqlite', path })];
    // A port that answered once and is now closed: the first process sees it go down and posts.
    const gone = await optionsResponder();
    const port = gone.port;
    await gone.close();
    const target = `sip:127.0.0.1:${port}`;
    await a.probes?.watch({ watcher: 'slack:T1:C-ops', target, intervalMs: 200, createdAt: Date.now() });
    const poster = new RecordingPoster();
    const first = replica(a, poster, 'first');
    await until('the down post', async () => poster.calls.length > 0);
    await first.stop();
    expect(poster.calls.map((c) => c.op)).toEqual(['post']);
    expect((await b.probes?.targetStates())?.[0]).toMatchObject({ status: 'down', alerts: { 'slack:T1:C-ops': 'm1' } });

    // The second process (a restart, or another replica) sees it come back: the same message, edited.
    const back = await optionsResponder(port);
    const second = replica(b, poster, 'second');
    await until('the recovery', async () => poster.calls.some((c) => c.op === 'reply'));
    await second.settled();
    await second.stop();
    await back.close();
    expect(poster.calls.map((c) => `${c.op} ${c.id}`)).toEqual(['post m1', 'update m1', 'reply m1']);
    expect(poster.calls[1]?.message.text).toMatch(/^Back up: sip:127\.0\.0\.1:\d+ answers again \(200 in \d+ ms\)/);
    expect((await a.probes?.targetStates())?.[0]).toMatchObject({ status: 'up', alerts: {} });
    await Promise.all([a.close(), b.close()]);
  }, 30_000);
});
