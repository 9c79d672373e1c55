import { uriNumber } from '../core/calls/phone-number.js';
import type { Endpoint, SipMessage } from '../core/sip/message.js';
import type { CallEvent } from '../core/triage/call-events.js';
import type { KeptCallInput, KeptMessage } from '../ports/call-store.js';
import type { Surface } from '../ports/store.js';
import type { CallsConfig } from './calls-config.js';
import { legKeysOf } from '../core/calls/leg-keys.js';

/**
 * A call as the store keeps it: the event's outcome, the messages as captured (times, addresses and ports
 * from HEP, the text exactly as sent), the numbers it can be found by and the keys that join its legs.
 * `now` stands in for missing capture times (a pasted trace without timestamps).
 */
export function keptCallOf(callId: string, messages: readonly SipMessage[], event: CallEvent, surface: Surface, config: Pick<CallsConfig, 'correlationHeaders' | 'legRules'>): KeptCallInput {
  const kept: KeptMessage[] = messages.map((m) => ({
    time: m.meta.time ?? event.time,
    src: endpoint(m.meta.src),
    dst: endpoint(m.meta.dst),
    transport: m.meta.transport?.toLowerCase() ?? null,
    raw: m.raw,
  }));
  const request = messages.find((m) => m.isRequest && m.method === event.method) ?? messages.find((m) => m.isRequest) ?? messages[0];
  return {
    callId,
    time: Math.min(...kept.map((m) => m.time)),
    kind: event.kind,
    code: event.code,
    method: event.method,
    peer: event.peer,
    findings: event.findings,
    from: userOf(request?.from?.uri?.user),
    to: userOf(request?.to?.uri?.user),
    numbers: numbersOf(request),
    legKeys: legKeysOf(callId, messages, config.correlationHeaders, config.legRules),
    surface,
    messages: kept,
  };
}

// From, To, P-Asserted-Identity and the Request-URI: where carriers and PBXs put the numbers of a call.
function numbersOf(request: SipMessage | undefined): string[] {
  if (request === undefined) return [];
  const uris = [request.from?.uriText, request.to?.uriText, request.uri, ...request.list('P-Asserted-Identity').map(angled)];
  return [...new Set(uris.flatMap((u) => uriNumber(u) ?? []))];
}

function angled(value: string): string {
  const m = /<([^>]*)>/.exec(value);
  return (m?.[1] ?? value).trim();
}

function userOf(user: string | undefined): string | null {
  return user === undefined || user === '' ? null : user;
}

export function endpoint(e: Endpoint | undefined): string | null {
  if (e === undefined) return null;
  const host = e.host.includes(':') ? `[${e.host}]` : e.host;
  return e.port === undefined ? host : `${host}:${e.port}`;
}
