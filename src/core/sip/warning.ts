import { splitList, unquote } from './lexer.js';

/** One Warning value (RFC 3261 §20.43): warn-code SP warn-agent SP warn-text. */
export interface Warning {
  readonly code: number;
  readonly agent: string;
  readonly text: string;
}

export function parseWarningList(values: readonly string[]): Warning[] {
  const out: Warning[] = [];
  for (const value of values) {
    for (const part of splitList(value)) {
      const m = /^\s*(\d{3})\s+(\S+)\s*(.*)$/s.exec(part);
      if (!m) continue;
      out.push({ code: Number(m[1]), agent: m[2] ?? '', text: unquote(m[3] ?? '') });
    }
  }
  return out;
}
