import { buildLadder } from '../ladder/build-ladder.js';
import { renderLadderMermaid } from '../ladder/render-ladder-mermaid.js';
import { renderLadderSvg } from '../ladder/render-ladder-svg.js';
import { renderLadderText } from '../ladder/render-ladder-text.js';
import { Redactor, type RedactOptions } from '../redact.js';
import type { TriageReport } from '../triage/triage.js';
import { sharePcap, sharePcapSummary } from './share-pcap.js';
import { shareSummary } from './share-summary.js';
import { shareTrace } from './share-trace.js';

export interface ShareFile {
  readonly name: string;
  readonly mediaType: string;
  readonly content: string | Uint8Array;
}

export interface ShareBundle {
  readonly files: readonly ShareFile[];
  /** The failure summary (also in the files as summary.md), for posting next to the files. */
  readonly summary: string;
  readonly redaction: RedactOptions;
}

export interface ShareOptions {
  /** What to mask; see shareRedaction for the defaults a bundle should use. */
  readonly redact: RedactOptions;
  /** Only this call; by default the failing calls, or every call when none failed. */
  readonly callId?: string;
  /** SVG → PNG, supplied by the edge (resvg is a native binding); without it the bundle has no PNG. */
  readonly rasterize?: (svg: string) => Uint8Array;
  /** Name of the file or attachment the trace came from, for the summary. */
  readonly source?: string;
}

/**
 * A bundle leaves the company (to a carrier or a vendor), so numbers and addresses are masked unless the
 * person sharing opts out of each explicitly; credentials are removed whatever is chosen.
 */
export function shareRedaction(keep: { readonly numbers?: boolean; readonly addresses?: boolean } = {}): RedactOptions {
  return { numbers: keep.numbers !== true, addresses: keep.addresses !== true };
}

/**
 * Everything a carrier or vendor needs to look at a failure, redacted: the trace of the calls concerned (as
 * text, and as a pcap for Wireshark and sngrep), the ladder (PNG when the edge can draw one, SVG, Mermaid and
 * text) and a short summary with timestamps.
 * Pure: the caller writes the files to a folder, uploads them to a thread, or attaches them.
 */
export function buildShareBundle(report: TriageReport, options: ShareOptions): ShareBundle {
  // One redactor for every file, so "public-1" is the same host in the trace, the ladder and the summary.
  const redactor = new Redactor(options.redact);
  const failing = report.calls.filter((c) => c.call.outcome === 'failed' || c.call.outcome === 'no-final');
  const selected =
    options.callId !== undefined
      ? report.calls.filter((c) => c.call.callId === options.callId)
      : failing.length > 0
        ? failing
        : report.calls;
  const callIds = new Set(selected.map((c) => c.call.callId));
  const scoped: TriageReport = { ...report, calls: selected, entries: report.entries.filter((e) => callIds.has(e.message.callId)) };
  const trace = shareTrace(scoped, redactor);
  const ladder = buildLadder(scoped, { redactor });
  const pcap = sharePcap(scoped, redactor);
  const summary =
    `${shareSummary(scoped, redactor, { ...(options.source === undefined ? {} : { source: options.source }), totalCalls: report.calls.length })}\n` +
    sharePcapSummary(pcap, redactor);
  const svg = renderLadderSvg(ladder);
  const files: ShareFile[] = [
    { name: 'summary.md', mediaType: 'text/markdown', content: summary },
    { name: 'trace.txt', mediaType: 'text/plain', content: trace },
    // IANA's registered type for the classic libpcap format.
    { name: 'call.pcap', mediaType: 'application/vnd.tcpdump.pcap', content: pcap.bytes },
    { name: 'ladder.txt', mediaType: 'text/plain', content: `${renderLadderText(ladder)}\n` },
    { name: 'ladder.mmd', mediaType: 'text/plain', content: renderLadderMermaid(ladder) },
    { name: 'ladder.svg', mediaType: 'image/svg+xml', content: svg },
  ];
  if (options.rasterize !== undefined) files.push({ name: 'ladder.png', mediaType: 'image/png', content: options.rasterize(svg) });
  return { files, summary, redaction: options.redact };
}
