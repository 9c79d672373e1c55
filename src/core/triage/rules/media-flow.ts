import type { RtpStreamReport } from '../../media/media-report.js';
import { isNonRoutable } from '../address.js';
import { where, type Finding, type Rule, type RuleContext } from '../finding.js';
import { mediaFor, packets, receiveSet, sdpEvidence, seconds, streamLabel } from '../media-directions.js';
import { negotiation, type Negotiation, type Side, type SideSdp } from '../media-negotiation.js';

/** Below this much answered time, missing media is more likely a short call or a capture that stopped. */
const MIN_ANSWERED_MS = 2000;
/** First RTP this long after the 200 OK: the start of the conversation was lost. */
const LATE_MS = 2000;

interface Window {
  readonly neg: Negotiation;
  readonly answeredAt: number;
  readonly endAt: number;
}

/** An answered call with audio agreed, and how long it was up in the capture. */
function answeredWindow(ctx: RuleContext): Window | undefined {
  if (ctx.media === undefined) return undefined;
  const neg = negotiation(ctx.call);
  const answeredAt = neg?.answer?.message.meta.time;
  if (neg === undefined || answeredAt === undefined) return undefined;
  const endAt = neg.bye?.message.meta.time ?? ctx.captureEnd;
  if (endAt === undefined || endAt - answeredAt < MIN_ANSWERED_MS) return undefined;
  return { neg, answeredAt, endAt };
}

const last = (sdps: readonly SideSdp[]): SideSdp | undefined => [...sdps].reverse().find((s) => s.receiveAt !== undefined) ?? sdps[sdps.length - 1];

/** Why media from `from` does not reach `to`, most likely first. */
function likelyReason(ctx: RuleContext, from: Side, to: Side, w: Window, astray: readonly RtpStreamReport[], incoming: readonly RtpStreamReport[]): string {
  const show = ctx.showAddress ?? ((t: string) => t);
  const target = last(w.neg[to]);
  const address = target?.media.address;
  const signalled = target?.signalledFrom;
  if (astray.length > 0) {
    const s = astray[0]!;
    return `The ${from} does send, but to ${show(s.dst)}, not to the address the ${to}'s SDP gave (${show(target?.receiveAt ?? '?')}): ${streamLabel(ctx, s)}. Fix whatever rewrote or kept the old address (an SBC or B2BUA not updating SDP, a re-INVITE that moved the media).`;
  }
  if (address !== undefined && signalled !== undefined && isNonRoutable(address) && !isNonRoutable(signalled) && address !== signalled) {
    return `NAT: the ${to}'s SDP asks for media at the private address ${show(address)} while its SIP came from ${show(signalled)}; the ${from}'s RTP goes to an address that does not reach it. Have the SBC or proxy fix the SDP or relay the media (rtpengine/rtpproxy, Kamailio fix_nated_sdp, Asterisk direct_media=no with rtp_symmetric), or set the ${to}'s public address.`;
  }
  const fromSdp = last(w.neg[from]);
  const toAt = receiveSet(w.neg[to]);
  const nated = incoming.find((s) => !toAt.has(s.src));
  const natNote = nated === undefined ? '' : ` The ${to}'s own RTP arrives from ${show(nated.src)}, not its SDP address: it is behind NAT, and the ${from} must send to that source (symmetric RTP, RFC 4961; "comedia" / rtp_symmetric) for audio to get back.`;
  return `Nothing at all comes from the ${from}'s media address ${show(fromSdp?.receiveAt ?? '?')}: the ${from} is not sending (a muted or failed audio device, a codec it cannot encode), a firewall on its side drops outgoing UDP, or its media takes a path this capture does not see.${natNote}`;
}

/**
 * RTP flowing one way only after answer (the commonest "they can't hear me" ticket). Directions the SDP
 * never let send (hold with sendonly/recvonly/inactive, RFC 3264 §8.4) are not expected to carry audio.
 */
export const oneWayAudio: Rule = {
  id: 'one-way-audio',
  evaluate(ctx) {
    const w = answeredWindow(ctx);
    if (w === undefined || ctx.media === undefined) return [];
    const toCallee = mediaFor('callee', w.neg, ctx.media);
    const toCaller = mediaFor('caller', w.neg, ctx.media);
    const forward = packets(toCallee.reaching);
    const back = packets(toCaller.reaching);
    const missing: [Side, Side, typeof toCallee, typeof toCaller] | undefined =
      forward > 0 && back === 0 && w.neg.calleeMaySend ? ['callee', 'caller', toCaller, toCallee] : back > 0 && forward === 0 && w.neg.callerMaySend ? ['caller', 'callee', toCallee, toCaller] : undefined;
    if (missing === undefined) return [];
    const [from, to, silent, heard] = missing;
    const flowing = heard.reaching[0]!;
    return [
      {
        id: this.id,
        severity: 'error',
        title: `One-way audio: no RTP from the ${from} to the ${to} (the ${to} hears nothing)`,
        detail:
          `In the ${seconds(w.endAt - w.answeredAt)} after the answer in ${where(w.neg.answer!)}, ${packets(heard.reaching)} RTP packets went from the ${to} to the ${from} (${streamLabel(ctx, flowing)}) and none came back. ` +
          likelyReason(ctx, from, to, w, silent.astray, heard.reaching),
        evidence: [...w.neg[from].slice(-1), ...w.neg[to].slice(-1)].map((s) => sdpEvidence(ctx, s)),
      },
    ];
  },
};

/** Neither direction carried RTP although the call was answered with audio and stayed up. */
export const noMedia: Rule = {
  id: 'no-media',
  evaluate(ctx) {
    const w = answeredWindow(ctx);
    if (w === undefined || ctx.media === undefined || (!w.neg.callerMaySend && !w.neg.calleeMaySend)) return [];
    if (packets(mediaFor('callee', w.neg, ctx.media).reaching) + packets(mediaFor('caller', w.neg, ctx.media).reaching) > 0) return [];
    const show = ctx.showAddress ?? ((t: string) => t);
    const caller = last(w.neg.caller);
    const callee = last(w.neg.callee);
    const stray = ctx.media.length === 0 ? '' : ` The only RTP tied to the call went elsewhere: ${ctx.media.slice(0, 2).map((s) => streamLabel(ctx, s)).join('; ')}.`;
    const privateSdp = [caller, callee].find((s) => s?.media.address !== undefined && isNonRoutable(s.media.address) && s.signalledFrom !== undefined && !isNonRoutable(s.signalledFrom));
    return [
      {
        id: this.id,
        severity: 'error',
        title: 'No media: the call was answered but no RTP flowed either way',
        detail:
          `For ${seconds(w.endAt - w.answeredAt)} after the answer in ${where(w.neg.answer!)} there is no RTP between the caller's ${show(caller?.receiveAt ?? '?')} and the callee's ${show(callee?.receiveAt ?? '?')}.${stray} ` +
          (privateSdp === undefined
            ? 'Either the media takes a path this capture does not see (another interface or host, an SBC relaying it), or neither end sends: firewalls dropping UDP on the RTP port range, or media that never started (ICE or DTLS-SRTP that did not complete).'
            : `${privateSdp === caller ? 'The caller' : 'The callee'} put the private address ${show(privateSdp.media.address ?? '')} in its SDP while signalling from ${show(privateSdp.signalledFrom ?? '')}: NAT without media handling.`),
        evidence: [caller, callee].filter((s) => s !== undefined).map((s) => sdpEvidence(ctx, s)),
      },
    ];
  },
};

/** RTP that starts long after the answer: the first words of the call are lost. */
export const lateMedia: Rule = {
  id: 'late-media',
  evaluate(ctx) {
    const w = answeredWindow(ctx);
    if (w === undefined || ctx.media === undefined) return [];
    const findings: Finding[] = [];
    for (const to of ['callee', 'caller'] as const) {
      const reaching = mediaFor(to, w.neg, ctx.media).reaching;
      if (reaching.length === 0) continue;
      const first = reaching.reduce((a, b) => (b.firstAt < a.firstAt ? b : a));
      const delay = first.firstAt - w.answeredAt;
      if (delay < LATE_MS) continue;
      const from = to === 'callee' ? 'caller' : 'callee';
      findings.push({
        id: this.id,
        severity: 'warning',
        title: `Late media: the ${from}'s first RTP came ${seconds(delay)} after the answer`,
        detail: `The call was answered in ${where(w.neg.answer!)}, but the first RTP from the ${from} is ${streamLabel(ctx, first)}: the ${to} heard silence for the first ${seconds(delay)}. Usual causes: slow media setup (ICE checks, DTLS handshake, a media server or IVR starting late), or an endpoint waiting for the ACK or a re-INVITE before it sends.`,
        evidence: w.neg[from].slice(-1).map((s) => sdpEvidence(ctx, s)),
      });
    }
    return findings;
  },
};
