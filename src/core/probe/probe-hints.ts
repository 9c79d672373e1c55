import type { ProbeMethod } from './probe-request.js';

/**
 * What an answer means when it answers a probe rather than a call: the same 403 says "your address is not on
 * the carrier's list" to an OPTIONS ping and "not allowed to call that number" to an INVITE.
 */
export function probeHint(code: number, method: ProbeMethod, retryAfter: number | undefined): string {
  if (code >= 200 && code < 300) return `The server is up and answering ${method} requests.`;
  switch (code) {
    case 401:
    case 407:
      return method === 'REGISTER'
        ? 'The registrar refused the credentials: check the username, password and realm configured for probes.'
        : `The server is up; it asks for credentials before answering ${method} (many carriers do), which proves it is alive.`;
    case 403:
      return `403 to ${method} from this address: the server is up, but its ACL or trunk settings do not list the address siptriage probes from.`;
    case 404:
      return 'The server is up but does not consider itself responsible for this domain or user: check the host part of the URI.';
    case 405:
    case 501:
      return `The server is up but does not handle ${method}; most SIP monitors count this as alive.`;
    case 408:
      return 'Nothing answered before Timer F (32 s, RFC 3261 §17.1.2.2): the host is down, the port is filtered, or replies do not find their way back (NAT, firewall).';
    case 483:
      return 'Too many hops: a routing loop between proxies, or a Max-Forwards reset on the way.';
    case 503:
      return retryAfter === undefined
        ? 'The server is overloaded, in maintenance or has no route: a client moves on to the next server (RFC 3263 §4.3).'
        : `The server is overloaded or in maintenance and asks to be left alone for ${retryAfter} s (Retry-After): a client moves on to the next server (RFC 3263 §4.3).`;
    default:
      if (code >= 300 && code < 400) return 'The server redirects probes elsewhere: probe the Contact it names.';
      if (code >= 500) return 'The server answered with a server failure: see the code\'s card below.';
      return 'The server answered, with a refusal: see the code\'s card below.';
  }
}
