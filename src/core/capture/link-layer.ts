/**
 * Where the IP packet starts in a frame of a given link type (LINKTYPE_* values, tcpdump.org/linktypes.html),
 * or a reason it has none. Only the layers SIP is carried over in practice are read.
 */
export type LinkResult = { readonly ok: true; readonly offset: number; readonly version: 4 | 6 | 0 } | { readonly ok: false; readonly reason: 'unsupported' | 'not-ip' | 'short' };

export const LINKTYPE = { NULL: 0, ETHERNET: 1, RAW: 101, LOOP: 108, LINUX_SLL: 113, LINUX_SLL2: 276, IPV4: 228, IPV6: 229 } as const;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
// 802.1Q C-tag, 802.1ad S-tag (QinQ), and the pre-standard 0x9100/0x9200 S-tags some switches still send.
const VLAN_TAGS = new Set([0x8100, 0x88a8, 0x9100, 0x9200]);
// BSD address families in the loopback header: AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD, OpenBSD),
// 28 (FreeBSD, DragonFly), 30 (macOS) and 10 (Linux).
const AF_INET6 = new Set([24, 28, 30, 10]);

const NOT_IP: LinkResult = { ok: false, reason: 'not-ip' };
const SHORT: LinkResult = { ok: false, reason: 'short' };

export function networkLayer(linkType: number, b: Uint8Array): LinkResult {
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      return ethernet(b);
    case LINKTYPE.LINUX_SLL:
      // 16-byte cooked header, protocol (an EtherType) in its last two bytes.
      return b.length < 16 ? SHORT : byEtherType((b[14]! << 8) | b[15]!, 16);
    case LINKTYPE.LINUX_SLL2:
      // 20-byte cooked header v2, protocol first.
      return b.length < 20 ? SHORT : byEtherType((b[0]! << 8) | b[1]!, 20);
    case LINKTYPE.RAW:
      return b.length < 1 ? SHORT : byVersion(b[0]! >> 4, 0);
    case LINKTYPE.IPV4:
      return { ok: true, offset: 0, version: 4 };
    case LINKTYPE.IPV6:
      return { ok: true, offset: 0, version: 6 };
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP: {
      if (b.length < 4) return SHORT;
      // NULL writes the family in the capturing host's byte order, LOOP in network order.
      const be = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
      const le = ((b[3]! << 24) | (b[2]! << 16) | (b[1]! << 8) | b[0]!) >>> 0;
      const family = linkType === LINKTYPE.LOOP ? be : le < 256 ? le : be;
      return family === 2 ? { ok: true, offset: 4, version: 4 } : AF_INET6.has(family) ? { ok: true, offset: 4, version: 6 } : NOT_IP;
    }
    default:
      return { ok: false, reason: 'unsupported' };
  }
}

function ethernet(b: Uint8Array): LinkResult {
  let at = 12;
  if (b.length < at + 2) return SHORT;
  let type = (b[at]! << 8) | b[at + 1]!;
  // Each VLAN tag is 4 bytes: the tag type, then 2 bytes of priority and VLAN id, then the next type.
  for (let tags = 0; VLAN_TAGS.has(type) && tags < 8; tags++) {
    at += 4;
    if (b.length < at + 2) return SHORT;
    type = (b[at]! << 8) | b[at + 1]!;
  }
  return byEtherType(type, at + 2);
}

// The results for plain Ethernet (IP at byte 14), made once: this runs for every packet of a capture.
const ETHERNET_V4: LinkResult = { ok: true, offset: 14, version: 4 };
const ETHERNET_V6: LinkResult = { ok: true, offset: 14, version: 6 };

function byEtherType(type: number, offset: number): LinkResult {
  if (type === ETHERTYPE_IPV4) return offset === 14 ? ETHERNET_V4 : { ok: true, offset, version: 4 };
  if (type === ETHERTYPE_IPV6) return offset === 14 ? ETHERNET_V6 : { ok: true, offset, version: 6 };
  return NOT_IP;
}

function byVersion(version: number, offset: number): LinkResult {
  return version === 4 ? { ok: true, offset, version: 4 } : version === 6 ? { ok: true, offset, version: 6 } : NOT_IP;
}
