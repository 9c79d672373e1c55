import type { RtpStreamReport } from '../../media/media-report.js';
import type { Evidence, Finding, Rule, RuleContext } from '../finding.js';
import { sdpEvidence, streamLabel } from '../media-directions.js';
import { negotiation } from '../media-negotiation.js';

/** Streams short of this tell little about quality. */
const MIN_PACKETS = 50;
/** G.113 Appendix I: with PLC, G.711 loses about a MOS point by 5 % random loss; 2 % is audible. */
const LOSS_PERCENT = 2;
/** Interarrival jitter a typical 40–60 ms jitter buffer cannot absorb without discards. */
const MEAN_JITTER_MS = 20;
const MAX_JITTER_MS = 40;
/** G.107 Table B.1: below R 70 (MOS 3.6) many users are dissatisfied; below R 60 (MOS 3.1) nearly all. */
const MOS_POOR = 3.6;
const MOS_BAD = 3.1;

const voice = (ctx: RuleContext): RtpStreamReport[] => (ctx.media ?? []).filter((s) => s.packets >= MIN_PACKETS && s.codec !== 'TELEPHONE-EVENT');

/** The SDP that announced where the stream goes (or comes from): what the finding points at. */
function evidenceFor(ctx: RuleContext): (s: RtpStreamReport) => Evidence[] {
  const neg = negotiation(ctx.call);
  const sdps = neg === undefined ? [] : [...neg.caller, ...neg.callee];
  return (s) => {
    const sdp = sdps.find((x) => x.receiveAt === s.dst) ?? sdps.find((x) => x.receiveAt === s.src);
    return sdp === undefined ? [] : [sdpEvidence(ctx, sdp)];
  };
}

function lossPercent(s: RtpStreamReport): number {
  return s.expected <= 0 ? 0 : (100 * Math.max(0, s.lost)) / s.expected;
}

export const highLoss: Rule = {
  id: 'high-loss',
  evaluate(ctx) {
    const evidence = evidenceFor(ctx);
    return voice(ctx)
      .filter((s) => lossPercent(s) >= LOSS_PERCENT)
      .map(
        (s): Finding => ({
          id: this.id,
          severity: lossPercent(s) >= 5 ? 'error' : 'warning',
          title: `${lossPercent(s).toFixed(1)} % of RTP lost from ${(ctx.showAddress ?? ((t: string) => t))(s.src)}`,
          detail: `${streamLabel(ctx, s)}: ${s.lost} of ${s.expected} packets missing by sequence number (as Wireshark counts), ${s.outOfOrder} out of order, ${s.duplicates} duplicated. Loss is where the capture was taken or before it: compare a capture at the other end, check link utilisation, Wi-Fi, and QoS marking (DSCP EF) along the path.`,
          evidence: evidence(s),
        }),
      );
  },
};

export const highJitter: Rule = {
  id: 'high-jitter',
  evaluate(ctx) {
    const evidence = evidenceFor(ctx);
    return voice(ctx)
      .filter((s) => s.meanJitterMs >= MEAN_JITTER_MS || s.maxJitterMs >= MAX_JITTER_MS)
      .map(
        (s): Finding => ({
          id: this.id,
          severity: 'warning',
          title: `High jitter on RTP from ${(ctx.showAddress ?? ((t: string) => t))(s.src)}: mean ${s.meanJitterMs.toFixed(1)} ms, max ${s.maxJitterMs.toFixed(1)} ms`,
          detail: `${streamLabel(ctx, s)}: interarrival jitter (RFC 3550 §6.4.1) this high outruns a typical 40–60 ms jitter buffer, so late packets are dropped and the audio is choppy; the largest gap between packets was ${s.maxDeltaMs.toFixed(0)} ms. Look for congestion or bufferbloat on the path and missing QoS priority for RTP.`,
          evidence: evidence(s),
        }),
      );
  },
};

export const lowMos: Rule = {
  id: 'low-mos',
  evaluate(ctx) {
    const evidence = evidenceFor(ctx);
    return voice(ctx)
      .filter((s) => s.mos !== undefined && s.mos.mos < MOS_POOR)
      .map((s): Finding => {
        const e = s.mos!;
        return {
          id: this.id,
          severity: e.mos < MOS_BAD ? 'error' : 'warning',
          title: `Estimated MOS ${e.mos.toFixed(2)} for audio from ${(ctx.showAddress ?? ((t: string) => t))(s.src)} (E-model, R ${e.r})`,
          detail: `An estimate, not a measurement: ITU-T G.107 with ${e.codec}, ${e.lossPercent} % loss including packets a ${e.jitterBufferMs} ms jitter buffer would discard, and ${e.oneWayDelayMs} ms one-way delay (${e.delayFrom === 'rtcp' ? 'half the RTCP round trip' : 'network delay unknown, taken as 0'} plus jitter buffer, packetisation and codec). ${streamLabel(ctx, s)}.`,
          evidence: evidence(s),
        };
      });
  },
};
