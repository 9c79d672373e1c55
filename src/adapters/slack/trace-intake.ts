import type { webApi } from '@slack/bolt';
import { formatBytes } from '../../core/trace/read-trace.js';
import { containsSip } from '../../core/engine.js';
import { BUSY_MESSAGE, type TriageInput } from '../../ports/triage-runner.js';
import { SlackError } from './slack-error.js';

/** The parts of a Slack file object (in a message event or files.info) that intake reads. */
export interface SlackFile {
  readonly id: string;
  readonly name?: string;
  readonly filetype?: string;
  readonly mode?: string;
  readonly size?: number;
  readonly url_private_download?: string;
}

/** A message as far as triage cares: its text (Slack-escaped, as the Events API sends it) and files. */
export interface MessageContent {
  readonly text: string;
  readonly files: readonly SlackFile[];
}

export type Intake =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'input';
      readonly input: TriageInput;
      readonly from: string;
      readonly capture: boolean;
      /** Frees the capture job's place once its answer is out. */
      readonly release?: () => void;
    }
  | { readonly kind: 'problem'; readonly message: string };

export interface IntakeDeps {
  readonly client: webApi.WebClient;
  readonly botToken: string;
  readonly maxBytes: number;
  /** Largest capture (.pcap, .pcapng, .cap) downloaded; text traces stay under maxBytes. */
  readonly maxCaptureBytes?: number;
  /** The configured Web API base URL: files on its host are trusted with the token too (proxies, tests). */
  readonly apiUrl: string | undefined;
  /** A place for one capture job, claimed before the download (see TriageRunner.admitCapture). */
  readonly admitCapture?: () => (() => void) | undefined;
}

const TEXT_EXTENSIONS = ['.txt', '.log', '.sip'];
const CAPTURE_EXTENSIONS = ['.pcap', '.pcapng', '.cap'];

/**
 * What to triage in a message: the first trace file (text or capture), else the text when it holds SIP.
 * A file is size-checked with files.info before a byte is downloaded, and the download stops at the limit
 * whatever the size claimed.
 */
export async function intakeMessage(deps: IntakeDeps, content: MessageContent): Promise<Intake> {
  const file = content.files.find(isTraceFile);
  if (file !== undefined) return intakeFile(deps, file);
  if (containsSip(content.text)) return { kind: 'input', input: { kind: 'text', text: content.text }, from: 'message', capture: false };
  return { kind: 'none' };
}

export function isTraceFile(file: SlackFile): boolean {
  const name = (file.name ?? '').toLowerCase();
  if ([...TEXT_EXTENSIONS, ...CAPTURE_EXTENSIONS].some((ext) => name.endsWith(ext))) return true;
  return file.mode === 'snippet' || file.filetype === 'text' || file.filetype === 'pcap';
}

async function intakeFile(deps: IntakeDeps, file: SlackFile): Promise<Intake> {
  let info: SlackFile;
  try {
    const res = await deps.client.files.info({ file: file.id });
    info = (res.file as SlackFile | undefined) ?? file;
  } catch (err) {
    throw new SlackError('SLACK_FILE_FAILED', `files.info failed for ${file.id}`, { cause: err });
  }
  const name = info.name ?? file.name ?? 'file';
  const size = info.size ?? file.size;
  const capture = CAPTURE_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext));
  const maxBytes = capture ? (deps.maxCaptureBytes ?? deps.maxBytes) : deps.maxBytes;
  if (size !== undefined && size > maxBytes) {
    return { kind: 'problem', message: `${name} is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit: cut it to the calls that failed.` };
  }
  const url = info.url_private_download ?? file.url_private_download;
  if (url === undefined) return { kind: 'problem', message: `Slack gave no download link for ${name}.` };
  if (!trustedFileUrl(url, deps.apiUrl)) return { kind: 'problem', message: `${name} is not stored on Slack, so it was not downloaded.` };
  // Claimed before a byte is fetched: the place bounds the captures held in memory, downloads included.
  const release = capture ? deps.admitCapture?.() : undefined;
  if (capture && deps.admitCapture !== undefined && release === undefined) return { kind: 'problem', message: BUSY_MESSAGE };
  let download: Download;
  try {
    download = await downloadCapped(url, deps.botToken, maxBytes);
  } catch (err) {
    release?.();
    throw err;
  }
  if (download.kind === 'problem') {
    release?.();
    return { kind: 'problem', message: `${name}: ${download.message}` };
  }
  // A text file without a SIP start line is not a trace: ignored like a message without SIP.
  if (!capture && !containsSip(new TextDecoder('utf-8').decode(download.bytes))) return { kind: 'none' };
  return { kind: 'input', input: { kind: 'bytes', bytes: download.bytes, filename: name }, from: name, capture, ...(release === undefined ? {} : { release }) };
}

/** The bot token goes only to Slack's own hosts (or the configured API host), never to a link in a payload. */
export function trustedFileUrl(url: string, apiUrl: string | undefined): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (apiUrl !== undefined && u.origin === new URL(apiUrl).origin) return true;
  const host = u.hostname.toLowerCase();
  return u.protocol === 'https:' && (host === 'slack.com' || host.endsWith('.slack.com') || host.endsWith('.slack-gov.com'));
}

type Download = { readonly kind: 'bytes'; readonly bytes: Uint8Array } | { readonly kind: 'problem'; readonly message: string };

async function downloadCapped(url: string, token: string, maxBytes: number): Promise<Download> {
  let res: Response;
  try {
    // redirect: 'error': a redirect elsewhere would carry the token off Slack.
    res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, redirect: 'error', signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new SlackError('SLACK_FILE_FAILED', 'the file download failed', { cause: err });
  }
  if (!res.ok || res.body === null) {
    await res.body?.cancel();
    throw new SlackError('SLACK_FILE_FAILED', `the file download answered ${res.status}`);
  }
  // Without files:read Slack answers 200 with its sign-in page instead of the file.
  if ((res.headers.get('content-type') ?? '').startsWith('text/html')) {
    await res.body.cancel();
    return { kind: 'problem', message: 'Slack sent a sign-in page instead of the file (the app needs the files:read scope).' };
  }
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body.cancel();
    return { kind: 'problem', message: `the file is ${formatBytes(declared)}, over the ${formatBytes(maxBytes)} limit.` };
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return { kind: 'problem', message: `the file is over the ${formatBytes(maxBytes)} limit.` };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return { kind: 'bytes', bytes };
}
