import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Debian's chromium package puts the browser here. */
export const CHROMIUM = '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

// Headless, offline and forgetful: no GPU, no QUIC, no background fetches, a new profile each run.
function baseFlags(): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--hide-scrollbars',
    `--user-data-dir=${mkdtempSync(join(tmpdir(), 'siptriage-chromium-'))}`,
  ];
}

function run(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM, [...baseFlags(), ...args], { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err !== null) reject(new Error(`chromium failed: ${err.message}\n${stderr.slice(-2000)}`));
      else resolve(stdout);
    });
  });
}

/** The DOM after the page's scripts ran (virtual time lets layout and the measuring script finish first). */
export function dumpDom(file: string, width: number, height: number): Promise<string> {
  return run([`--window-size=${width},${height}`, '--virtual-time-budget=5000', '--dump-dom', pathToFileURL(file).href]);
}

export async function screenshot(file: string, png: string, width: number, height: number): Promise<void> {
  await run([`--window-size=${width},${height}`, '--virtual-time-budget=5000', `--screenshot=${png}`, pathToFileURL(file).href]);
}

/** Attributes of every element whose start tag matches `tag` (e.g. `div class="answer`), decoded. */
export function elementsAttributes(dom: string, startsWith: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of dom.matchAll(new RegExp(`<${startsWith}[^>]*>`, 'g'))) {
    const attrs: Record<string, string> = {};
    for (const a of m[0].matchAll(/([\w-]+)="([^"]*)"/g)) attrs[a[1] ?? ''] = decode(a[2] ?? '');
    out.push(attrs);
  }
  return out;
}

function decode(v: string): string {
  return v.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&nbsp;/g, ' ').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}
