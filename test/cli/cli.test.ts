import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/open-store.js';
import { knownVersion } from '../../src/store/schema-version.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/sqlite-migrations.js';
import { runCliInMemory } from './memory-io.js';

const ROOT = join(import.meta.dirname, '../..');
// tsx by absolute URL, so that a child can run in a directory of its own.
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

const cli = (args: string[], stdin = '') => runCliInMemory(args, {}, stdin);

describe('siptriage CLI', () => {
  it('explain prints the card and exits 0', async () => {
    const r = await cli(['explain', '503']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('503 Service Unavailable');
    expect(r.out).toContain('Likely causes');
  });

  it('explain --json gives the card model with code and reason at the top', async () => {
    const r = await cli(['explain', '488', '--json']);
    const card = JSON.parse(r.out) as Record<string, unknown>;
    expect(card).toMatchObject({ kind: 'code', code: 488, reason: 'Not Acceptable Here' });
  });

  it('explain exits 2 with the usage card on nonsense or nothing', async () => {
    expect((await cli(['explain', 'zzzqqq'])).code).toBe(2);
    expect((await cli(['explain'])).code).toBe(2);
  });

  it('codes --json lists every known code with class and registration', async () => {
    const r = await cli(['codes', '--json']);
    const rows = JSON.parse(r.out) as { code: number; reason: string; class: string; registered: boolean }[];
    expect(rows.filter((x) => x.registered).length).toBe(75);
    expect(rows.find((x) => x.code === 503)).toEqual({ code: 503, reason: 'Service Unavailable', class: '5xx', registered: true });
    expect(rows.find((x) => x.code === 478)?.registered).toBe(false);
  });

  it('rejects an unknown command with exit 2', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown command "frobnicate"');
  });

  it('triage reads stdin and refuses input without SIP with exit 2', async () => {
    const r = await cli(['triage', '-', '--json'], 'hello world\n');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toMatchObject({ messages: 0, problems: [{ code: 'no-sip' }] });
  });

  it('triage refuses an oversized input without reading it all', async () => {
    const r = await cli(['triage', '-'], 'x'.repeat(2 * 1024 * 1024 + 10));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/over the 2\.0 MiB limit/);
  });
});

describe('siptriage serve', { timeout: 60_000 }, () => {
  it('starts with no credentials and no DATABASE_URL, creates ./data/siptriage.db, serves /healthz, and stops cleanly on SIGTERM', async () => {
    // Run from an empty directory, as `npm start` on a fresh clone would, so the default store lands there.
    const cwd = mkdtempSync(join(tmpdir(), 'siptriage-serve-'));
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', CONSOLE: 'off', LOG_LEVEL: 'info' };
    delete env['DATABASE_URL'];
    const child = spawn(process.execPath, ['--import', TSX, join(ROOT, 'src/cli/main.ts'), 'serve'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listen line in: ${out}`)), 40_000);
      child.stdout.on('data', () => {
        const m = /"port":(\d+)[^\n]*"http listening"/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', codes: 75 });
    expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
    expect(out).toContain('no Slack or Discord credentials configured');
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(out).toContain('"msg":"stopped"');
    expect(existsSync(join(cwd, 'data', 'siptriage.db'))).toBe(true);
    rmSync(cwd, { recursive: true, force: true });
  });

  it('stops at start-up with one line naming a bad variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      env: { ...process.env, PORT: 'seventy' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(err.trim().split('\n')).toEqual([expect.stringMatching(/^siptriage: Invalid PORT: /)]);
  });

  it('stops at start-up with one line when the store cannot be opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'siptriage-serve-'));
    // A file where the store's directory should be: the directory cannot be made, the store cannot open.
    writeFileSync(join(dir, 'data'), 'not a directory');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      env: { ...process.env, PORT: '0', CONSOLE: 'off', LOG_LEVEL: 'silent', DATABASE_URL: `sqlite:${join(dir, 'data', 'siptriage.db')}` },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(err.trim().split('\n')).toEqual([expect.stringMatching(/^siptriage: cannot create the directory for the SQLite store at .*siptriage\.db: /)]);
  });

  it('stops at start-up with one line when the store was written by a newer siptriage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'siptriage-serve-'));
    const path = join(dir, 'siptriage.db');
    await (await openStore({ kind: 'sqlite', path })).close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_version (version, name, created_at) VALUES (99, ?, ?)').run('from the future', Date.now());
    db.close();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      env: { ...process.env, PORT: '0', CONSOLE: 'off', LOG_LEVEL: 'silent', DATABASE_URL: `sqlite:${path}` },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(err.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^siptriage: the store at .*siptriage\\.db has schema version 99, newer than this siptriage knows \\(${knownVersion(SQLITE_MIGRATIONS)}\\): upgrade siptriage`))]);
  });

  it('keeps a DATABASE_URL password out of its one-line complaint', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      env: { ...process.env, PORT: '0', DATABASE_URL: 'mysql://bot:hunter2-secret@db.example/siptriage' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(err.trim().split('\n')).toEqual([expect.stringMatching(/^siptriage: Invalid DATABASE_URL: expected postgres:/)]);
    expect(err).not.toContain('hunter2');
  });
});
