import { addressScope, isNonRoutable } from '../address.js';
import { evidence, where, type Finding, type Rule } from '../finding.js';

/**
 * A UA behind NAT advertises its private address in Via sent-by, Contact or SDP c= while the server sees
 * another source (Via received=, RFC 3261 §18.2.1; RFC 3581 rport; or the packet source). In-dialog requests
 * and media then go to an unreachable address: one-way audio, ACK or BYE that never arrive, 481s.
 */
export const natPrivateAddress: Rule = {
  id: 'nat-private-address',
  evaluate(ctx) {
    const findings: Finding[] = [];
    const reported = new Set<string>();
    for (const entry of ctx.call.entries) {
      if (entry.retransmission) continue;
      const m = entry.message;
      // The address the network saw for this UA: received= on its Via, or the packet's source for the top Via.
      for (const [i, via] of m.vias.entries()) {
        const seen = via.received ?? (i === 0 && m.isRequest ? m.meta.src?.host : undefined);
        if (seen === undefined || !isNonRoutable(via.host) || isNonRoutable(seen) || seen === via.host) continue;
        const key = `via|${via.host}|${seen}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const contact = m.isRequest ? m.contacts.find((c) => c.uri !== undefined && isNonRoutable(c.uri.host)) : undefined;
        const sdpAddress = m.sdp?.media.find((md) => md.address !== undefined && isNonRoutable(md.address))?.address;
        const exposed = [
          `Via sent-by ${via.host}`,
          contact?.uri === undefined ? undefined : `Contact ${contact.uri.host}`,
          sdpAddress === undefined ? undefined : `SDP c= ${sdpAddress}`,
        ].filter((s) => s !== undefined);
        findings.push({
          id: this.id,
          severity: 'warning',
          title: `Private address behind a public one: NAT (${addressScope(via.host)} ${via.host} seen as ${seen})`,
          detail:
            `In ${where(entry)} the UA advertises ${exposed.join(', ')} but was seen from ${seen}` +
            `${via.received === undefined ? ' (packet source)' : ' (Via received=)'}. Replies may survive through rport, ` +
            `but in-dialog requests${sdpAddress === undefined ? '' : ' and media'} sent to the private address will not arrive: ` +
            'enable NAT handling on the server (Kamailio nathelper fix_nated_contact/fix_nated_sdp, Asterisk rewrite_contact/rtp_symmetric/force_rport, ' +
            'FreeSWITCH NDLB-force-rport/aggressive-nat) or configure the UA with its public address or a SIP-aware router.',
          evidence: [evidence(ctx, entry, 'Via', via.raw), ...(contact === undefined ? [] : [evidence(ctx, entry, 'Contact')])],
        });
      }
      // A Contact or SDP address that is private while the message's packet source is public.
      const src = m.meta.src?.host;
      if (src !== undefined && !isNonRoutable(src)) {
        for (const c of m.contacts) {
          const host = c.uri?.host;
          if (host === undefined || !isNonRoutable(host)) continue;
          const key = `contact|${host}|${src}`;
          if (reported.has(key) || reported.has(`via|${host}|${src}`)) continue;
          reported.add(key);
          findings.push({
            id: this.id,
            severity: 'warning',
            title: `Contact has a private address (${host}) but the packet came from ${src}: NAT`,
            detail: `In ${where(entry)} the Contact ${host} cannot be reached from ${src}'s side; requests inside the dialog will be lost unless the server fixes the Contact.`,
            evidence: [evidence(ctx, entry, 'Contact')],
          });
        }
      }
    }
    return findings;
  },
};
