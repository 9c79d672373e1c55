import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/run-cli.js';
import type { CliIo } from '../../src/cli/cli-io.js';

/** The CLI's streams in memory: stdin holding `stdin` and ended, stdout and stderr collected as text, and the given environment. */
export function memoryIo(env: NodeJS.ProcessEnv, stdin: Uint8Array | string = ''): { io: CliIo; out: () => string; err: () => string } {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d: Buffer) => (o += d.toString()));
  err.on('data', (d: Buffer) => (e += d.toString()));
  const input = new PassThrough();
  input.end(stdin);
  return { io: { stdin: input, stdout: out, stderr: err, env }, out: () => o, err: () => e };
}

/** `siptriage ARGS` run in this process on memoryIo: its exit code and what it printed. */
export async function runCliInMemory(args: readonly string[], env: NodeJS.ProcessEnv = {}, stdin: Uint8Array | string = ''): Promise<{ code: number; out: string; err: string }> {
  const m = memoryIo(env, stdin);
  const code = await runCli([...args], m.io);
  return { code, out: m.out(), err: m.err() };
}
