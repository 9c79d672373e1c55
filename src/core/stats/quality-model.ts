import { POOR_MOS } from '../media/call-quality.js';

/**
 * MOS bands after G.107 Table B.1 (user satisfaction): 4.0 and up satisfied, 3.6–4.0 some dissatisfied,
 * 3.1–3.6 many, under 3.1 nearly all. "Poor audio" below is under 3.6.
 */
export type MosBand = 'good' | 'fair' | 'poor' | 'bad';
export const MOS_BANDS: readonly MosBand[] = ['good', 'fair', 'poor', 'bad'];
export const BAD_MOS = 3.1;
const FAIR_MOS = 4.0;

export function bandOf(mos: number): MosBand {
  return mos < BAD_MOS ? 'bad' : mos < POOR_MOS ? 'poor' : mos < FAIR_MOS ? 'fair' : 'good';
}

/** The store's read of calls with quality: per peer and band, how many calls and the sum of their MOS. */
export interface QualityRow {
  readonly peer: string | null;
  readonly band: MosBand;
  readonly count: number;
  readonly mosSum: number;
}

export interface QualityQuery {
  /** [from, to) in ms. */
  readonly from: number;
  readonly to: number;
}

export interface PeerQuality {
  readonly peer: string;
  readonly calls: number;
  readonly meanMos: number;
  /** Calls under MOS 3.6. */
  readonly poor: number;
}

export interface QualityModel {
  /** Calls with a quality report in the range. */
  readonly calls: number;
  readonly meanMos: number;
  readonly bands: Readonly<Record<MosBand, number>>;
  /** Calls under MOS 3.6. */
  readonly poor: number;
  /** Worst mean MOS first, peers with at least MIN_PEER_CALLS calls, WORST_PEERS at most. */
  readonly worstPeers: readonly PeerQuality[];
}

/** A peer's mean over fewer calls says more about one call than about the peer. */
export const MIN_PEER_CALLS = 3;
const WORST_PEERS = 3;

const round2 = (x: number): number => Math.round(x * 100) / 100;

export function buildQuality(rows: readonly QualityRow[]): QualityModel {
  const bands: Record<MosBand, number> = { good: 0, fair: 0, poor: 0, bad: 0 };
  const peers = new Map<string, { calls: number; sum: number; poor: number }>();
  let calls = 0;
  let sum = 0;
  for (const r of rows) {
    bands[r.band] += r.count;
    calls += r.count;
    sum += r.mosSum;
    const key = r.peer ?? '(unknown)';
    const p = peers.get(key) ?? { calls: 0, sum: 0, poor: 0 };
    p.calls += r.count;
    p.sum += r.mosSum;
    if (r.band === 'poor' || r.band === 'bad') p.poor += r.count;
    peers.set(key, p);
  }
  const worstPeers = [...peers.entries()]
    .filter(([, p]) => p.calls >= MIN_PEER_CALLS)
    .map(([peer, p]) => ({ peer, calls: p.calls, meanMos: round2(p.sum / p.calls), poor: p.poor }))
    .filter((p) => p.meanMos < FAIR_MOS || p.poor > 0)
    .sort((a, b) => a.meanMos - b.meanMos || b.calls - a.calls || (a.peer < b.peer ? -1 : 1))
    .slice(0, WORST_PEERS);
  return { calls, meanMos: calls === 0 ? 0 : round2(sum / calls), bands, poor: bands.poor + bands.bad, worstPeers };
}

/** The card section for a quality model, or none when no call had a quality report. */
export function qualitySection(m: QualityModel | undefined): { readonly title: string; readonly items: string[] }[] {
  return m === undefined || m.calls === 0 ? [] : [{ title: 'Audio quality', items: qualityLines(m) }];
}

const pct = (n: number, of: number): string => `${of === 0 ? 0 : Math.round((100 * n) / of)} %`;

/** The card lines for a quality model; none when no call had a quality report. */
export function qualityLines(m: QualityModel, showPeer: (peer: string) => string = (p) => p): string[] {
  if (m.calls === 0) return [];
  const lines = [
    `Audio quality of ${m.calls} call${m.calls === 1 ? '' : 's'} (RTCP / RFC 6035 reports): mean MOS ${m.meanMos.toFixed(2)}; ` +
      `${m.poor} with poor audio (MOS < 3.6, ${pct(m.poor, m.calls)})`,
    `MOS ≥ 4.0: ${m.bands.good} · 3.6–4.0: ${m.bands.fair} · 3.1–3.6: ${m.bands.poor} · < 3.1: ${m.bands.bad}`,
  ];
  if (m.worstPeers.length > 0) lines.push(`Worst peers by MOS: ${m.worstPeers.map((p) => `${showPeer(p.peer)} ${p.meanMos.toFixed(2)} (${p.poor}/${p.calls} poor)`).join(', ')}`);
  return lines;
}
