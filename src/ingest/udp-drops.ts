import { readFileSync } from 'node:fs';

/**
 * Datagrams the kernel dropped for the UDP socket bound to `port` because its receive buffer was full: the
 * "drops" column of /proc/net/udp and /proc/net/udp6 (Linux). Undefined where that file does not exist.
 * Shedding below the application shows up here rather than in siptriage's own counters.
 */
export function udpKernelDrops(port: number): number | undefined {
  let found = false;
  let drops = 0;
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      if (local === undefined || parseInt(local.slice(local.lastIndexOf(':') + 1), 16) !== port) continue;
      found = true;
      drops += Number(cols[cols.length - 1] ?? 0);
    }
  }
  return found ? drops : undefined;
}
