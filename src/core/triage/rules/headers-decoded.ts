import { evidence, where, type Finding, type Rule } from '../finding.js';

function formatDuration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** Retry-After (RFC 3261 §20.33, §21.5.4): what the value asks of clients and proxies. */
export const retryAfter: Rule = {
  id: 'retry-after',
  evaluate(ctx) {
    const findings: Finding[] = [];
    for (const entry of ctx.call.entries) {
      const ra = entry.message.retryAfter;
      if (entry.retransmission || ra === undefined || !entry.message.isResponse) continue;
      const status = entry.message.status ?? 0;
      const meaning =
        status === 503
          ? 'The server is overloaded or in maintenance and asks not to be sent requests before then; proxies should try another server meanwhile (RFC 3261 §21.5.4).'
          : status === 486 || status === 600
            ? 'The callee expects to be free again by then.'
            : status === 480
              ? 'The callee expects to be reachable again by then.'
              : 'The sender asks the client to wait that long before trying again.';
      findings.push({
        id: this.id,
        severity: status === 503 ? 'warning' : 'info',
        title: `Retry-After ${ra.seconds} (${formatDuration(ra.seconds)}) on ${status}`,
        detail: `${where(entry)}: ${meaning}${ra.comment === undefined ? '' : ` Comment: "${ra.comment}".`}${ra.duration === undefined ? '' : ` Available for ${formatDuration(ra.duration)} after that.`} Clients that retry sooner add load to a server that is already shedding it.`,
        evidence: [evidence(ctx, entry, 'Retry-After')],
      });
    }
    return findings;
  },
};

/** Reason headers (RFC 3326): Q.850 causes decoded with the knowledge base, and SIP causes. */
export const q850Cause: Rule = {
  id: 'q850-cause',
  evaluate(ctx) {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const entry of ctx.call.entries) {
      if (entry.retransmission) continue;
      for (const r of entry.message.reasons) {
        if (r.protocol !== 'Q.850' || r.cause === undefined || seen.has(`${r.cause}|${entry.message.label}`)) continue;
        seen.add(`${r.cause}|${entry.message.label}`);
        const q = ctx.kb.q850(r.cause);
        const sip = q?.toSip === undefined ? undefined : ctx.kb.code(q.toSip);
        findings.push({
          id: this.id,
          severity: r.cause === 16 || r.cause === 31 ? 'info' : 'warning',
          title: `Q.850 cause ${r.cause}: ${q?.name ?? 'not a Q.850 cause value'}${r.text === undefined || r.text === q?.name ? '' : ` ("${r.text}")`}`,
          detail:
            `${where(entry)} carries the PSTN/ISDN release cause${q === undefined ? '' : ` (${q.class})`}. ${q?.meaning ?? ''}` +
            `${sip === undefined ? '' : ` RFC 3398 maps it to ${sip.code} ${sip.reason}.`}`,
          evidence: [evidence(ctx, entry, 'Reason')],
        });
      }
      const hangup = entry.message.get('X-Asterisk-HangupCause');
      const hangupCode = entry.message.get('X-Asterisk-HangupCauseCode');
      if (hangup !== undefined || hangupCode !== undefined) {
        const cause = hangupCode === undefined ? undefined : Number.parseInt(hangupCode, 10);
        const key = `asterisk|${hangupCode ?? hangup}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const q = cause === undefined ? undefined : ctx.kb.q850(cause);
        findings.push({
          id: this.id,
          severity: 'warning',
          title: `Asterisk hangup cause ${hangupCode ?? ''} ${hangup ?? q?.name ?? ''}`.replace(/\s+/g, ' ').trim(),
          detail: `${where(entry)} comes from Asterisk, which reports why the channel ended.${q === undefined ? '' : ` Q.850 ${q.cause} ${q.name}: ${q.meaning}`}`,
          evidence: [evidence(ctx, entry, hangupCode === undefined ? 'X-Asterisk-HangupCause' : 'X-Asterisk-HangupCauseCode')],
        });
      }
    }
    return findings;
  },
};

export const sipReason: Rule = {
  id: 'sip-reason',
  evaluate(ctx) {
    const findings: Finding[] = [];
    for (const entry of ctx.call.entries) {
      if (entry.retransmission) continue;
      for (const r of entry.message.reasons) {
        if (r.protocol !== 'SIP' || r.cause === undefined) continue;
        const code = ctx.kb.code(r.cause);
        const elsewhere = r.cause === 200 && entry.message.method === 'CANCEL';
        findings.push({
          id: this.id,
          severity: 'info',
          title: `Reason SIP ${r.cause} ${code?.reason ?? ''}${r.text === undefined ? '' : ` ("${r.text}")`}`.replace(/\s+/g, ' '),
          detail: elsewhere
            ? `${where(entry)}: the call was answered on another device (forked call), so this branch was cancelled; not a failure (RFC 3326).`
            : `${where(entry)} says why it was sent: ${code?.summary ?? `SIP code ${r.cause}`}`,
          evidence: [evidence(ctx, entry, 'Reason')],
        });
      }
    }
    return findings;
  },
};

/** Warning headers (RFC 3261 §20.43), decoded. */
export const warningHeader: Rule = {
  id: 'warning',
  evaluate(ctx) {
    const findings: Finding[] = [];
    for (const entry of ctx.call.entries) {
      if (entry.retransmission) continue;
      for (const w of entry.message.warnings) {
        const known = ctx.kb.warning(w.code);
        findings.push({
          id: this.id,
          severity: w.code === 399 ? 'info' : 'warning',
          title: `Warning ${w.code} from ${w.agent}: ${w.text || known?.text || ''}`.trim(),
          detail: `${where(entry)}: ${known === undefined ? 'an unregistered warn-code.' : `${known.text}. ${known.meaning} ${known.action}`}`,
          evidence: [evidence(ctx, entry, 'Warning')],
        });
      }
    }
    return findings;
  },
};
