import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
// Platform SDKs, database drivers, the logger and the metrics client stay outside the core (STYLE.md).
const FORBIDDEN = ['@slack/bolt', '@slack/', 'discord.js', '@discordjs/', 'pg', 'better-sqlite3', 'pino', 'prom-client'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('core boundary', () => {
  it.each(['core', 'knowledge'])('src/%s imports no platform SDK, driver, logger or metrics client', (dir) => {
    for (const file of files(join(SRC, dir))) {
      const specifiers = [...readFileSync(file, 'utf8').matchAll(/\bfrom\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2] ?? '');
      const bad = specifiers.filter((s) => FORBIDDEN.some((f) => s === f || (f.endsWith('/') && s.startsWith(f)) || s.startsWith(`${f}/`)));
      expect(bad, file).toEqual([]);
    }
  });
});
