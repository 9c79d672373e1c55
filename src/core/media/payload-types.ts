/**
 * Payload type to codec and clock rate: the static types of RFC 3551 §6 and, for dynamic ones, the rtpmap
 * of the SDP that set the stream up. Clock rates matter because jitter is measured in the payload's clock.
 */
export interface PayloadFormat {
  /** Upper case, as in SDP rtpmap (PCMU, OPUS, TELEPHONE-EVENT); "" when not known. */
  readonly name: string;
  /** Samples per second of the RTP timestamp; 0 when not known (no jitter is computed then). */
  readonly clockRate: number;
}

const STATIC: readonly (readonly [number, string, number])[] = [
  [0, 'PCMU', 8000], [3, 'GSM', 8000], [4, 'G723', 8000], [5, 'DVI4', 8000], [6, 'DVI4', 16000], [7, 'LPC', 8000],
  [8, 'PCMA', 8000], [9, 'G722', 8000], [10, 'L16', 44100], [11, 'L16', 44100], [12, 'QCELP', 8000], [13, 'CN', 8000],
  [14, 'MPA', 90000], [15, 'G728', 8000], [16, 'DVI4', 11025], [17, 'DVI4', 22050], [18, 'G729', 8000],
  // 19 was comfort noise in drafts before RFC 3389 and is still sent by old gateways.
  [19, 'CN', 8000], [25, 'CELB', 90000], [26, 'JPEG', 90000], [28, 'NV', 90000], [31, 'H261', 90000],
  [32, 'MPV', 90000], [33, 'MP2T', 90000], [34, 'H263', 90000],
];

export const STATIC_FORMATS: ReadonlyMap<number, PayloadFormat> = new Map(STATIC.map(([pt, name, clockRate]) => [pt, { name, clockRate }]));

// Registered media subtypes whose clock rate is fixed by their RTP payload format, for an rtpmap without a rate.
const SUBTYPE_RATES: Readonly<Record<string, number>> = {
  AMR: 8000, 'AMR-WB': 16000, EVS: 16000, G7221: 16000, 'G726-16': 8000, 'G726-24': 8000, 'G726-32': 8000,
  'G726-40': 8000, G729D: 8000, G729E: 8000, 'GSM-EFR': 8000, H264: 90000, H265: 90000, VP8: 90000, VP9: 90000,
  OPUS: 48000, ILBC: 8000, SPEEX: 8000, 'TELEPHONE-EVENT': 8000, RED: 1000, T140: 1000,
};

export const UNKNOWN_FORMAT: PayloadFormat = Object.freeze({ name: '', clockRate: 0 });

/** The format for a payload type given the SDP's rtpmap entries (dynamic types mean nothing without them). */
export function payloadFormat(pt: number, rtpmap?: ReadonlyMap<number, { readonly name: string; readonly rate: number | undefined }>): PayloadFormat {
  const mapped = rtpmap?.get(pt);
  if (mapped !== undefined && mapped.name !== '') {
    return { name: mapped.name, clockRate: mapped.rate ?? SUBTYPE_RATES[mapped.name] ?? STATIC_FORMATS.get(pt)?.clockRate ?? 0 };
  }
  return STATIC_FORMATS.get(pt) ?? UNKNOWN_FORMAT;
}

/** Comfort noise (RFC 3389): silence, not lost audio. */
export function isComfortNoise(pt: number, format: PayloadFormat): boolean {
  return format.name === 'CN' || pt === 13 || pt === 19;
}

/** RFC 4733 named telephone events (DTMF) carried as their own payload type. */
export function isTelephoneEvent(format: PayloadFormat): boolean {
  return format.name === 'TELEPHONE-EVENT';
}
