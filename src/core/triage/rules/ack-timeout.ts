import { evidence, where, type Finding, type Rule } from '../finding.js';

/**
 * A 2xx to INVITE is retransmitted by the callee until the ACK arrives (RFC 3261 §13.3.1.4); after 64*T1
 * (32 s) without one it gives up and ends the call, usually with a BYE. Repeated 200s and no ACK mean the
 * ACK is lost on the way: the 200's Contact or Record-Route points somewhere unreachable (NAT, a private
 * address, a wrong transport), or a proxy drops it.
 */
export const ackTimeout: Rule = {
  id: 'ack-timeout',
  evaluate(ctx) {
    const findings: Finding[] = [];
    for (const t of ctx.call.transactions) {
      if (t.method !== 'INVITE') continue;
      const ok = t.responses.filter((r) => (r.message.status ?? 0) >= 200 && (r.message.status ?? 0) < 300);
      const first = ok[0];
      if (first === undefined || ok.length < 3) continue;
      const acked = ctx.call.entries.some((e) => e.message.method === 'ACK' && e.message.cseq?.seq === t.seq && e.index > first.index);
      if (acked) continue;
      const bye = ctx.call.entries.find((e) => e.message.method === 'BYE' && e.index > first.index);
      const contact = first.message.contacts[0]?.uriText;
      findings.push({
        id: this.id,
        severity: 'error',
        title: `200 OK sent ${ok.length} times and never ACKed${bye === undefined ? '' : ': the callee then hung up'}`,
        detail:
          `${where(first)} was retransmitted ${ok.length - 1} times with no ACK in the trace. The caller either never got the 200 ` +
          `or its ACK went astray: check that the 200's Contact${contact === undefined ? '' : ` (${contact})`} and Record-Route are reachable from the caller ` +
          `(NAT, private addresses, transport), and that proxies route the ACK. After 32 s the callee gives up (RFC 3261 §13.3.1.4)` +
          `${bye === undefined ? '.' : `, as ${where(bye)} shows.`} Symptom on the phone: the call connects, then drops after about 32 seconds.`,
        evidence: [evidence(ctx, first, 'Contact'), ...(bye === undefined ? [] : [evidence(ctx, bye)])],
      });
    }
    return findings;
  },
};
