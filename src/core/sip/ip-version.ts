import { isIP } from 'node:net';

/**
 * 4 or 6 for an IP address literal, 0 for anything else (a host name). node:net's check is a pure
 * function; it lives here so that the share and capture modules, kept free of Node imports, can ask too.
 */
export function ipVersion(host: string): 0 | 4 | 6 {
  const v = isIP(host);
  return v === 4 || v === 6 ? v : 0;
}
