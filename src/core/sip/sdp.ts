/**
 * The parts of an SDP body (RFC 4566, offer/answer RFC 3264) that explain failed calls: where media is
 * sent, which codecs are offered, direction, and whether the media is encrypted.
 */
export interface Codec {
  readonly pt: number;
  /** Encoding name in upper case (PCMU, OPUS, TELEPHONE-EVENT); "" when a dynamic type has no rtpmap. */
  readonly name: string;
  readonly rate: number | undefined;
  readonly fmtp: string | undefined;
}

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface MediaDescription {
  readonly type: string;
  readonly port: number;
  /** RTP/AVP, RTP/SAVP, UDP/TLS/RTP/SAVPF, udptl (T.38), … */
  readonly proto: string;
  readonly codecs: readonly Codec[];
  /** The media-level c= address, or the session-level one it inherits. */
  readonly address: string | undefined;
  readonly direction: Direction;
  /** SDES keys offered (a=crypto, RFC 4568). */
  readonly crypto: boolean;
  /** DTLS-SRTP (a=fingerprint, RFC 5763). */
  readonly fingerprint: boolean;
  readonly ice: boolean;
  readonly ptime: number | undefined;
  /** Where RTCP goes when not to port + 1 (a=rtcp, RFC 3605), or the RTP port itself with a=rtcp-mux (RFC 5761). */
  readonly rtcp?: { readonly port: number; readonly address?: string };
}

export interface Sdp {
  readonly origin: string | undefined;
  readonly address: string | undefined;
  readonly media: readonly MediaDescription[];
}

// RFC 3551 §6 static payload types that still appear in traces.
const STATIC: Readonly<Record<number, readonly [string, number]>> = {
  0: ['PCMU', 8000], 3: ['GSM', 8000], 4: ['G723', 8000], 5: ['DVI4', 8000], 6: ['DVI4', 16000], 7: ['LPC', 8000],
  8: ['PCMA', 8000], 9: ['G722', 8000], 10: ['L16', 44100], 11: ['L16', 44100], 12: ['QCELP', 8000],
  13: ['CN', 8000], 14: ['MPA', 90000], 15: ['G728', 8000], 16: ['DVI4', 11025], 17: ['DVI4', 22050],
  18: ['G729', 8000], 25: ['CELB', 90000], 26: ['JPEG', 90000], 28: ['NV', 90000], 31: ['H261', 90000],
  32: ['MPV', 90000], 33: ['MP2T', 90000], 34: ['H263', 90000],
};

const DIRECTIONS = new Set<string>(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

interface MutableMedia {
  type: string;
  port: number;
  proto: string;
  formats: string[];
  address: string | undefined;
  direction: Direction | undefined;
  rtpmap: Map<number, { name: string; rate: number | undefined }>;
  fmtp: Map<number, string>;
  crypto: boolean;
  fingerprint: boolean;
  ice: boolean;
  ptime: number | undefined;
  rtcp: { port: number; address?: string } | undefined;
  rtcpMux: boolean;
}

/** Parses an SDP body; returns undefined when it does not look like SDP (no v= line, no m= line). */
export function parseSdp(body: string): Sdp | undefined {
  if (!/^\s*v=/.test(body)) return undefined;
  let origin: string | undefined;
  let sessionAddress: string | undefined;
  let sessionDirection: Direction | undefined;
  let sessionFingerprint = false;
  let sessionIce = false;
  const media: MutableMedia[] = [];
  for (const rawLine of body.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.length < 2 || line.charCodeAt(1) !== 0x3d /* = */) continue;
    const key = line[0];
    const value = line.slice(2).trim();
    const current = media[media.length - 1];
    switch (key) {
      case 'o':
        origin = value;
        break;
      case 'c': {
        const address = value.split(/\s+/)[2]?.split('/')[0];
        if (current) current.address = address;
        else sessionAddress = address;
        break;
      }
      case 'm': {
        const [type = '', port = '0', proto = '', ...formats] = value.split(/\s+/);
        media.push({
          type, port: Number.parseInt(port, 10) || 0, proto, formats, address: undefined, direction: undefined,
          rtpmap: new Map(), fmtp: new Map(), crypto: false, fingerprint: false, ice: false, ptime: undefined, rtcp: undefined, rtcpMux: false,
        });
        break;
      }
      case 'a': {
        const colon = value.indexOf(':');
        const name = (colon === -1 ? value : value.slice(0, colon)).toLowerCase();
        const arg = colon === -1 ? '' : value.slice(colon + 1).trim();
        if (DIRECTIONS.has(name)) {
          if (current) current.direction = name as Direction;
          else sessionDirection = name as Direction;
        } else if (name === 'fingerprint') {
          if (current) current.fingerprint = true;
          else sessionFingerprint = true;
        } else if (name === 'ice-ufrag' || name === 'candidate') {
          if (current) current.ice = true;
          else sessionIce = true;
        } else if (current) {
          applyMediaAttribute(current, name, arg);
        }
        break;
      }
      default:
        break;
    }
  }
  if (media.length === 0 && origin === undefined) return undefined;
  return {
    origin,
    address: sessionAddress,
    media: media.map((m) => ({
      type: m.type,
      port: m.port,
      proto: m.proto,
      codecs: m.formats.map((f) => codecFor(f, m)),
      address: m.address ?? sessionAddress,
      direction: m.direction ?? sessionDirection ?? 'sendrecv',
      crypto: m.crypto,
      fingerprint: m.fingerprint || sessionFingerprint,
      ice: m.ice || sessionIce,
      ptime: m.ptime,
      ...(m.rtcpMux ? { rtcp: { port: m.port } } : m.rtcp === undefined ? {} : { rtcp: m.rtcp }),
    })),
  };
}

function applyMediaAttribute(m: MutableMedia, name: string, arg: string): void {
  if (name === 'rtpmap') {
    const r = /^(\d+)\s+([^/\s]+)(?:\/(\d+))?/.exec(arg);
    if (r) m.rtpmap.set(Number(r[1]), { name: (r[2] ?? '').toUpperCase(), rate: r[3] ? Number(r[3]) : undefined });
  } else if (name === 'fmtp') {
    const r = /^(\d+)\s+(.*)$/.exec(arg);
    if (r) m.fmtp.set(Number(r[1]), r[2] ?? '');
  } else if (name === 'crypto') m.crypto = true;
  else if (name === 'ptime') m.ptime = Number.parseInt(arg, 10) || undefined;
  else if (name === 'rtcp-mux') m.rtcpMux = true;
  else if (name === 'rtcp') {
    // RFC 3605: a=rtcp:port [nettype addrtype address]
    const r = /^(\d+)(?:\s+IN\s+IP[46]\s+(\S+))?/i.exec(arg);
    if (r) m.rtcp = r[2] === undefined ? { port: Number(r[1]) } : { port: Number(r[1]), address: r[2] };
  }
}

function codecFor(format: string, m: MutableMedia): Codec {
  const pt = Number.parseInt(format, 10);
  if (!Number.isFinite(pt)) return { pt: -1, name: format.toUpperCase(), rate: undefined, fmtp: undefined };
  const mapped = m.rtpmap.get(pt);
  const known = STATIC[pt];
  return {
    pt,
    name: mapped?.name ?? known?.[0] ?? '',
    rate: mapped?.rate ?? known?.[1],
    fmtp: m.fmtp.get(pt),
  };
}

/** Whether the media line asks for SRTP (RFC 3711 profiles). */
export function isSecureProfile(proto: string): boolean {
  return /SAVP/i.test(proto);
}
