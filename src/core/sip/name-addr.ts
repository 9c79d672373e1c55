import { parseParams, splitList, unquote } from './lexer.js';
import { parseUri, type SipUri } from './uri.js';

/** From, To, Contact, Route, P-Asserted-Identity and friends (RFC 3261 §20.10, §20.20, §20.39, §25.1). */
export interface NameAddr {
  readonly displayName: string;
  readonly uri: SipUri | undefined;
  readonly uriText: string;
  /** Header parameters (tag, expires, q, …), lower-case names. */
  readonly params: ReadonlyMap<string, string>;
  /** Contact: * (RFC 3261 §10.2.2, remove all bindings). */
  readonly star: boolean;
}

export function parseNameAddr(value: string): NameAddr {
  const v = value.trim();
  if (v === '*') return { displayName: '', uri: undefined, uriText: '*', params: new Map(), star: true };
  const lt = findAngle(v);
  if (lt !== -1) {
    const gt = v.indexOf('>', lt);
    const uriText = v.slice(lt + 1, gt === -1 ? v.length : gt).trim();
    const rest = gt === -1 ? '' : v.slice(gt + 1);
    const semi = rest.indexOf(';');
    return {
      displayName: unquote(v.slice(0, lt)),
      uri: parseUri(uriText),
      uriText,
      params: semi === -1 ? new Map() : parseParams(rest.slice(semi + 1)),
      star: false,
    };
  }
  // addr-spec form: parameters after the URI belong to the header, not the URI (RFC 3261 §20.10).
  const semi = v.indexOf(';');
  const uriText = (semi === -1 ? v : v.slice(0, semi)).trim();
  return {
    displayName: '',
    uri: parseUri(uriText),
    uriText,
    params: semi === -1 ? new Map() : parseParams(v.slice(semi + 1)),
    star: false,
  };
}

// The first '<' outside a quoted display name.
function findAngle(v: string): number {
  let quoted = false;
  for (let i = 0; i < v.length; i++) {
    const ch = v.charCodeAt(i);
    if (quoted) {
      if (ch === 0x5c) i++;
      else if (ch === 0x22) quoted = false;
    } else if (ch === 0x22) quoted = true;
    else if (ch === 0x3c) return i;
  }
  return -1;
}

export function parseNameAddrList(values: readonly string[]): NameAddr[] {
  const out: NameAddr[] = [];
  for (const value of values) for (const part of splitList(value)) out.push(parseNameAddr(part));
  return out;
}
