import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const RAW = join(import.meta.dirname, '../../fixtures/traces/raw');

/**
 * A pasted trace of at least `bytes`: the real raw fixture calls, copied with each copy's Call-IDs, tags and
 * branches made unique, so it reads as many distinct calls rather than as retransmissions.
 */
export function bigTrace(bytes: number): string {
  const base = readdirSync(RAW)
    .filter((f) => f.endsWith('.sip'))
    .sort()
    .map((f) => readFileSync(join(RAW, f), 'utf8'))
    .join('\n');
  const copies: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const copy = base.replace(/@uac\.example\.com/g, `-${i}@uac.example.com`).replace(/(tag=|branch=z9hG4bK)([\w.-]+)/g, `$1$2x${i}`);
    copies.push(copy);
    size += Buffer.byteLength(copy) + 1;
  }
  return copies.join('\n');
}
