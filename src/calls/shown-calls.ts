import { maskNumbers, Redactor, type RedactOptions } from '../core/redact.js';
import type { CallStore, KeptCall, KeptCallSummary } from '../ports/call-store.js';
import type { CallsQuery } from '../core/query/calls-query.js';

// Kept calls as every reader outside the store sees them (the CLI, the MCP tools): numbers and addresses
// masked as REDACT_* says, credentials always removed from the messages. Kept raw, shown redacted.

/** A search row as listed: numbers and the peer masked as configured. */
export function listedCall(row: KeptCallSummary, redact: RedactOptions, redactor = new Redactor(redact)): KeptCallSummary {
  const num = (v: string | null): string | null => (v === null || !redact.numbers ? v : maskNumbers(v));
  return { ...row, from: num(row.from), to: num(row.to), peer: row.peer === null || !redact.addresses ? row.peer : redactor.address(row.peer) };
}

/** A listed call as one line of text: time, code, method, caller → callee, peer, findings, Call-ID. */
export function callRowText(c: KeptCallSummary): string {
  return `${new Date(c.time).toISOString().slice(0, 19)}Z  ${c.code} ${c.method}  ${c.from ?? '?'} → ${c.to ?? '?'}  ${c.peer ?? ''}  ${c.findings.join(', ')}  ${c.callId}`;
}

/** One opened call with its messages, each redacted. */
export function shownCall(c: KeptCall, redactor: Redactor): object {
  return {
    callId: c.callId,
    time: c.time,
    kind: c.kind,
    code: c.code,
    method: c.method,
    peer: c.peer,
    findings: c.findings,
    legKeys: c.legKeys,
    messages: c.trace.map((m) => ({ time: m.time, src: m.src, dst: m.dst, transport: m.transport, raw: redactor.text(m.raw) })),
  };
}

/** The latest calls matching a parsed search, newest first. */
export function findKeptCalls(calls: CallStore, q: CallsQuery, limit: number, now: number): Promise<KeptCallSummary[]> {
  return calls.findCalls({
    from: now - q.periodMs,
    to: now + 1,
    limit,
    ...(q.code === undefined ? {} : { code: q.code }),
    ...(q.codeClass === undefined ? {} : { codeClass: q.codeClass }),
    ...(q.peer === undefined ? {} : { peer: q.peer }),
    ...(q.number === undefined ? {} : { number: q.number }),
    ...(q.callId === undefined ? {} : { callId: q.callId }),
  });
}

/** Every kept call with this Call-ID and the other legs joined to the first (within an hour), oldest first. */
export async function openKeptCall(calls: CallStore, callId: string): Promise<KeptCall[]> {
  const found = await calls.openCalls(callId);
  const first = found[0];
  if (first === undefined) return [];
  const legs = (await calls.legsOf(first.legKeys, first.time, 3_600_000)).filter((l) => !found.some((c) => c.id === l.id));
  return [...found, ...legs];
}
