import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(import.meta.dirname, '..', '..');

/** `siptriage serve` from the sources in a process of its own, as an attacker meets it. */
export interface ServedProcess {
  readonly child: ChildProcess;
  /** http://127.0.0.1:<port> */
  readonly base: string;
  /** Every JSON log line the service wrote on stdout, parsed. */
  readonly logs: Record<string, unknown>[];
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<number | string | null>;
  /** The HEP collector's port when HEP_PORT is set. */
  hepPort(): number;
  alive(): boolean;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts the service with `env` (PORT and HEP_PORT 0, console off, 127.0.0.1 only) and resolves once it has
 * logged `ready` (default: "http listening"), with the ports read from its own log lines.
 */
export async function startServed(env: Record<string, string>, ready = 'http listening'): Promise<ServedProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'serve'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', CONSOLE: 'off', LOG_LEVEL: 'info', TRIAGE_WORKERS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  let port = 0;
  let hep = 0;
  await new Promise<void>((resolve, reject) => {
    void exited.then((code) => reject(new Error(`the service exited with ${String(code)} before it was ready: ${stderr.slice(-2000)}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      if (entry['msg'] === 'http listening') port = Number(entry['port']);
      if (entry['msg'] === 'HEP collector listening (UDP and TCP)') hep = Number(entry['port']);
      if (entry['msg'] === ready) resolve();
    });
  });
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    logs,
    exited,
    hepPort: () => hep,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
