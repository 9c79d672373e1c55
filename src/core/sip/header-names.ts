/**
 * Header names: compact forms (RFC 3261 §7.3.3, §20; RFC 3515, 3841, 3892, 4028, 6665, 8224) and the
 * canonical spelling of the headers triage reads. Names are case-insensitive (RFC 3261 §7.3.1), so lookups
 * go through the lower-case key.
 */
const COMPACT: Readonly<Record<string, string>> = {
  a: 'Accept-Contact',
  b: 'Referred-By',
  c: 'Content-Type',
  d: 'Request-Disposition',
  e: 'Content-Encoding',
  f: 'From',
  i: 'Call-ID',
  j: 'Reject-Contact',
  k: 'Supported',
  l: 'Content-Length',
  m: 'Contact',
  // Identity-Info (RFC 4474) was deprecated by RFC 8224; still accepted because old traces carry it.
  n: 'Identity-Info',
  o: 'Event',
  r: 'Refer-To',
  s: 'Subject',
  t: 'To',
  u: 'Allow-Events',
  v: 'Via',
  x: 'Session-Expires',
  y: 'Identity',
};

const KNOWN = [
  'Accept', 'Accept-Contact', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow', 'Allow-Events',
  'Authentication-Info', 'Authorization', 'Call-ID', 'Call-Info', 'Contact', 'Content-Disposition',
  'Content-Encoding', 'Content-Language', 'Content-Length', 'Content-Type', 'CSeq', 'Date', 'Error-Info',
  'Event', 'Expires', 'From', 'History-Info', 'Identity', 'Identity-Info', 'In-Reply-To', 'Max-Forwards',
  'Min-Expires', 'Min-SE', 'MIME-Version', 'Organization', 'P-Asserted-Identity', 'P-Preferred-Identity',
  'P-Charging-Vector', 'Priority', 'Privacy', 'Proxy-Authenticate', 'Proxy-Authorization', 'Proxy-Require',
  'RAck', 'Reason', 'Record-Route', 'Refer-To', 'Referred-By', 'Reject-Contact', 'Remote-Party-ID',
  'Reply-To', 'Request-Disposition', 'Require', 'Retry-After', 'Route', 'RSeq', 'Server', 'Session-Expires',
  'Subject', 'Subscription-State', 'Supported', 'Timestamp', 'To', 'Unsupported', 'User-Agent', 'Via',
  'Warning', 'WWW-Authenticate', 'Diversion', 'Path', 'Service-Route', 'Security-Client', 'Security-Server',
  'Security-Verify', 'ms-diagnostics', 'ms-diagnostics-public', 'X-Asterisk-HangupCause',
  'X-Asterisk-HangupCauseCode', 'X-Twilio-Error', 'X-Twilio-CallSid', 'X-MS-SBC',
] as const;

const BY_KEY = new Map<string, string>();
for (const name of KNOWN) BY_KEY.set(name.toLowerCase(), name);
for (const [short, long] of Object.entries(COMPACT)) BY_KEY.set(short, long);

// Raw spellings repeat across messages ("Via", "CSeq", "v"); caching them skips toLowerCase on the hot path.
const RAW_CACHE = new Map<string, HeaderName>();
const RAW_CACHE_LIMIT = 4096;

export interface HeaderName {
  /** Canonical spelling for known headers, the name as written otherwise. */
  readonly name: string;
  /** Lower-case long form: the lookup key. */
  readonly key: string;
}

export function headerName(raw: string): HeaderName {
  const cached = RAW_CACHE.get(raw);
  if (cached !== undefined) return cached;
  const lower = raw.toLowerCase();
  const known = BY_KEY.get(lower);
  const result: HeaderName = known === undefined ? { name: raw, key: lower } : { name: known, key: known.toLowerCase() };
  // Bounded so that a trace with millions of distinct junk names cannot grow memory without limit.
  if (RAW_CACHE.size < RAW_CACHE_LIMIT) RAW_CACHE.set(raw, result);
  return result;
}

/** The lookup key for a header name given in any case or compact form. */
export function headerKey(name: string): string {
  return headerName(name).key;
}

export function isCompactForm(raw: string): boolean {
  return raw.length === 1 && Object.hasOwn(COMPACT, raw.toLowerCase());
}

/** Whether a name is one of the headers (or compact forms) this table knows, in any case. */
export function isKnownHeader(raw: string): boolean {
  return BY_KEY.has(raw.toLowerCase());
}
