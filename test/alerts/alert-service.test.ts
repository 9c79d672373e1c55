import { describe, expect, it } from 'vitest';
import type { AlertConfig } from '../../src/alerts/alert-config.js';
import { createLogger } from '../../src/app/logger.js';
import { MemoryAlertSettings } from '../../src/alerts/alert-settings.js';
import { AlertService, type AlertServiceOptions } from '../../src/alerts/alert-service.js';
import type { Logger } from '../../src/ports/logger.js';
import type { HistorySource } from '../../src/alerts/baselines.js';
import type { ChannelRef } from '../../src/core/chat-port.js';
import { parseQuery } from '../../src/core/query/parse-query.js';
import type { AlertsCommand } from '../../src/core/query/alerts-query.js';
import type { CallEvent } from '../../src/core/triage/call-events.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { RecordingPoster } from './recording-poster.js';
import { memoryLogger } from '../adapters/slack/slack-service.js';

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

function setup(options: { history?: HistorySource; start?: number; exampleCalls?: AlertServiceOptions['exampleCalls']; log?: Logger } = {}) {
  let now = options.start ?? Date.UTC(2026, 10, 25, 14, 0);
  const poster = new RecordingPoster();
  const alerts = new AlertService({
    config,
    kb,
    log: options.log ?? log,
    settings: new MemoryAlertSettings(),
    persistent: false,
    now: () => now,
    pacerIntervalMs: 1000,
    ...(options.history === undefined ? {} : { history: options.history }),
    ...(options.exampleCalls === undefined ? {} : { exampleCalls: options.exampleCalls }),
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
  it('names a spike of refused REGISTERs as a registration-failure spike at the registrar, apart from failing calls', async () => {
    const { alerts, poster, tick, clock } = setup();
    await alerts.command(ops, cmd('subscribe'));
    for (let m = 0; m < 6; m++) await tick(60_000);
    for (let i = 0; i < 25; i++) alerts.observe({ ...failure(403, '198.51.100.5', clock()), method: 'REGISTER' });
    await tick(1000);
    expect(poster.calls.map((c) => c.op)).toEqual(['post']);
    const card = poster.calls[0]?.message.cards[0];
    expect(card?.title).toBe('Spike: REGISTER failures (403 Forbidden) at 198.51.100.5');
    expect(card?.fields.find((f) => f.label === 'Spiking')?.value).toBe('403 Forbidden; REGISTER failures at 198.51.100.5; all failures from 198.51.100.5; all 4xx failures');
  });

  it('posts one incident for the code, class and peer keys of the same calls, edits it in place, and replies when it clears', async () => {
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
    expect(poster.calls.map((c) => c.op)).toEqual(['post']);
    const first = poster.calls[0]?.message.cards[0];
    expect(first?.title).toBe('Spike: 503 Service Unavailable from 203.0.113.9');
    // The keys it groups, in words, not internal keys.
    expect(first?.fields.find((f) => f.label === 'Spiking')?.value).toBe('503 Service Unavailable; all failures from 203.0.113.9; all 5xx failures');
    expect(first?.actions?.map((a) => a.label)).toEqual(['What 503 means', 'Stats by peer', 'Acknowledge', 'Mute 1 h']);
    fail(30);
    await tick(1000);
    const updates = poster.calls.slice(1);
    expect(updates.map((c) => c.op)).toEqual(['update']);
    expect(updates[0]?.id).toBe(poster.calls[0]?.id);
    expect(updates[0]?.message.cards[0]?.summary).toBe('78 calls failed in the last 5 min (49× usual); usual for this hour: about 1.6.');
    // The window slides past the burst: one last edit keeping the breakdown, and one reply under the alert.
    await tick(6 * 60_000);
    const end = poster.calls.slice(2);
    expect(end.map((c) => c.op)).toEqual(['update', 'reply']);
    expect(end.every((c) => c.id === poster.calls[0]?.id)).toBe(true);
    const resolved = end[0]?.message.cards[0];
    expect(resolved?.title).toBe('Resolved: 503 Service Unavailable from 203.0.113.9');
    expect(resolved?.tone).toBe('success');
    expect(resolved?.sections.find((x) => x.title === 'Peers')?.items).toEqual(['203.0.113.9: 78']);
    expect(end[1]?.message.text).toMatch(/^Resolved: 503 Service Unavailable from 203\.0\.113\.9\. Back to normal at \d\d:\d\d UTC after \d+ min; peak 78 in 5 min\.$/);
  });

  it('keeps unrelated spikes apart: 503s from one peer and 486s from another are two incidents', async () => {
    const { alerts, poster, fail, tick } = setup();
    await alerts.command(ops, cmd('subscribe'));
    await tick(config.windowMs);
    fail(30, 503, '203.0.113.9');
    fail(30, 486, '198.51.100.4');
    await tick(1);
    await tick(1500);
    const titles = poster.calls.filter((c) => c.op === 'post').map((c) => c.message.cards[0]?.title);
    expect(titles.sort()).toEqual(['Spike: 486 Busy Here from 198.51.100.4', 'Spike: 503 Service Unavailable from 203.0.113.9']);
  }, 10_000);

  it('shows the Q.850 cause and the product the events carried', async () => {
    const { alerts, poster, tick, clock } = setup();
    await alerts.command(ops, cmd('subscribe'));
    await tick(config.windowMs);
    for (let i = 0; i < 20; i++) alerts.observe({ ...failure(503, '203.0.113.9', clock()), q850: 34, product: 'Acme-SBC/4.2' });
    await tick(1);
    const card = poster.calls[0]?.message.cards[0];
    expect(card?.fields.find((f) => f.label === 'Q.850 cause')?.value).toBe('34 No circuit/channel available ×20');
    expect(card?.fields.find((f) => f.label === 'Sent by')?.value).toBe('Acme-SBC/4.2 (20 of 20)');
  });

  it('acknowledge names who and when on the alert; mute stops edits and the resolve reply for that incident', async () => {
    const { alerts, poster, fail, tick } = setup();
    await alerts.command(ops, cmd('subscribe'));
    await tick(config.windowMs);
    fail(30);
    await tick(1);
    const ackQuery = poster.calls[0]?.message.cards[0]?.actions?.find((a) => a.label === 'Acknowledge')?.query ?? '';
    const answer = await alerts.command(ops, cmd(ackQuery.replace(/^alerts /, '')), 'alice');
    expect(answer.title).toBe('Acknowledged: the alert now shows your name');
    await alerts.settled();
    const acked = poster.calls.at(-1);
    expect(acked?.op).toBe('update');
    expect(acked?.message.cards[0]?.fields.find((f) => f.label === 'Acknowledged')?.value).toMatch(/^alice at \d\d:\d\d UTC$/);
    expect(acked?.message.cards[0]?.actions?.map((a) => a.label)).not.toContain('Acknowledge');
    const muteQuery = acked?.message.cards[0]?.actions?.find((a) => a.label === 'Mute 1 h')?.query ?? '';
    await alerts.command(ops, cmd(muteQuery.replace(/^alerts /, '')), 'bob');
    await alerts.settled();
    expect(poster.calls.at(-1)?.message.cards[0]?.fields.find((f) => f.label === 'Muted')?.value).toMatch(/^by bob until \d\d:\d\d UTC$/);
    const before = poster.calls.length;
    fail(20);
    await tick(1500);
    expect(poster.calls.length).toBe(before);
    await tick(6 * 60_000);
    expect(poster.calls.slice(before).map((c) => c.op)).toEqual(['update']);
    // A button on an alert that is over says so instead of failing.
    expect((await alerts.command(ops, cmd(ackQuery.replace(/^alerts /, '')), 'carol')).title).toBe('That alert is over');
  }, 10_000);

  it('says in words what is spiking for /sip alerts', async () => {
    const { alerts, fail, tick } = setup();
    await alerts.command(ops, cmd('subscribe'));
    await tick(config.windowMs);
    fail(30);
    await tick(1);
    expect((await alerts.command(ops, cmd(''))).summary).toBe('Spiking now: 503 Service Unavailable from 203.0.113.9.');
  });

  it('sends at most one message per second per channel, coalescing updates that pile up', async () => {
    const { alerts, poster, fail, tick } = setup();
    await alerts.command(ops, cmd('subscribe'));
    await alerts.command(noc, cmd('subscribe'));
    await tick(config.windowMs);
    fail(50, 503, '198.51.100.1');
    await tick(1);
    for (let i = 0; i < 5; i++) {
      fail(5, 503, '198.51.100.1');
      await alerts.evaluate();
    }
    await alerts.settled();
    for (const channel of ['C-ops', 'C-noc']) {
      const calls = poster.calls.filter((c) => c.channel === channel);
      const times = calls.map((c) => c.at);
      for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(990);
      // One incident posted once per channel, then one coalesced update at most.
      expect(calls.filter((c) => c.op === 'post')).toHaveLength(1);
      expect(calls.filter((c) => c.op === 'update').length).toBeLessThanOrEqual(1);
    }
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

describe('the usual rate', () => {
  it('counts events backfilled with their own times as history, in a store created today', async () => {
    const start = Date.UTC(2026, 10, 25, 14, 0);
    const hour = 3_600_000;
    // 8 days of 503s at 14:00 (12 an hour: 1 per 5-minute window), recorded into a store made an hour ago.
    const history: HistorySource = {
      info: async () => ({ createdAt: start - hour }),
      counts: async (q) => {
        const rows = [];
        for (let d = 1; d <= 8; d++) {
          const h = start - d * 24 * hour;
          if (h >= q.from && h < q.to) rows.push(q.by.includes('code') ? { hour: h, code: 503, count: 12 } : { hour: h, peer: '203.0.113.9', count: 12 });
        }
        return rows;
      },
    };
    const { alerts, poster, fail, tick } = setup({ history, start });
    await alerts.command(ops, cmd('subscribe'));
    fail(46);
    await tick(1);
    const card = poster.calls[0]?.message.cards[0];
    expect(card?.fields.find((f) => f.label === 'Usual')?.value).toBe('1 (same hour, last 7 days)');
    expect(card?.summary).toBe('46 calls failed in the last 5 min (46× usual); usual for this hour: about 1.');
  });
});

describe('AlertService example calls (PUBLIC_URL set)', () => {
  async function spike(exampleCalls: AlertServiceOptions['exampleCalls'], lines: string[] = []) {
    const s = setup({ exampleCalls, log: memoryLogger(lines, 'warn') });
    await s.alerts.command(ops, cmd('subscribe'));
    for (let m = 0; m < 6; m++) await s.tick(60_000);
    s.fail(40);
    await s.tick(1000);
    return s;
  }

  it('asks for the incident\'s code and peer since it began, and lists the calls with a ladder link each', async () => {
    const asked: unknown[] = [];
    const { poster, tick, fail } = await spike(async (scope) => {
      asked.push(scope);
      return [{ text: '14:06:01 UTC  503 INVITE from 203.0.113.9', url: 'https://s.example.com/calls/a%40b?exp=1&sig=x' }];
    });
    expect(asked[0]).toMatchObject({ code: 503, peer: '203.0.113.9' });
    const section = poster.calls.at(-1)?.message.cards[0]?.sections.find((x) => x.title === 'Example calls');
    expect(section?.items).toEqual(['14:06:01 UTC  503 INVITE from 203.0.113.9']);
    expect(section?.itemLinks).toEqual([{ label: 'ladder', url: 'https://s.example.com/calls/a%40b?exp=1&sig=x' }]);
    // Fewer than three found: asked again at the next round, while the incident is open.
    fail(40);
    await tick(15_000);
    expect(asked.length).toBe(2);
  });

  it('posts the alert without examples when the store fails, and logs why', async () => {
    const lines: string[] = [];
    const { poster } = await spike(async () => {
      throw new Error('store down');
    }, lines);
    expect(poster.calls.map((c) => c.op)).toEqual(['post']);
    expect(poster.calls[0]?.message.cards[0]?.sections.some((x) => x.title === 'Example calls')).toBe(false);
    expect(lines.join('')).toContain('could not read example calls for a spike alert');
  });
});

