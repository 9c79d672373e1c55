import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What a person did to get an answer, and so which path of the service answers it. */
export type PreviewInput =
  /** Typed after /sip, answered privately (Slack response_url, Discord ephemeral reply). */
  | { readonly kind: 'query'; readonly query: string }
  /** Pasted into a channel (Slack: answered in its thread; Discord: the "Triage SIP trace" message menu). */
  | { readonly kind: 'paste'; readonly file: string }
  /** A capture file shared in a channel. */
  | { readonly kind: 'file'; readonly file: string }
  /** 46 × 503 from one peer: the spike alert as it stands (`open`) and after it cleared (`resolved`). */
  | { readonly kind: 'alert'; readonly state: 'open' | 'resolved' }
  /** The daily digest posted on schedule to a subscribed channel. */
  | { readonly kind: 'digest' };

export interface PreviewCase {
  /** Stable, used for snapshot names and element ids. */
  readonly id: string;
  readonly title: string;
  /** What was typed or done, as the page shows it above the answer. */
  readonly asked: string;
  readonly input: PreviewInput;
  /** Where a real trace came from (the wild corpus cites its thread). */
  readonly source?: string;
}

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

export function fixturePath(file: string): string {
  return `${FIXTURES}${file}`;
}

interface WildEntry {
  readonly file: string;
  readonly source: string;
}

function wildSource(file: string): string {
  const manifest = JSON.parse(readFileSync(fixturePath('wild/manifest.json'), 'utf8')) as { traces: WildEntry[] };
  const entry = manifest.traces.find((t) => `wild/${t.file}` === file);
  if (entry === undefined) throw new Error(`${file} is not in the wild manifest`);
  return entry.source;
}

function paste(id: string, title: string, file: string): PreviewCase {
  return { id, title, asked: `pasted ${file.split('/').pop() ?? file}`, input: { kind: 'paste', file }, source: wildSource(file) };
}

/** The answers issue 20 asks to be looked at, in the order an on-call engineer meets them. */
export const PREVIEW_CASES: readonly PreviewCase[] = [
  { id: 'code-503', title: '/sip 503', asked: '/sip 503', input: { kind: 'query', query: '503' } },
  { id: 'code-486', title: '/sip 486', asked: '/sip 486', input: { kind: 'query', query: '486' } },
  { id: 'q850-34', title: 'Q.850 cause 34', asked: '/sip q850 34', input: { kind: 'query', query: 'q850 34' } },
  paste('trace-asterisk-b2bua', 'Asterisk B2BUA: 503 in, 603 out', 'wild/which-call/asterisk-forum-96093-b2bua-503-becomes-603.txt'),
  paste('trace-twilio-503', 'Twilio Android logcat 503, blockquoted', 'wild/markup/twilio-android-278-blockquoted-logcat-503-dotted-callid.txt'),
  paste('trace-opensips-503', 'OpenSIPS 503, SDP run into the status line', 'wild/run-together/opensips-120-sdp-straight-into-503-masked.txt'),
  { id: 'capture-503', title: 'Capture: 503 from the far end', asked: 'shared 03-unavailable-503.pcapng', input: { kind: 'file', file: 'captures/03-unavailable-503.pcapng' } },
  { id: 'alert-open', title: 'Spike alert, open', asked: '46 × 503 from 203.0.113.7 through /ingest', input: { kind: 'alert', state: 'open' } },
  { id: 'alert-resolved', title: 'Spike alert, resolved', asked: 'the spike ends', input: { kind: 'alert', state: 'resolved' } },
  { id: 'stats', title: '/sip stats', asked: '/sip stats', input: { kind: 'query', query: 'stats' } },
  { id: 'digest-now', title: '/sip digest now', asked: '/sip digest now', input: { kind: 'query', query: 'digest now' } },
  { id: 'digest', title: 'Daily digest', asked: 'the scheduled digest', input: { kind: 'digest' } },
];
