import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';

/** Which of the real SIP tools the end-to-end test needs are missing (Debian: kamailio, sip-tester, tshark). */
export function missingTools(): string[] {
  const missing = ['kamailio', 'sipp', 'tshark'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  // tshark captures through dumpcap, which needs root or the capture capabilities.
  if (!missing.includes('tshark') && spawnSync('tshark', ['-D'], { encoding: 'utf8' }).stdout.split('\n').every((l) => !/\blo\b/.test(l))) {
    missing.push('permission to capture on lo (tshark -D lists no lo)');
  }
  return missing;
}

/** Distinct free UDP ports on 127.0.0.1, held open together so the OS cannot hand one out twice. */
export async function freeUdpPorts(n: number): Promise<number[]> {
  const sockets = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createSocket>>((resolve) => {
      const s = createSocket('udp4');
      s.bind(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = sockets.map((s) => s.address().port);
  await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

export interface Running {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** Starts a program, keeping its stdout+stderr; `ready` resolves once the output matches. */
export function run(cmd: string, args: readonly string[], options: { cwd?: string } = {}): Running {
  const child = spawn(cmd, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

export async function waitFor(r: Running, pattern: RegExp, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!pattern.test(r.output())) {
    if (r.child.exitCode !== null) throw new Error(`${what} exited early: ${r.output().slice(-2000)}`);
    if (Date.now() > until) throw new Error(`${what} not ready after ${timeoutMs} ms: ${r.output().slice(-2000)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/**
 * Stops a program we started (by its own pid) and waits for it; one that has not ended 5 s after the signal
 * (Kamailio with TLS children on a loaded machine took longer than a test hook's 30 s) is killed.
 */
export async function stop(r: Running, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (r.child.exitCode !== null || r.child.signalCode !== null) return;
  r.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), 5000)));
  if ((await Promise.race([r.exited, late])) === 'late') r.child.kill('SIGKILL');
  clearTimeout(timer);
  await r.exited;
}

/** The last cumulative value of a column in a SIPp -trace_stat CSV (";"-separated, header first). */
export function sippStat(file: string, column: string): number {
  const rows = readFileSync(file, 'utf8').trim().split('\n');
  const header = (rows[0] ?? '').split(';');
  const last = (rows[rows.length - 1] ?? '').split(';');
  const i = header.indexOf(column);
  if (i === -1) throw new Error(`no column ${column} in ${file}`);
  return Number(last[i]);
}

/** The last value of a column in a SIPp -trace_counts CSV ("<index>_<message>_Recv" columns). */
export function sippCount(file: string, column: string): number {
  return sippStat(file, column);
}
