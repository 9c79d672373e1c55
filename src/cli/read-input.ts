import { open } from 'node:fs/promises';
import { captureFormat } from '../core/capture/read-capture.js';
import { DEFAULT_MAX_CAPTURE_BYTES } from '../core/engine.js';
import { DEFAULT_MAX_TRACE_BYTES, formatBytes } from '../core/trace/read-trace.js';
import type { CliIo } from './cli-io.js';

export type Input = { readonly ok: true; readonly bytes: Uint8Array; readonly name: string } | { readonly ok: false; readonly error: string };

/**
 * Reads a trace or a capture from a file or stdin ("-") as bytes. The limit depends on what it is — a
 * capture (told by its first bytes) may be up to 64 MiB, a text trace 2 MiB — and an input over it is
 * refused after reading at most the limit, never buffered whole.
 */
export async function readInput(file: string, io: CliIo): Promise<Input> {
  const name = file === '-' ? 'input' : file;
  let read: { head: Uint8Array; bytes: Uint8Array; size: number };
  try {
    read = file === '-' ? await readStream(io.stdin) : await readFileLimited(file);
  } catch (err) {
    return { ok: false, error: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  const limit = captureFormat(read.head) === undefined ? DEFAULT_MAX_TRACE_BYTES : DEFAULT_MAX_CAPTURE_BYTES;
  if (read.size > limit) return { ok: false, error: `${name} is ${formatBytes(read.size)}, over the ${formatBytes(limit)} limit` };
  return { ok: true, bytes: read.bytes, name };
}

function limitFor(head: Uint8Array): number {
  return captureFormat(head) === undefined ? DEFAULT_MAX_TRACE_BYTES : DEFAULT_MAX_CAPTURE_BYTES;
}

async function readStream(stream: NodeJS.ReadableStream): Promise<{ head: Uint8Array; bytes: Uint8Array; size: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let limit = DEFAULT_MAX_CAPTURE_BYTES;
  let kept = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    if (size === 0 || (size < 4 && size + b.length >= 4)) limit = limitFor(Buffer.concat([...chunks, b]));
    if (kept < limit) {
      const part = b.subarray(0, limit - kept);
      chunks.push(part);
      kept += part.length;
    }
    size += b.length;
  }
  const bytes = Buffer.concat(chunks);
  return { head: bytes.subarray(0, 4), bytes, size };
}

async function readFileLimited(file: string): Promise<{ head: Uint8Array; bytes: Uint8Array; size: number }> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(4, size));
    await handle.read(head, 0, head.length, 0);
    if (size > limitFor(head)) return { head, bytes: new Uint8Array(0), size };
    return { head, bytes: await handle.readFile(), size };
  } finally {
    await handle.close();
  }
}
