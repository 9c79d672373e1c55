import { isSecureProfile, type Codec, type MediaDescription } from '../../sip/sdp.js';
import { evidence, where, type Finding, type Rule } from '../finding.js';

// Not codecs: they ride along with any voice codec and never make a session acceptable on their own.
const AUXILIARY = new Set(['TELEPHONE-EVENT', 'CN', 'RED', 'ULPFEC', 'RTX', 'FLEXFEC']);

function codecNames(m: MediaDescription): string[] {
  return m.codecs.filter((c) => !AUXILIARY.has(c.name)).map(codecLabel);
}

function codecLabel(c: Codec): string {
  return c.name === '' ? `PT ${c.pt}` : c.name;
}

const sameCodec = (a: Codec, b: Codec): boolean =>
  a.name !== '' && b.name !== '' ? a.name === b.name && (a.rate ?? 0) === (b.rate ?? 0) : a.pt === b.pt;

/**
 * Offer/answer (RFC 3264 §6): an answer must pick from the offer. A 488 or 606 to an offer, or an answer
 * with no payload type in common, is a codec or media-profile mismatch (RTP/AVP vs RTP/SAVP is the other
 * usual cause, RFC 3711/4568).
 */
export const codecMismatch: Rule = {
  id: 'codec-mismatch',
  evaluate(ctx) {
    const findings: Finding[] = [];
    for (const t of ctx.call.transactions) {
      if (t.method !== 'INVITE' && t.method !== 'UPDATE') continue;
      const offer = t.requests.find((r) => r.message.sdp !== undefined);
      if (offer === undefined) continue;
      const offerMedia = offer.message.sdp?.media.filter((m) => m.port !== 0) ?? [];
      const audioOffer = offerMedia.find((m) => m.type === 'audio') ?? offerMedia[0];
      const status = t.final?.message.status;
      if (t.final !== undefined && (status === 488 || status === 606 || status === 415)) {
        const warnings = t.final.message.warnings;
        const offered = audioOffer === undefined ? [] : codecNames(audioOffer);
        const secure = audioOffer !== undefined && isSecureProfile(audioOffer.proto);
        findings.push({
          id: this.id,
          severity: 'error',
          title: `${status} to an offer of ${offered.join(', ') || 'no codecs'}${secure ? ` over ${audioOffer?.proto}` : ''}: no acceptable media`,
          detail:
            `${where(t.final)} rejects the SDP offer in ${where(offer)}` +
            `${audioOffer === undefined ? '' : ` (${audioOffer.type} ${audioOffer.proto}: ${offered.join(', ')})`}.` +
            `${warnings.length === 0 ? '' : ` Warning: ${warnings.map((w) => `${w.code} "${w.text}"`).join('; ')}.`}` +
            ` Offer a codec the far end supports (PCMU/PCMA are the safe common ground on trunks)` +
            `${secure ? ', or check that both sides agree on SRTP (RTP/SAVP with a=crypto) versus plain RTP' : ''}, or transcode at the SBC.`,
          evidence: [evidence(ctx, offer, 'Content-Type', `m=${audioOffer?.type ?? ''} ${audioOffer?.port ?? ''} ${audioOffer?.proto ?? ''} ${audioOffer?.codecs.map((c) => c.pt).join(' ') ?? ''}`.trim()), evidence(ctx, t.final)],
        });
        continue;
      }
      const answer = t.responses.find((r) => r.message.sdp !== undefined && (r.message.status ?? 0) < 300);
      const answerMedia = answer?.message.sdp?.media.find((m) => m.type === audioOffer?.type);
      if (answer === undefined || audioOffer === undefined || answerMedia === undefined || answerMedia.port === 0) continue;
      const common = answerMedia.codecs.filter((a) => !AUXILIARY.has(a.name) && audioOffer.codecs.some((o) => sameCodec(o, a)));
      const profileMismatch = isSecureProfile(audioOffer.proto) !== isSecureProfile(answerMedia.proto);
      if (common.length === 0 || profileMismatch) {
        findings.push({
          id: this.id,
          severity: 'error',
          title: profileMismatch
            ? `Media profile mismatch: offer ${audioOffer.proto}, answer ${answerMedia.proto}`
            : `No codec in common: offer ${codecNames(audioOffer).join(', ')}, answer ${codecNames(answerMedia).join(', ')}`,
          detail: `The answer in ${where(answer)} does not fit the offer in ${where(offer)} (RFC 3264 §6): expect no audio or a quick BYE/488. Align codec lists or SRTP settings on both sides.`,
          evidence: [evidence(ctx, offer), evidence(ctx, answer)],
        });
      }
    }
    return findings;
  },
};
