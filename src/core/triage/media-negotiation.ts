import { endpoint } from '../media/endpoint.js';
import type { Direction, MediaDescription } from '../sip/sdp.js';
import type { Call, TraceEntry } from './call.js';

export type Side = 'caller' | 'callee';

/** One audio description a side put in its SDP, with the message that carried it. */
export interface SideSdp {
  readonly entry: TraceEntry;
  readonly media: MediaDescription;
  /** address:port it asked to receive RTP on; undefined for a hold address (0.0.0.0) or a zero port. */
  readonly receiveAt: string | undefined;
  /** The host the SIP message itself came from in the capture. */
  readonly signalledFrom: string | undefined;
}

/** What the SDP of a call agreed about audio, over every offer and answer in it (re-INVITEs, UPDATEs). */
export interface Negotiation {
  readonly caller: readonly SideSdp[];
  readonly callee: readonly SideSdp[];
  /** Whether, at some point, the agreed directions let each side send (RFC 3264 §6.1). */
  readonly callerMaySend: boolean;
  readonly calleeMaySend: boolean;
  /** Some offer or answer put the call on hold (sendonly, recvonly, inactive, or 0.0.0.0). */
  readonly held: boolean;
  /** The 2xx that answered the initial INVITE. */
  readonly answer: TraceEntry | undefined;
  /** The BYE that ended the call, when there is one. */
  readonly bye: TraceEntry | undefined;
}

const sends = (d: Direction): boolean => d === 'sendrecv' || d === 'sendonly';
const receives = (d: Direction): boolean => d === 'sendrecv' || d === 'recvonly';

/**
 * Whose SDP each message carries: a request from the caller's side (its From tag) or a response to one
 * from the callee's, and the other way round for requests the callee sends (re-INVITE, UPDATE).
 */
export function negotiation(call: Call): Negotiation | undefined {
  const first = call.entries.find((e) => e.message.isRequest && e.message.method === 'INVITE');
  if (first === undefined) return undefined;
  const callerTag = first.message.fromTag;
  const caller: SideSdp[] = [];
  const callee: SideSdp[] = [];
  let callerDir: Direction | undefined;
  let calleeDir: Direction | undefined;
  let callerMaySend = false;
  let calleeMaySend = false;
  let held = false;
  for (const e of call.entries) {
    if (e.retransmission) continue;
    const m = e.message;
    const audio = m.body === '' ? undefined : m.sdp?.media.find((x) => x.type === 'audio');
    if (audio === undefined) continue;
    if (!m.isRequest && (m.status ?? 0) >= 300) continue;
    const fromCaller = (m.fromTag === callerTag) === m.isRequest;
    const hold = audio.address === '0.0.0.0' || audio.port === 0;
    const direction: Direction = hold ? 'inactive' : audio.direction;
    if (direction !== 'sendrecv') held = true;
    const sdp: SideSdp = {
      entry: e,
      media: audio,
      receiveAt: hold || audio.address === undefined ? undefined : endpoint(audio.address, audio.port),
      signalledFrom: m.meta.src?.host,
    };
    if (fromCaller) {
      caller.push(sdp);
      callerDir = direction;
    } else {
      callee.push(sdp);
      calleeDir = direction;
    }
    if (callerDir !== undefined && calleeDir !== undefined) {
      callerMaySend ||= sends(callerDir) && receives(calleeDir);
      calleeMaySend ||= sends(calleeDir) && receives(callerDir);
    }
  }
  if (caller.length === 0 || callee.length === 0) return undefined;
  const answer = call.outcome === 'answered' ? call.final : undefined;
  const bye = call.entries.find((e) => e.message.isRequest && e.message.method === 'BYE');
  return { caller, callee, callerMaySend, calleeMaySend, held, answer, bye };
}
