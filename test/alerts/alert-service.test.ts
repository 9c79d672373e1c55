import { describe, expect, it } from 'vitest';
import type { AlertConfig } from '../../src/alerts/alert-config.js';
import { createLogger } from '../../src/app/logger.js';
import { MemoryAlertSettings } from '../../src/alerts/alert-settings.js';
import { AlertService } from '../../src/alerts/alert-service.js';
import type { HistorySource } from '../../src/alerts/baselines.js';
import type { ChannelRef } from '../../src/core/chat-port.js';
import { parseQuery } from '../../src/core/query/parse-query.js';
import type { AlertsCommand } from '../../src/core/query/alerts-query.js';
import type { CallEvent } from '../../src/core/triage/call-events.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { RecordingPoster } from './recording-poster.js';

const kb = loadKnowledge();
const log = createLogger({ level: 'silent', pretty: false });
const config: AlertConfig = { windowMs: 5 * 60_000, minCount: 10, ratio: 3, timeZone: 'UTC' };
const ops: ChannelRef = { platform: 'slack', workspace: 'T1', channel: 'C-ops' };
const noc: ChannelRef = { platform: 'slack', workspace: 'T1', channel: 'C-noc' };

function cmd(text: string): AlertsCommand {
  const q = parseQuery(`/sip alerts ${text}`);
  if (q.kind !== 'alerts') throw new Error('not an alerts query');
  return q.command;
}

function failure(code: number, peer: string, time: number): CallEvent {
  return { time, kind: 'failure', code, method: 'INVITE', peer, product: null, q850: null, findings: [], callIdHash: `h${Math.random()}` };
}

function setup(options: { history?: HistorySource; start?: number } = {}) {
  let now = options.start ?? Date.UTC(2026, 10, 25, 14, 0);
  const poster = new RecordingPoster();
  const alerts = new AlertService({
    config,
    kb,
    log,
    settings: new MemoryAlertSettings(),
    persistent: false,
    now: () => now,
    pacerIntervalMs: 1000,
    ...(options.history === undefined ? {} : { history: options.history }),
  });
  alerts.attachPoster(poster);
  const fail = (n: number, code = 503, peer = '203.0.113.9'): void => {
    for (let i = 0; i < n; i++) alerts.observe(failure(code, peer, now));
  };
  const tick = async (ms: number): Promise<void> => {
    now += ms;
    await alerts.evaluate();
    await alerts.settled();
  };
  return { alerts, poster, fail, tick, clock: () => now };
}

describe('AlertService', () => {
  it('posts a spike once, updates that same message as counts change, and marks it resolved', async () => {
    const { alerts, poster, fail, tick } = setup();
    await alerts.command(ops, cmd('subscribe'));
    // One quiet window of 2 failures per minute makes the usual rate.
    for (let m = 0; m < 6; m++) {
      fail(2);
      await tick(60_000);
    }
    expect(poster.calls).toHaveLength(0);
    fail(40);
    await tick(1000);
    expect(poster.calls.map((c) => c.op)).toEqual(['post', 'post', 'post']);
    const posts = poster.calls.map((c) => c.message.cards[0]?.title);
    expect(posts).toEqual(expect.arrayContaining(['Spike: 503 Service Unavailable failures', 'Spike: 5xx failures', 'Spike: failures from 203.0.113.9']));
    fail(30);
    await tick(1000);
    const updates = poster.calls.slice(3);
    expect(updates.map((c) => c.op)).toEqual(['update', 'update', 'update']);
    expect(new Set(updates.map((c) => c.id))).toEqual(new Set(poster.calls.slice(0, 3).map((c) => c.id)));
    expect(updates.find((c) => c.message.cards[0]?.title.startsWith('Spike: 503'))?.message.cards[0]?.summary).toMatch(/^78 failing calls in the last 5 min; usual for this time: about 1.6 \(49×\)\.$/);
    // The window slides past the burst: counts fall back and every alert is marked resolved in place.
    await tick(6 * 60_000);
    const resolved = poster.calls.slice(6);
    expect(resolved.map((c) => c.op)).toEqual(['update', 'update', 'update']);
    expect(resolved.every((c) => c.message.cards[0]?.title.startsWith('Resolved:') && c.message.cards[0]?.tone === 'success')).toBe(true);
  });

  it('sends at most one message per second per channel, coalescing updates that pile up', async () => {
    const { alerts, poster, fail, tick } = setup();
    await alerts.command(ops, cmd('subscribe'));
    await tick(config.windowMs);
    fail(50, 503, '198.51.100.1');
    await tick(1);
    for (let i = 0; i < 5; i++) {
      fail(5, 503, '198.51.100.1');
      await alerts.evaluate();
    }
    await alerts.settled();
    const times = poster.calls.map((c) => c.at);
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(990);
    // Three alerts (code, class, peer) posted once each, then one coalesced update each at most.
    expect(poster.calls.filter((c) => c.op === 'post')).toHaveLength(3);
    expect(poster.calls.filter((c) => c.op === 'update').length).toBeLessThanOrEqual(3);
  }, 20_000);

  it('honours per-channel thresholds and quiet hours', async () => {
    const { alerts, poster, fail, tick } = setup();
    await alerts.command(ops, cmd('subscribe'));
    await alerts.command(ops, cmd('threshold 100'));
    await alerts.command(noc, cmd('subscribe'));
    await alerts.command(noc, cmd('quiet 13-15'));
    await tick(config.windowMs);
    fail(50);
    await tick(1);
    expect(poster.calls).toHaveLength(0);
    await alerts.command(noc, cmd('quiet off'));
    await tick(1);
    expect(new Set(poster.calls.map((c) => c.channel))).toEqual(new Set(['C-noc']));
  });

  it('compares with the same hour of the last 7 days when the store has the history', async () => {
    const start = Date.UTC(2026, 10, 25, 14, 0);
    const hour = 3_600_000;
    // 120 503s in the 14:00 hour on each of the last 7 days: 10 per 5-minute window is usual.
    const history: HistorySource = {
      info: async () => ({ createdAt: start - 30 * 24 * hour }),
      counts: async (q) => {
        const rows = [];
        for (let d = 1; d <= 7; d++) {
          const h = start - d * 24 * hour;
          if (h < q.from || h >= q.to) continue;
          rows.push(q.by.includes('code') ? { hour: h, code: 503, count: 120 } : { hour: h, peer: '203.0.113.9', count: 120 });
          rows.push(q.by.includes('code') ? { hour: h - hour, code: 503, count: 5000 } : { hour: h - hour, peer: '203.0.113.9', count: 5000 });
        }
        return rows;
      },
    };
    const { alerts, poster, fail, tick } = setup({ history, start });
    await alerts.command(ops, cmd('subscribe'));
    fail(25);
    await tick(1);
    expect(poster.calls).toHaveLength(0);
    fail(10);
    await tick(1);
    expect(poster.calls.map((c) => c.message.cards[0]?.fields.find((f) => f.label === 'Usual')?.value)).toContain('10 (same hour, last 7 days)');
  });

  it('answers the alerts commands with the channel settings, and refuses nonsense', async () => {
    const { alerts } = setup();
    const on = await alerts.command(ops, cmd('subscribe'));
    expect(on.title).toBe('Spike alerts will be posted here');
    expect(on.footer).toContain('No database is configured');
    const t = await alerts.command(ops, cmd('threshold 25 ratio 4'));
    expect(t.fields.find((f) => f.label === 'Threshold')?.value).toBe('25 failures in 5 min and 4× usual');
    const q = await alerts.command(ops, cmd('quiet 22-07'));
    expect(q.fields.find((f) => f.label === 'Quiet hours')?.value).toBe('22:00-07:00 UTC');
    const bad = await alerts.command(ops, cmd('threshold zero'));
    expect(bad).toMatchObject({ kind: 'usage', isError: true });
    expect((await alerts.command(ops, cmd('bogus'))).summary).toContain('"bogus" is not an alerts command');
  });
});
