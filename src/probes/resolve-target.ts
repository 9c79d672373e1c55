import type { ResolutionStep, Resolution, ResolvedTarget } from '../core/probe/probe-report.js';
import type { ProbeTarget, ProbeTransport } from '../core/probe/probe-target.js';
import { naptrTransport, orderNaptr, orderSrv, srvName } from '../core/probe/rfc3263.js';
import type { DnsLookup, SrvAnswer } from './dns-lookup.js';

const DEFAULT_PORT: Record<ProbeTransport, number> = { udp: 5060, tcp: 5060, tls: 5061 };

/**
 * RFC 3263 §4 for a client: an address needs no DNS; a name with a port, A/AAAA only; a name with a
 * transport, SRV for it; otherwise NAPTR, then SRV, then A/AAAA on the default port. Every question and
 * answer becomes a step, so the card shows how the probe found where it went.
 */
export async function resolveTarget(dns: DnsLookup, target: ProbeTarget, transportAsked: ProbeTransport | undefined, maxTargets: number): Promise<Resolution> {
  const steps: ResolutionStep[] = [];
  const failures: string[] = [];
  const fallback: ProbeTransport = transportAsked ?? (target.scheme === 'sips' ? 'tls' : 'udp');
  if (target.hostKind !== 'name') {
    const port = target.port ?? DEFAULT_PORT[fallback];
    steps.push({ kind: 'address', query: target.host, records: [`${target.host} port ${port} over ${fallback.toUpperCase()}`], note: 'an address: no DNS needed (RFC 3263 §4.2)' });
    return { steps, targets: [{ address: target.host, port, transport: fallback }] };
  }

  // Records are shown in the order they are used, so the card reads as the walk the probe made.
  const ask = async <T>(kind: ResolutionStep['kind'], query: string, run: () => Promise<T[]>, show: (r: T) => string, order: (r: T[]) => T[] = (r) => r): Promise<T[]> => {
    try {
      const records = order(await run());
      steps.push({ kind, query, records: records.map(show), ...(records.length === 0 ? { note: 'no records' } : {}) });
      return records;
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'EDNS';
      failures.push(`${kind} ${query}: ${code}`);
      steps.push({ kind, query, records: [], note: `the DNS query failed (${code})` });
      return [];
    }
  };
  const addresses = async (name: string, port: number, transport: ProbeTransport): Promise<ResolvedTarget[]> => {
    const v4 = await ask('A', name, () => dns.a(name), (a) => a);
    const v6 = await ask('AAAA', name, () => dns.aaaa(name), (a) => a);
    return [...v4, ...v6].map((address) => ({ address, port, transport, name }));
  };
  const fromSrv = async (records: readonly SrvAnswer[], transport: ProbeTransport): Promise<ResolvedTarget[]> => {
    const out: ResolvedTarget[] = [];
    for (const r of records) {
      if (out.length >= maxTargets) break;
      out.push(...(await addresses(r.name, r.port, transport)));
    }
    return out;
  };
  const showSrv = (r: SrvAnswer): string => `${r.priority} ${r.weight} ${r.port} ${r.name}`;
  const done = (targets: ResolvedTarget[]): Resolution => {
    const kept = targets.slice(0, maxTargets);
    if (kept.length > 0) return { steps, targets: kept };
    const message = failures.length > 0
      ? `DNS failed while resolving ${target.host} (${failures.slice(0, 3).join('; ')}), so there was nothing to probe.`
      : `${target.host} has no usable NAPTR, SRV, A or AAAA records, so there was nothing to probe: check the name.`;
    return { steps, targets: [], problem: { code: failures.length > 0 ? 'probe-dns-failed' : 'probe-dns-nothing', message } };
  };

  if (target.port !== undefined) return done(await addresses(target.host, target.port, fallback));

  if (transportAsked === undefined) {
    const naptr = orderNaptr(await ask('NAPTR', target.host, () => dns.naptr(target.host), (r) => `${r.order} ${r.preference} "${r.flags}" "${r.service}" ${r.replacement}`, (r) => [...r].sort((a, b) => a.order - b.order || a.preference - b.preference)), target.scheme);
    for (const record of naptr) {
      const transport = naptrTransport(record.service);
      if (transport === undefined) continue;
      const srv = await ask('SRV', record.replacement, () => dns.srv(record.replacement), showSrv, orderSrv);
      const found = await fromSrv(srv, transport);
      if (found.length > 0) return done(found);
    }
  }
  // No NAPTR (or none usable): SRV for each transport we may use, most preferred first (RFC 3263 §4.1).
  const transports: ProbeTransport[] = transportAsked !== undefined ? [transportAsked] : target.scheme === 'sips' ? ['tls'] : ['udp', 'tcp', 'tls'];
  for (const transport of transports) {
    const name = srvName(transport, target.host);
    const srv = await ask('SRV', name, () => dns.srv(name), showSrv, orderSrv);
    if (srv.length > 0) return done(await fromSrv(srv, transport));
  }
  steps.push({ kind: 'default', query: target.host, records: [], note: `no SRV: the name itself, port ${DEFAULT_PORT[fallback]} over ${fallback.toUpperCase()} (RFC 3263 §4.2)` });
  return done(await addresses(target.host, DEFAULT_PORT[fallback], fallback));
}
