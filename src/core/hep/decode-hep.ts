import { fail, type Result } from '../result.js';
import { decodeHep2 } from './decode-hep2.js';
import { decodeHep3 } from './decode-hep3.js';
import type { HepPacket } from './hep-packet.js';

/** Whether bytes start like a HEPv3 packet ("HEP3"). */
export function isHep3(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x48 && bytes[1] === 0x45 && bytes[2] === 0x50 && bytes[3] === 0x33;
}

/**
 * Decodes one HEP datagram of any version: "HEP3" starts version 3, a first byte of 1 or 2 the fixed
 * header of versions 1 and 2. Pure and total: it never throws, whatever the bytes.
 */
export function decodeHep(bytes: Uint8Array): Result<HepPacket> {
  if (isHep3(bytes)) return decodeHep3(bytes);
  if (bytes.length > 0 && (bytes[0] === 1 || bytes[0] === 2)) return decodeHep2(bytes);
  if (bytes.length < 4) return fail('hep-truncated', `${bytes.length} bytes is too short for any HEP header`);
  return fail('hep-version', 'not a HEP packet: it starts neither with "HEP3" nor with version 1 or 2');
}
