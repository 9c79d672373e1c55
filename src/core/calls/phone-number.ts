import { parseUri } from '../sip/uri.js';

// RFC 3966 §3 visual separators: "-", ".", "(" and ")"; spaces appear in pasted numbers too.
const VISUAL = /[-.() \t]/g;
const MIN_DIGITS = 3;
const MAX_DIGITS = 15; // E.164 §6: at most 15 digits

/**
 * A number as kept and searched: "+" and up to 15 digits when it is international ("+49 30 1234", "0049…"
 * and "tel:+49-30-1234" are one number), otherwise the digits as dialled (a national or short number has
 * no country to add here). Undefined for anything that is not a number (a user name, a star code).
 */
export function normalizeNumber(text: string): string | undefined {
  let t = text.trim();
  const semi = t.indexOf(';');
  if (semi !== -1) t = t.slice(0, semi); // ;phone-context, ;npdi, ;rn, ;isub (RFC 3966 §5)
  t = t.replace(VISUAL, '');
  let plus = false;
  if (t.startsWith('+')) {
    plus = true;
    t = t.slice(1);
  } else if (t.startsWith('00') && t.length > 2 + MIN_DIGITS) {
    // The international prefix most of the world dials (ITU-T E.164 Annex, "00").
    plus = true;
    t = t.slice(2);
  }
  if (!/^\d+$/.test(t) || t.length < MIN_DIGITS || t.length > MAX_DIGITS) return undefined;
  return plus ? `+${t}` : t;
}

/** The number in a SIP or tel URI's user part, normalised, or undefined. */
export function uriNumber(uri: string | undefined): string | undefined {
  if (uri === undefined) return undefined;
  const u = parseUri(uri);
  return u === undefined ? undefined : normalizeNumber(decodeUser(u.user));
}

function decodeUser(user: string): string {
  try {
    return decodeURIComponent(user);
  } catch {
    return user;
  }
}
