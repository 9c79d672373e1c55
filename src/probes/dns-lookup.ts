import { Resolver } from 'node:dns/promises';

export interface NaptrAnswer {
  readonly order: number;
  readonly preference: number;
  readonly flags: string;
  readonly service: string;
  readonly regexp: string;
  readonly replacement: string;
}

export interface SrvAnswer {
  readonly priority: number;
  readonly weight: number;
  readonly port: number;
  readonly name: string;
}

/**
 * The DNS questions RFC 3263 asks. A lookup that finds nothing resolves to []; one that fails (timeout,
 * SERVFAIL, refused) rejects with the resolver's code (ETIMEOUT, ESERVFAIL, ECONNREFUSED).
 */
export interface DnsLookup {
  naptr(name: string): Promise<NaptrAnswer[]>;
  srv(name: string): Promise<SrvAnswer[]>;
  a(name: string): Promise<string[]>;
  aaaa(name: string): Promise<string[]>;
}

// NODATA and NXDOMAIN are answers ("nothing here"), not failures: resolution moves to the next step.
const EMPTY = new Set(['ENODATA', 'ENOTFOUND', 'ENONAME']);

/** node:dns pointed at the configured servers (or the system's), with a bounded wait per query. */
export function nodeDnsLookup(options: { readonly servers: readonly string[]; readonly timeoutMs: number }): DnsLookup {
  const resolver = new Resolver({ timeout: options.timeoutMs, tries: 1 });
  if (options.servers.length > 0) resolver.setServers([...options.servers]);
  const empty = async <T>(p: Promise<T[]>): Promise<T[]> => {
    try {
      return await p;
    } catch (err) {
      if (EMPTY.has((err as { code?: string }).code ?? '')) return [];
      throw err;
    }
  };
  return {
    naptr: (name) => empty(resolver.resolveNaptr(name)),
    srv: (name) => empty(resolver.resolveSrv(name)),
    a: (name) => empty(resolver.resolve4(name)),
    aaaa: (name) => empty(resolver.resolve6(name)),
  };
}
