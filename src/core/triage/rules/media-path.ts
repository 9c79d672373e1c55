import { isNonRoutable } from '../address.js';
import type { Finding, Rule } from '../finding.js';
import { receiveSet, sdpEvidence, streamLabel } from '../media-directions.js';
import { negotiation, type Side } from '../media-negotiation.js';

const SIDES: readonly Side[] = ['caller', 'callee'];
const other = (side: Side): Side => (side === 'caller' ? 'callee' : 'caller');

/**
 * RTP sent to a private address that a side put in its SDP while its SIP came from a public one: behind NAT,
 * and the packets go nowhere (RFC 3489 §2 on why a NATed endpoint's own view of its address is wrong).
 */
export const mediaToPrivateAddress: Rule = {
  id: 'media-to-private-address',
  evaluate(ctx) {
    const neg = ctx.media === undefined ? undefined : negotiation(ctx.call);
    if (neg === undefined || ctx.media === undefined) return [];
    const show = ctx.showAddress ?? ((t: string) => t);
    const findings: Finding[] = [];
    for (const side of SIDES) {
      for (const sdp of neg[side]) {
        const address = sdp.media.address;
        if (sdp.receiveAt === undefined || address === undefined || sdp.signalledFrom === undefined) continue;
        if (!isNonRoutable(address) || isNonRoutable(sdp.signalledFrom)) continue;
        const sent = ctx.media.filter((s) => s.dst === sdp.receiveAt);
        if (sent.length === 0 || findings.some((f) => f.evidence.some((e) => e.message === sdp.entry.index))) continue;
        findings.push({
          id: this.id,
          severity: 'warning',
          title: `RTP sent to the ${side}'s private address ${show(address)} (its SIP came from ${show(sdp.signalledFrom)})`,
          detail: `${streamLabel(ctx, sent[0]!)} goes to the address in the ${side}'s SDP, which is private while the ${side} itself is reached at ${show(sdp.signalledFrom)}: those packets cannot arrive unless both ends share that private network. Relay or fix the media address at the SBC or proxy (rtpengine, fix_nated_sdp, Asterisk nat=force_rport,comedia), or have the ${side} learn its public address (STUN, a static external_media_address).`,
          evidence: [sdpEvidence(ctx, sdp)],
        });
      }
    }
    return findings;
  },
};

/**
 * RTP reaching a side from an address or port the other side's SDP did not give: NAT on the way, or a media
 * relay. Harmless when the receiver latches (symmetric RTP, RFC 4961); the cause of one-way audio when not.
 */
export const mediaFromUnexpectedSource: Rule = {
  id: 'media-from-unexpected-source',
  evaluate(ctx) {
    const neg = ctx.media === undefined ? undefined : negotiation(ctx.call);
    if (neg === undefined || ctx.media === undefined) return [];
    const show = ctx.showAddress ?? ((t: string) => t);
    const findings: Finding[] = [];
    for (const to of SIDES) {
      const from = other(to);
      const mine = receiveSet(neg[to]);
      const theirs = receiveSet(neg[from]);
      if (theirs.size === 0) continue;
      const odd = ctx.media.find((s) => mine.has(s.dst) && !theirs.has(s.src) && !mine.has(s.src));
      if (odd === undefined) continue;
      const announced = [...theirs].map(show).join(', ');
      findings.push({
        id: this.id,
        severity: 'warning',
        title: `RTP to the ${to} comes from ${show(odd.src)}, not the ${from}'s SDP address (${announced})`,
        detail: `${streamLabel(ctx, odd)}. The ${from} is behind NAT or a media relay sends for it. Audio back to it works only if the ${to} sends to where this RTP comes from (symmetric RTP, RFC 4961: Asterisk rtp_symmetric, FreeSWITCH auto-adjust, rtpengine/rtpproxy "comedia"); sent to ${announced} it is lost.`,
        evidence: neg[from].slice(-1).map((s) => sdpEvidence(ctx, s)),
      });
    }
    return findings;
  },
};
