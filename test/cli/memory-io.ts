import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli/cli-io.js';

/** The CLI's streams in memory: an ended stdin, stdout and stderr collected as text, and the given environment. */
export function memoryIo(env: NodeJS.ProcessEnv): { io: CliIo; out: () => string; err: () => string } {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d: Buffer) => (o += d.toString()));
  err.on('data', (d: Buffer) => (e += d.toString()));
  const input = new PassThrough();
  input.end();
  return { io: { stdin: input, stdout: out, stderr: err, env }, out: () => o, err: () => e };
}
