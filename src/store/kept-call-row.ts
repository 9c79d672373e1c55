import type { CallEventKind } from '../core/triage/call-events.js';
import type { KeptCall, KeptCallInput, KeptMessage } from '../ports/call-store.js';
import { bounded, dayOf } from './event-row.js';

/**
 * Bounds on what one kept call may put in the store: live traffic is attacker-reachable (a forged HEP
 * packet, an /ingest body), so strings are cut and lists shortened before they reach a row.
 */
export const KEPT_LIMITS = {
  callId: 255,
  peer: 255,
  user: 64,
  method: 32,
  findings: 32,
  finding: 64,
  numbers: 8,
  number: 32,
  legKeys: 16,
  legKey: 255,
  address: 64,
  transport: 8,
  messages: 200,
  messageBytes: 65_535,
} as const;

const KINDS: ReadonlySet<string> = new Set<CallEventKind>(['failure', 'cancelled', 'answered']);
const MAX_TIME = 8.64e15;

/** A kept call as both engines write it: validated, bounded, with its day and size. */
export interface KeptCallRow {
  readonly day: number;
  readonly time: number;
  readonly callId: string;
  readonly kind: CallEventKind;
  readonly code: number;
  readonly method: string;
  readonly peer: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly findings: string;
  readonly legKeys: string;
  readonly surface: string;
  /** Search keys: "n:" + number, "l:" + leg key. */
  readonly keys: readonly string[];
  readonly messages: readonly KeptMessage[];
  readonly bytes: number;
}

/** The row for a call, or undefined when it cannot be kept (no Call-ID, no time, no messages, bad code). */
export function keptCallRow(c: KeptCallInput): KeptCallRow | undefined {
  if (typeof c.time !== 'number' || !Number.isFinite(c.time) || c.time < 0 || c.time > MAX_TIME) return undefined;
  if (!KINDS.has(c.kind) || !Number.isInteger(c.code) || c.code < 100 || c.code > 699) return undefined;
  const callId = bounded(c.callId, KEPT_LIMITS.callId);
  if (callId === null || !Array.isArray(c.messages) || c.messages.length === 0) return undefined;
  const time = Math.floor(c.time);
  const messages = c.messages.slice(0, KEPT_LIMITS.messages).map(keptMessage);
  const legKeys = unique(c.legKeys, KEPT_LIMITS.legKeys, KEPT_LIMITS.legKey);
  const numbers = unique(c.numbers, KEPT_LIMITS.numbers, KEPT_LIMITS.number);
  return {
    day: dayOf(time),
    time,
    callId,
    kind: c.kind,
    code: c.code,
    method: bounded(c.method, KEPT_LIMITS.method) ?? '',
    peer: bounded(c.peer, KEPT_LIMITS.peer) ?? '',
    from: bounded(c.from, KEPT_LIMITS.user),
    to: bounded(c.to, KEPT_LIMITS.user),
    findings: JSON.stringify(unique(c.findings, KEPT_LIMITS.findings, KEPT_LIMITS.finding)),
    legKeys: JSON.stringify(legKeys),
    surface: c.surface,
    keys: [...numbers.map((n) => `n:${n}`), ...legKeys.map((k) => `l:${k}`)],
    messages,
    bytes: messages.reduce((sum, m) => sum + Buffer.byteLength(m.raw), 0),
  };
}

function keptMessage(m: KeptMessage): KeptMessage {
  const raw = typeof m.raw === 'string' ? m.raw : '';
  return {
    time: Number.isFinite(m.time) ? Math.floor(m.time) : 0,
    src: bounded(m.src, KEPT_LIMITS.address),
    dst: bounded(m.dst, KEPT_LIMITS.address),
    transport: bounded(m.transport, KEPT_LIMITS.transport),
    raw: raw.length > KEPT_LIMITS.messageBytes ? raw.slice(0, KEPT_LIMITS.messageBytes) : raw,
  };
}

function unique(values: readonly string[] | undefined, max: number, each: number): string[] {
  if (!Array.isArray(values)) return [];
  const out = new Set<string>();
  for (const v of values) {
    const b = bounded(v, each);
    if (b !== null && b !== '') out.add(b);
    if (out.size >= max) break;
  }
  return [...out];
}

/** A stored row as read back by either engine (numbers may arrive as strings from PostgreSQL). */
export interface KeptCallRecord {
  readonly id: string | number | bigint;
  readonly call_id: string;
  readonly time: string | number;
  readonly kind: CallEventKind;
  readonly code: number;
  readonly method: string;
  readonly peer: string;
  readonly from_user: string | null;
  readonly to_user: string | null;
  readonly findings: string;
  readonly leg_keys: string;
  readonly messages: number;
  readonly bytes: string | number;
}

export function summaryOf(r: KeptCallRecord): Omit<KeptCall, 'legKeys' | 'trace'> & { legKeys: string[] } {
  return {
    id: String(r.id),
    callId: r.call_id,
    time: Number(r.time),
    kind: r.kind,
    code: r.code,
    method: r.method,
    peer: r.peer === '' ? null : r.peer,
    from: r.from_user,
    to: r.to_user,
    findings: parseList(r.findings),
    legKeys: parseList(r.leg_keys),
    messages: Number(r.messages),
    bytes: Number(r.bytes),
  };
}

function parseList(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export const KEPT_COLUMNS = 'id, call_id, time, kind, code, method, peer, from_user, to_user, findings, leg_keys, messages, bytes';
