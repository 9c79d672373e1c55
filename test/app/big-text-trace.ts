import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ONE_CALL = readFileSync(join(import.meta.dirname, '../fixtures/traces/raw/03-unavailable-503.sip'), 'utf8');

/** `mib` MiB of real SIP text: the fixture call repeated with Call-IDs of their own. */
export function bigTextTrace(mib: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < mib * 1024 * 1024; i++) {
    const call = `${ONE_CALL.replaceAll('@uac.example.com', `-${i}@uac.example.com`)}\r\n`;
    parts.push(call);
    size += call.length;
  }
  return parts.join('');
}

