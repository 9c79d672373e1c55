import type { Card } from '../card/card.js';
import type { OutgoingMessage } from '../chat-port.js';
import type { Problem } from '../result.js';
import { intervalText, WATCH_USAGE, type WatchSpec } from './watch-request.js';
import type { WatchState } from './watch-state.js';

/** A watched target as the cards show it: its key, interval and state. */
export interface WatchedTarget {
  readonly target: string;
  readonly intervalMs: number;
  readonly state?: WatchState;
}

// What a client would have seen, in a few words: the alert is read on a phone.
function lastAnswer(s: WatchState): string {
  if (s.lastCode === null) return 'nothing sent';
  if (s.lastCode === 408) return '408, no answer';
  const rtt = s.lastRttMs === null ? '' : ` in ${Math.round(s.lastRttMs)} ms`;
  return `${s.lastCode}${rtt}`;
}

/** The alert while a target is down: posted once, edited as the last answer changes. */
export function targetDownMessage(target: string, s: WatchState, downAfter: number): OutgoingMessage {
  const since = s.since ?? s.lastAt ?? 0;
  // The count stays the one that made it down: a message that changed every interval would be edited forever.
  const text = `Down: ${target} failed ${downAfter} probes in a row; down since ${hhmm(since)} UTC (last: ${lastAnswer(s)}).`;
  const card: Card = {
    kind: 'notice',
    title: `Down: ${target}`.slice(0, 150),
    summary: text,
    tone: 'danger',
    fields: [
      { label: 'Since', value: `${hhmm(since)} UTC`, inline: true },
      { label: 'Last answer', value: lastAnswer(s), inline: true },
    ],
    sections: [],
    links: [],
    actions: [{ label: 'Probe now', query: `probe ${target}` }],
  };
  return { text, cards: [card] };
}

/** The same message once the target answers again, and the reply under it that tells people. */
export function targetUpMessages(target: string, s: WatchState, downSince: number | null, now: number): { readonly message: OutgoingMessage; readonly reply: OutgoingMessage } {
  const lasted = downSince === null ? '' : ` after ${duration(now - downSince)}`;
  const text = `Back up: ${target} answers again (${lastAnswer(s)}) at ${hhmm(now)} UTC${lasted}.`;
  const card: Card = {
    kind: 'notice',
    title: `Back up: ${target}`.slice(0, 150),
    summary: text,
    tone: 'success',
    fields: [{ label: 'Down', value: downSince === null ? 'unknown' : `${hhmm(downSince)}–${hhmm(now)} UTC`, inline: true }, { label: 'Last answer', value: lastAnswer(s), inline: true }],
    sections: [],
    links: [],
  };
  const replyText = `Resolved: ${target} is back up${lasted}.`;
  return { message: { text, cards: [card] }, reply: { text: replyText, cards: [{ kind: 'notice', title: replyText.slice(0, 150), summary: '', tone: 'success', fields: [], sections: [], links: [] }] } };
}

export function watchedCard(spec: WatchSpec, added: boolean, downAfter: number): Card {
  return {
    kind: 'notice',
    title: added ? `Watching ${spec.target}` : `Still watching ${spec.target}`,
    summary: `Probed every ${intervalText(spec.intervalMs)}; this channel hears once when it fails ${downAfter} probes in a row, and again when it is back.`,
    tone: 'info',
    fields: [],
    sections: [],
    links: [],
  };
}

export function unwatchedCard(target: string, found: boolean): Card {
  return {
    kind: 'notice',
    title: found ? `No longer watching ${target}` : `${target} is not watched here`,
    summary: found ? 'This channel will hear nothing more about it.' : 'Nothing changed: /sip probe list shows what this channel watches, written as unwatch expects it.',
    tone: 'neutral',
    fields: [],
    sections: [],
    links: [],
    ...(found ? {} : { isError: true }),
  };
}

/** `/sip probe list`: what this channel watches and what the configuration does, with how each is doing. */
export function watchListCard(mine: readonly WatchedTarget[], configured: readonly WatchedTarget[]): Card {
  const line = (w: WatchedTarget): string => {
    const s = w.state;
    const how = s === undefined || s.status === 'unknown' ? 'not probed yet' : s.status === 'up' ? `up (${lastAnswer(s)})` : `DOWN since ${hhmm(s.since ?? 0)} UTC (${lastAnswer(s)})`;
    return `${w.target} every ${intervalText(w.intervalMs)}: ${how}`;
  };
  const sections = [
    ...(mine.length === 0 ? [] : [{ title: 'Watched in this channel', items: mine.slice(0, 40).map(line) }]),
    ...(configured.length === 0 ? [] : [{ title: 'Watched by the configuration (PROBES)', items: configured.slice(0, 40).map(line) }]),
  ];
  const down = [...mine, ...configured].filter((w) => w.state?.status === 'down').length;
  return {
    kind: 'notice',
    title: 'Watched SIP targets',
    summary: sections.length === 0 ? 'Nothing is watched yet: /sip probe watch <target> [interval] starts.' : down === 0 ? 'All watched targets answer.' : `${down} watched target${down === 1 ? ' is' : 's are'} down.`,
    tone: down === 0 ? 'info' : 'danger',
    fields: [],
    sections: sections.length === 0 ? [{ title: 'Try', items: [...WATCH_USAGE] }] : sections,
    links: [],
  };
}

export function watchProblemCard(problem: Problem): Card {
  return {
    kind: 'usage',
    title: problem.code === 'probe-not-allowed' || problem.code.startsWith('probe-address-') ? 'siptriage will not watch that' : 'siptriage: watch not understood',
    summary: problem.message,
    tone: 'neutral',
    fields: [],
    sections: [{ title: 'Try', items: [...WATCH_USAGE] }],
    links: [],
    isError: true,
  };
}

function hhmm(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

function duration(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.round(ms / 1000))} s`;
  const min = Math.round(ms / 60_000);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}
