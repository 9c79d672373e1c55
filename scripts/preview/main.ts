import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { collectPreview } from './collect.js';
import { previewPage } from './page.js';
import type { CapturedCase } from './payloads.js';

/** Where `npm run preview` writes the page unless --out says otherwise (gitignored). */
export const DEFAULT_OUT = 'preview/index.html';

/** `npm run preview [--out file]`: the review page of every answer, written to a file whose path is printed. */
export async function writePreview(out: string, collected?: readonly CapturedCase[]): Promise<string> {
  const cases = collected ?? (await collectPreview());
  const path = resolve(out);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, previewPage(cases, 'fixed clock 2026-12-05 03:00 UTC'));
  return path;
}

function outArg(argv: readonly string[]): string | undefined {
  const i = argv.indexOf('--out');
  if (i !== -1) return argv[i + 1];
  return argv.find((a) => a.startsWith('--out='))?.slice('--out='.length);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const out = outArg(process.argv.slice(2));
  if (process.argv.includes('--out') && (out === undefined || out === '')) {
    console.error('usage: npm run preview [-- --out file.html]');
    process.exit(2);
  }
  writePreview(out ?? DEFAULT_OUT).then(
    (path) => console.log(path),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
