import { parseParams, splitList } from './lexer.js';

/** One Reason value (RFC 3326): "Q.850;cause=17;text=\"User busy\"" or "SIP;cause=200;text=…". */
export interface Reason {
  readonly protocol: string;
  readonly cause: number | undefined;
  readonly text: string | undefined;
}

export function parseReasonList(values: readonly string[]): Reason[] {
  const out: Reason[] = [];
  for (const value of values) {
    for (const part of splitList(value)) {
      const semi = part.indexOf(';');
      const protocol = (semi === -1 ? part : part.slice(0, semi)).trim();
      const params = semi === -1 ? new Map<string, string>() : parseParams(part.slice(semi + 1));
      const causeText = params.get('cause');
      const cause = causeText !== undefined && /^\d{1,6}$/.test(causeText) ? Number(causeText) : undefined;
      out.push({ protocol: protocol.toUpperCase() === 'Q.850' ? 'Q.850' : protocol.toUpperCase(), cause, text: params.get('text') });
    }
  }
  return out;
}
