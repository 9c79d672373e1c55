import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One UDP datagram from a tshark TSV made by test/fixtures/hep/make-hep-fixtures.sh. */
export interface Datagram {
  readonly time: number;
  readonly src: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstPort: number;
  readonly payload: Buffer;
}

export const HEP_SETS = ['hep3-ipv4-auth', 'hep3-ipv6', 'hep2-ipv4', 'hep1-ipv4'] as const;
export const HEP_COLLECTOR_PORT = 9360;

export function readDatagrams(set: (typeof HEP_SETS)[number]): Datagram[] {
  const path = fileURLToPath(new URL(`../../fixtures/hep/kamailio-${set}.tsv`, import.meta.url));
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const [time = '', src = '', srcPort = '', dst = '', dstPort = '', hex = ''] = line.split('\t');
      return { time: Number(time), src, srcPort: Number(srcPort), dst, dstPort: Number(dstPort), payload: Buffer.from(hex, 'hex') };
    });
}

/** The HEP datagrams Kamailio sent to the collector. */
export function hepPackets(set: (typeof HEP_SETS)[number]): Buffer[] {
  return readDatagrams(set)
    .filter((d) => d.dstPort === HEP_COLLECTOR_PORT)
    .map((d) => d.payload);
}
