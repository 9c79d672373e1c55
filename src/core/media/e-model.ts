/**
 * The ITU-T G.107 (06/2015) E-model, narrowband, with every parameter at its Table 3 default except the
 * ones a capture tells us: mean one-way delay Ta (and T = Ta, Tr = 2·Ta as §7.2 suggests for a
 * four-wire path), the codec's equipment impairment Ie and packet-loss robustness Bpl (G.113 Appendix I),
 * and the packet-loss probability Ppl. Formula numbers refer to G.107 §7.
 */
export interface EModelInput {
  /** Mean one-way mouth-to-ear delay in ms. */
  readonly ta: number;
  readonly ie: number;
  readonly bpl: number;
  /** Packet-loss probability in percent (0–100). */
  readonly ppl: number;
  /** Burst ratio: 1 for random loss (§7.6). */
  readonly burstR?: number;
}

const D = { SLR: 8, RLR: 2, STMR: 15, LSTR: 18, Ds: 3, Dr: 3, TELR: 65, WEPL: 110, qdu: 1, Nc: -70, Nfor: -64, Ps: 35, Pr: 35, A: 0 } as const;

const log10 = Math.log10;
const pow = Math.pow;

/** Basic signal-to-noise ratio Ro and the simultaneous impairment Is with default parameters (7-3 to 7-19). */
function baseline(): { readonly ro: number; readonly is: number; readonly no: number } {
  const OLR = D.SLR + D.RLR;
  const Nfo = D.Nfor + D.RLR;
  const Pre = D.Pr + 10 * log10(1 + pow(10, (10 - D.LSTR) / 10));
  const Nor = D.RLR - 121 + Pre + 0.008 * pow(Pre - 35, 2);
  const Nos = D.Ps - D.SLR - D.Ds - 100 + 0.004 * pow(D.Ps - OLR - D.Ds - 14, 2);
  const No = 10 * log10(pow(10, D.Nc / 10) + pow(10, Nos / 10) + pow(10, Nor / 10) + pow(10, Nfo / 10));
  const ro = 15 - 1.5 * (D.SLR + No);
  const Xolr = OLR + 0.2 * (64 + No - D.RLR);
  const Iolr = 20 * (pow(1 + pow(Xolr / 8, 8), 1 / 8) - Xolr / 8);
  const STMRo = -10 * log10(pow(10, -D.STMR / 10) + Math.exp(0) * pow(10, -D.TELR / 10));
  const Ist =
    12 * pow(1 + pow((STMRo - 13) / 6, 8), 1 / 8) -
    28 * pow(1 + pow((STMRo + 1) / 19.4, 35), 1 / 35) -
    13 * pow(1 + pow((STMRo - 3) / 33, 13), 1 / 13) +
    29;
  const Q = 37 - 15 * log10(D.qdu);
  const G = 1.07 + 0.258 * Q + 0.0602 * Q * Q;
  const Y = (ro - 100) / 15 + 46 / 8.4 - G / 9;
  const Z = 46 / 30 - G / 40;
  const Iq = 15 * log10(1 + pow(10, Y) + pow(10, Z));
  return { ro, is: Iolr + Ist + Iq, no: No };
}

const BASE = baseline();

/** Delay impairment Id = Idte + Idle + Idd (7-21 to 7-29), with T = Ta and Tr = 2·Ta. */
export function delayImpairment(ta: number): number {
  const T = ta;
  const Tr = 2 * ta;
  const TERV = D.TELR - 40 * log10((1 + T / 10) / (1 + T / 150)) + 6 * Math.exp(-0.3 * T * T);
  const Roe = -1.5 * (BASE.no - D.RLR);
  const Re = 80 + 2.5 * (TERV - 14);
  const Idte = ((Roe - Re) / 2 + Math.sqrt(pow(Roe - Re, 2) / 4 + 100) - 1) * (1 - Math.exp(-T));
  const Rle = 10.5 * (D.WEPL + 7) * pow(Tr + 1, -0.25);
  const Idle = (BASE.ro - Rle) / 2 + Math.sqrt(pow(BASE.ro - Rle, 2) / 4 + 169);
  return Idte + Idle + pureDelayImpairment(ta);
}

/** Idd, the impairment of a long one-way delay itself (7-27, 7-28): none up to 100 ms. */
export function pureDelayImpairment(ta: number): number {
  if (ta <= 100) return 0;
  const X = log10(ta / 100) / log10(2);
  return 25 * (pow(1 + pow(X, 6), 1 / 6) - 3 * pow(1 + pow(X / 3, 6), 1 / 6) + 2);
}

/** Effective equipment impairment under packet loss (7-29). */
export function effectiveIe(ie: number, bpl: number, ppl: number, burstR = 1): number {
  return ie + (95 - ie) * (ppl / (ppl / burstR + bpl));
}

/** The rating factor R (7-1). */
export function rating(input: EModelInput): number {
  return BASE.ro - BASE.is - delayImpairment(input.ta) - effectiveIe(input.ie, input.bpl, input.ppl, input.burstR) + D.A;
}

/** MOS (conversational quality, estimated) from R, G.107 Annex B (B-4). */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

/** Ie and Bpl per codec from G.113 Appendix I (Tables I.1 and I.3), and the codec's own delay. */
export interface CodecImpairment {
  readonly label: string;
  readonly ie: number;
  readonly bpl: number;
  /** Algorithmic delay added to the path (frame and look-ahead), in ms. */
  readonly codecDelayMs: number;
}

const G711: CodecImpairment = { label: 'G.711 with packet-loss concealment (G.113: Ie 0, Bpl 25.1)', ie: 0, bpl: 25.1, codecDelayMs: 0 };
const G729A: CodecImpairment = { label: 'G.729A + VAD (G.113: Ie 11, Bpl 19.0)', ie: 11, bpl: 19, codecDelayMs: 15 };
const G723: CodecImpairment = { label: 'G.723.1 6.3 kbit/s + VAD (G.113: Ie 15, Bpl 16.1)', ie: 15, bpl: 16.1, codecDelayMs: 37.5 };

/** The impairment values for a codec name, or undefined when G.113 gives none (wideband, Opus, …). */
export function codecImpairment(codec: string): CodecImpairment | undefined {
  switch (codec) {
    case 'PCMU':
    case 'PCMA':
      return G711;
    case 'G729':
      return G729A;
    case 'G723':
      return G723;
    default:
      return undefined;
  }
}
