import { readdirSync, readFileSync } from 'node:fs';

/** A trace fixture with what make/derive.py and a hand check say it holds. */
export interface TraceFixture {
  readonly dir: string;
  readonly file: string;
  readonly path: URL;
  readonly expected: Expected;
}

export interface Expected {
  readonly format: string;
  readonly callSet: string;
  readonly messages: number;
  readonly calls: readonly { callId: string; method: string; final: { code: number; reason: string } | null }[];
  readonly requests: readonly { method: string; cseq: number; callId: string; retransmission?: boolean }[];
  readonly responses: readonly { code: number; reason: string; method: string; cseq: number; callId: string; retransmission?: boolean }[];
  readonly findings: readonly string[];
}

const root = new URL('../../fixtures/traces/', import.meta.url);

export function traceFixtures(): TraceFixture[] {
  const out: TraceFixture[] = [];
  for (const dir of readdirSync(root).sort()) {
    for (const file of readdirSync(new URL(`${dir}/`, root)).sort()) {
      if (!file.endsWith('.expected.json')) continue;
      const name = file.slice(0, -'.expected.json'.length);
      out.push({
        dir,
        file: name,
        path: new URL(`${dir}/${name}`, root),
        expected: JSON.parse(readFileSync(new URL(`${dir}/${file}`, root), 'utf8')) as Expected,
      });
    }
  }
  return out;
}

export function readFixture(f: TraceFixture): string {
  return readFileSync(f.path, 'utf8');
}
