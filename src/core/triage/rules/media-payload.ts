import { isSecureProfile } from '../../sip/sdp.js';
import type { Finding, Rule } from '../finding.js';
import { mediaFor, sdpEvidence, streamLabel } from '../media-directions.js';
import { negotiation, type Side } from '../media-negotiation.js';

const SIDES: readonly Side[] = ['caller', 'callee'];
/** Packets a stream needs before its sizes say anything about SRTP. */
const MIN_SIZED = 10;

/**
 * RTP whose payload type the receiving side never listed: RFC 3264 §5.1 says a sender uses the payload types
 * of the receiver's SDP, so anything else is likely dropped or played as noise.
 */
export const payloadMismatch: Rule = {
  id: 'payload-mismatch',
  evaluate(ctx) {
    const neg = ctx.media === undefined ? undefined : negotiation(ctx.call);
    if (neg === undefined || ctx.media === undefined) return [];
    const findings: Finding[] = [];
    for (const to of SIDES) {
      const listed = new Set(neg[to].flatMap((s) => s.media.codecs.map((c) => c.pt)));
      for (const s of mediaFor(to, neg, ctx.media).reaching) {
        const stray = s.payloadTypes.filter((pt) => !listed.has(pt));
        if (stray.length === 0) continue;
        const last = neg[to][neg[to].length - 1]!;
        findings.push({
          id: this.id,
          severity: 'warning',
          title: `RTP to the ${to} uses payload type ${stray.join(', ')}, which its SDP did not list`,
          detail: `${streamLabel(ctx, s)} carries payload type ${stray.join(', ')}, but the ${to} offered or accepted only ${last.media.codecs.map((c) => `${c.pt}${c.name === '' ? '' : ` ${c.name}`}`).join(', ')}. The ${to} will likely drop it or play noise: the sender ignores the negotiated codec (a transcoder or gateway misconfigured, or an answer it did not apply).`,
          evidence: [sdpEvidence(ctx, last)],
        });
        break;
      }
    }
    return findings;
  },
};

/**
 * SRTP agreed but plain RTP sent, or the reverse, told from packet sizes: a G.711/G.722/G.729 frame is a known
 * number of bytes per timestamp tick, and SRTP adds a 4- or 10-byte authentication tag (RFC 3711 §4.2).
 */
export const srtpMismatch: Rule = {
  id: 'srtp-mismatch',
  evaluate(ctx) {
    const neg = ctx.media === undefined ? undefined : negotiation(ctx.call);
    if (neg === undefined || ctx.media === undefined) return [];
    const findings: Finding[] = [];
    for (const to of SIDES) {
      const sdp = neg[to][neg[to].length - 1]!;
      const secure = isSecureProfile(sdp.media.proto);
      for (const s of mediaFor(to, neg, ctx.media).reaching) {
        const { checked, plain, tagged } = s.sizing;
        if (checked < MIN_SIZED) continue;
        const wrong = secure ? plain / checked >= 0.9 : tagged / checked >= 0.9;
        if (!wrong) continue;
        findings.push({
          id: this.id,
          severity: 'error',
          title: secure ? `SRTP agreed (${sdp.media.proto}) but plain RTP sent to the ${to}` : `Plain RTP agreed but SRTP sent to the ${to}`,
          detail: secure
            ? `${streamLabel(ctx, s)}: ${plain} of ${checked} packets are exactly one ${s.codec} frame, with no authentication tag. The ${to} expects SRTP and will discard them: the sender ignored a=crypto or a media relay decrypted without rewriting the SDP.`
            : `${streamLabel(ctx, s)}: ${tagged} of ${checked} packets are one ${s.codec} frame plus a 4- or 10-byte tag, as SRTP adds. The ${to} agreed to plain ${sdp.media.proto} and will play them as noise: align the SRTP settings of both ends (or of the SBC between them).`,
          evidence: [sdpEvidence(ctx, sdp)],
        });
        break;
      }
    }
    return findings;
  },
};
