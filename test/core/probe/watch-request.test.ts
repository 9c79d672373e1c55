import { describe, expect, it } from 'vitest';
import { intervalText, parseWatchCommand, parseWatchLine, WATCH_LIMITS } from '../../../src/core/probe/watch-request.js';
import { nextWatchState, UNKNOWN_STATE, type WatchState } from '../../../src/core/probe/watch-state.js';
import { parseWatchLines } from '../../../src/probes/probe-files.js';

describe('watch commands and PROBES lines', () => {
  it('reads a watch with its interval and probe flags, and writes the target one way whatever the spelling', () => {
    const a = parseWatchCommand('watch SIP:PBX.Example.com:5060 30s --transport TCP', WATCH_LIMITS);
    expect(a).toMatchObject({ ok: true, value: { action: 'watch', spec: { target: 'sip:pbx.example.com:5060;transport=tcp', intervalMs: 30_000 } } });
    const b = parseWatchCommand('watch sip:pbx.example.com:5060;transport=tcp 0.5m', WATCH_LIMITS);
    expect(b).toMatchObject({ ok: true, value: { spec: { target: 'sip:pbx.example.com:5060;transport=tcp', intervalMs: 30_000 } } });
    expect(parseWatchLine('203.0.113.7 --method REGISTER', WATCH_LIMITS)).toMatchObject({ ok: true, value: { target: 'sip:203.0.113.7 --method REGISTER', intervalMs: 60_000 } });
    expect(parseWatchCommand('unwatch sip:pbx.example.com:5060 --transport tcp', WATCH_LIMITS)).toEqual({ ok: true, value: { action: 'unwatch', target: 'sip:pbx.example.com:5060;transport=tcp' } });
    expect(parseWatchCommand('list', WATCH_LIMITS)).toEqual({ ok: true, value: { action: 'list' } });
    expect(parseWatchCommand('sip:pbx.example.com', WATCH_LIMITS)).toBeUndefined();
  });

  it.each([
    ['watch', 'watch-target-missing', 'Say what to watch: a SIP URI, a host name or an address, like sip:pbx.example.com 1m.'],
    ['watch sip:pbx.example.com 2s', 'watch-interval-short', 'A watched target is probed at most every 10 s; 2s is shorter than that.'],
    ['watch sip:pbx.example.com 3d', 'watch-interval-invalid', '"3d" is not an interval: use seconds or minutes, like 30s or 5m.'],
    ['watch sip:pbx.example.com 48h', 'watch-interval-long', 'A watched target is probed at least once a day; 48h is longer than that.'],
    ['watch sip:pbx.example.com --method INVITE-dry', 'watch-invite', 'An INVITE is never watched: it would ring a phone every interval. Watch with OPTIONS or REGISTER.'],
    ['watch sip:', 'probe-target-invalid', undefined],
    ['list everything', 'watch-extra-words', '/sip probe list takes nothing after it.'],
  ])('"%s" gets one sentence (%s)', (text, code, message) => {
    const r = parseWatchCommand(text, WATCH_LIMITS);
    expect(r?.ok).toBe(false);
    if (r === undefined || r.ok) return;
    expect(r.problem.code.startsWith(code.split('-')[0] ?? '')).toBe(true);
    if (message !== undefined) expect(r.problem).toEqual({ code, message });
    expect(r.problem.message.split('. ').length).toBeLessThanOrEqual(2);
  });

  it('reads PROBES as comma-separated entries and names the bad one', () => {
    const r = parseWatchLines('sip:a.example.com 1m, 203.0.113.7:5060 30s --transport tcp,  ', 'env', WATCH_LIMITS);
    expect(r.ok && r.value.map((s) => `${s.target} ${s.intervalMs}`)).toEqual(['sip:a.example.com 60000', 'sip:203.0.113.7:5060;transport=tcp 30000']);
    expect(parseWatchLines('# comment\nsip:a.example.com\nsip:b.example.com 1s\n', 'file', WATCH_LIMITS)).toEqual({
      ok: false,
      problem: { code: 'watch-interval-short', message: 'line 3: A watched target is probed at most every 10 s; 1s is shorter than that.' },
    });
  });

  it('writes intervals as people read them', () => {
    expect([200, 30_000, 90_000, 60_000, 7_200_000].map(intervalText)).toEqual(['200 ms', '30 s', '90 s', '1 min', '2 h']);
  });
});

describe('a watched target\'s state', () => {
  const step = (s: WatchState, slot: number, up: boolean) => nextWatchState(s, { slot, time: slot * 1000, up, code: up ? 200 : 408, rttMs: up ? 5 : null }, 3);

  it('goes down once after N failures in a row, comes back once, and says nothing on the first success', () => {
    const changes: (string | undefined)[] = [];
    let s = UNKNOWN_STATE;
    for (const [slot, up] of [[1, true], [2, false], [3, false], [4, true], [5, false], [6, false], [7, false], [8, false], [9, true], [10, true]] as const) {
      const n = step(s, slot, up);
      if (n === undefined) throw new Error('dropped');
      changes.push(n.change);
      s = n.state;
    }
    expect(changes).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, 'down', undefined, 'up', undefined]);
    expect(s).toMatchObject({ status: 'up', failures: 0, since: 9000, lastSlot: 10 });
  });

  it('is down from the start when the first probes fail, and ignores a result for a slot already taken in', () => {
    let s = UNKNOWN_STATE;
    for (const slot of [1, 2]) s = step(s, slot, false)?.state ?? s;
    expect(step(s, 3, false)).toMatchObject({ change: 'down', state: { status: 'down', since: 3000 } });
    expect(step(s, 2, true)).toBeUndefined();
  });
});
