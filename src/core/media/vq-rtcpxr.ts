import { fail, ok, type Result } from '../result.js';

/** The content type of an RFC 6035 voice quality report (the body of a SIP PUBLISH). */
export const VQ_RTCPXR_TYPE = 'application/vq-rtcpxr';

/** One metrics block of a report: what one end measured of the audio it received. */
export interface VqMetrics {
  /** PacketLoss NLR: network packet loss rate, in percent. */
  readonly lossPercent?: number;
  /** PacketLoss JDR: jitter buffer discard rate, in percent. */
  readonly discardPercent?: number;
  /** Delay IAJ: interarrival jitter, in ms. */
  readonly jitterMs?: number;
  /** Delay RTD: round-trip delay, in ms. */
  readonly roundTripMs?: number;
  /** QualityEst MOSLQ (listening quality) and MOSCQ (conversational quality), 1–5. */
  readonly mosLq?: number;
  readonly mosCq?: number;
  /** QualityEst RLQ: the listening-quality R factor, 0–120. */
  readonly rLq?: number;
  /** SessionDesc PD: the codec name. */
  readonly codec?: string;
}

export interface VqAddress {
  readonly ip: string;
  readonly port: number | undefined;
  readonly ssrc: number | undefined;
}

export interface VqReport {
  readonly kind: 'session' | 'interval' | 'alert';
  /** ": CallTerm" on the first line: the last report of the session. */
  readonly callTerm: boolean;
  readonly callId: string;
  readonly local: VqAddress | undefined;
  readonly remote: VqAddress | undefined;
  /** Measured by the reporter (audio from remote to local). */
  readonly localMetrics: VqMetrics | undefined;
  /** What the far end reported to the reporter (audio from local to remote). */
  readonly remoteMetrics: VqMetrics | undefined;
}

const KINDS: Readonly<Record<string, VqReport['kind']>> = { vqsessionreport: 'session', vqintervalreport: 'interval', vqalertreport: 'alert' };
const MAX_BODY = 16_384;

/**
 * Reads a voice quality report (RFC 6035 §4.7): a first line naming the report type, then "Name: value"
 * lines in any order (devices differ, and some leave out the space), metrics lines after "LocalMetrics:"
 * or "RemoteMetrics:" holding KEY=value pairs. Values outside their range (RFC 3611 uses 127 for
 * "unavailable") are left out rather than taken as measurements. Never throws.
 */
export function parseVqReport(body: string): Result<VqReport> {
  if (body.length > MAX_BODY) return fail('vq-too-large', `a voice quality report of ${body.length} characters is over the ${MAX_BODY} limit`);
  const lines = body.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const first = /^(VQ[A-Za-z]+Report)\s*(?::\s*(\S+))?/i.exec(lines[0] ?? '');
  const kind = first === null ? undefined : KINDS[first[1]!.toLowerCase()];
  if (kind === undefined) return fail('vq-not-report', 'the body does not start with VQSessionReport, VQIntervalReport or VQAlertReport (RFC 6035 §4.7)');
  let callId = '';
  let local: VqAddress | undefined;
  let remote: VqAddress | undefined;
  const metrics: { local: Record<string, string> | undefined; remote: Record<string, string> | undefined } = { local: undefined, remote: undefined };
  let section: 'local' | 'remote' = 'local';
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'localmetrics' || name === 'remotemetrics') {
      section = name === 'localmetrics' ? 'local' : 'remote';
      metrics[section] ??= {};
    } else if (name === 'callid') callId = value;
    else if (name === 'localaddr') local = address(value);
    else if (name === 'remoteaddr') remote = address(value);
    else if (METRIC_LINES.has(name)) Object.assign((metrics[section] ??= {}), pairs(value));
  }
  if (callId === '') return fail('vq-no-call-id', 'the voice quality report names no CallID, so it cannot be tied to a call');
  return ok({
    kind,
    callTerm: first?.[2]?.toLowerCase() === 'callterm',
    callId,
    local,
    remote,
    localMetrics: metrics.local === undefined ? undefined : readMetrics(metrics.local),
    remoteMetrics: metrics.remote === undefined ? undefined : readMetrics(metrics.remote),
  });
}

const METRIC_LINES: ReadonlySet<string> = new Set(['timestamps', 'sessiondesc', 'jitterbuffer', 'packetloss', 'burstgaploss', 'delay', 'signal', 'qualityest']);

function pairs(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of value.matchAll(/([A-Za-z]+)=("[^"]*"|\S+)/g)) out[m[1]!.toUpperCase()] = m[2]!.replace(/^"|"$/g, '');
  return out;
}

function address(value: string): VqAddress | undefined {
  const p = pairs(value);
  if (p.IP === undefined) return undefined;
  const port = Number(p.PORT);
  // RFC 6035 §4.7.1: the SSRC is hexadecimal (1*8HEXDIG); devices often prefix it with 0x.
  const hex = p.SSRC?.replace(/^0x/i, '');
  const ssrc = hex !== undefined && /^[0-9a-f]{1,8}$/i.test(hex) ? Number.parseInt(hex, 16) : Number.NaN;
  return { ip: p.IP, port: Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined, ssrc: Number.isFinite(ssrc) && ssrc >= 0 ? ssrc >>> 0 : undefined };
}

function within(raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= min && n <= max ? n : undefined;
}

function readMetrics(p: Record<string, string>): VqMetrics {
  const out: Record<string, number | string> = {};
  const put = (key: keyof VqMetrics, v: number | string | undefined): void => {
    if (v !== undefined) out[key] = v;
  };
  put('lossPercent', within(p.NLR, 0, 100));
  put('discardPercent', within(p.JDR, 0, 100));
  put('jitterMs', within(p.IAJ, 0, 60_000));
  // RTD 0 is what devices send when they measured nothing.
  put('roundTripMs', within(p.RTD, 1, 60_000));
  put('mosLq', within(p.MOSLQ, 1, 5));
  put('mosCq', within(p.MOSCQ, 1, 5));
  put('rLq', within(p.RLQ, 0, 120));
  put('codec', p.PD === undefined || p.PD === '' ? undefined : p.PD.slice(0, 32));
  return out as VqMetrics;
}
