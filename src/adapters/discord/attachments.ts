import { formatBytes } from '../../core/trace/read-trace.js';
import type { Problem } from '../../core/result.js';
import { DiscordError } from './discord-error.js';

/** What an attachment says about itself before anything is downloaded. */
export interface AttachmentInfo {
  readonly name: string;
  readonly url: string;
  readonly size: number;
}

export type Fetched = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly problem: Problem };

export interface DownloadOptions {
  readonly maxBytes: number;
  /** Origins attachments may come from: Discord's CDN, and a configured API proxy's origin. */
  readonly origins: readonly string[];
  readonly timeoutMs?: number;
}

export const DISCORD_CDN_ORIGINS = ['https://cdn.discordapp.com', 'https://media.discordapp.net'] as const;

const TEXT_TRACE = /\.(txt|log|sip|out)$/i;
const CAPTURE = /\.(pcap|pcapng|cap)$/i;

/** Files worth reading as a trace: text logs and packet captures, by name (content types are not reliable). */
export function isTraceFile(name: string): boolean {
  return TEXT_TRACE.test(name) || CAPTURE.test(name);
}

export function isCaptureFile(name: string): boolean {
  return CAPTURE.test(name);
}

/**
 * Downloads an attachment within the trace size limit. The size Discord reports is checked first, so an
 * oversized file is refused without a byte fetched; the body is counted while it streams in case the two
 * disagree. Only Discord's CDN (or the configured API origin) is fetched from: nothing else is trusted.
 */
export async function fetchAttachment(a: AttachmentInfo, options: DownloadOptions): Promise<Fetched> {
  if (a.size > options.maxBytes) return { ok: false, problem: tooLarge(a.name, a.size, options.maxBytes) };
  let url: URL;
  try {
    url = new URL(a.url);
  } catch (cause) {
    throw new DiscordError('DISCORD_ATTACHMENT', `attachment ${a.name} has no usable URL`, { cause });
  }
  if (!options.origins.includes(url.origin)) {
    throw new DiscordError('DISCORD_ATTACHMENT', `attachment ${a.name} is not on Discord's CDN (${url.origin})`);
  }
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 20_000), redirect: 'error' });
  } catch (cause) {
    throw new DiscordError('DISCORD_ATTACHMENT', `could not download ${a.name}`, { cause });
  }
  if (!res.ok || res.body === null) {
    throw new DiscordError('DISCORD_ATTACHMENT', `could not download ${a.name}: HTTP ${res.status}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > options.maxBytes) {
      await reader.cancel().catch(() => {});
      return { ok: false, problem: tooLarge(a.name, Math.max(size, a.size), options.maxBytes) };
    }
    chunks.push(value);
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}

function tooLarge(name: string, size: number, limit: number): Problem {
  return { code: 'too-large', message: `${name} is ${formatBytes(size)}, over the ${formatBytes(limit)} limit` };
}
