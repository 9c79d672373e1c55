import { evidence, where, type Finding, type Rule } from '../finding.js';

/** A CANCELled INVITE ends in 487 by design (RFC 3261 §9.2): say so, so nobody chases it as a fault. */
export const cancelled: Rule = {
  id: 'cancelled',
  evaluate(ctx) {
    if (ctx.call.outcome !== 'cancelled' || ctx.call.final === undefined) return [];
    const cancel = ctx.call.entries.find((e) => e.message.method === 'CANCEL');
    const elsewhere = cancel?.message.reasons.some((r) => r.protocol === 'SIP' && r.cause === 200) ?? false;
    return [
      {
        id: this.id,
        severity: 'info',
        title: `Cancelled by the caller${elsewhere ? ' (answered elsewhere)' : ''}: 487 is the expected answer`,
        detail: `${cancel === undefined ? 'A CANCEL' : where(cancel)} withdrew the INVITE before it was answered, and ${where(ctx.call.final)} confirms it. Not a failure, unless callers hang up because of long post-dial delay.`,
        evidence: cancel === undefined ? [evidence(ctx, ctx.call.final)] : [evidence(ctx, cancel), evidence(ctx, ctx.call.final)],
      },
    ];
  },
};

/** Microsoft Teams Direct Routing diagnostics (ms-diagnostics, and the Microsoft response-code scheme). */
export const msDiagnostics: Rule = {
  id: 'ms-diagnostics',
  evaluate(ctx) {
    const findings: Finding[] = [];
    for (const entry of ctx.call.entries) {
      if (entry.retransmission) continue;
      for (const header of ['ms-diagnostics', 'ms-diagnostics-public'] as const) {
        const value = entry.message.get(header);
        if (value === undefined) continue;
        const code = /^\s*(\d+)/.exec(value)?.[1];
        const reason = /reason="([^"]*)"/i.exec(value)?.[1];
        findings.push({
          id: this.id,
          severity: 'warning',
          title: `Microsoft diagnostics ${code ?? ''}${reason === undefined ? '' : `: ${reason}`}`.trim(),
          detail: `${where(entry)} was produced or annotated by Microsoft's SIP proxy (Teams Direct Routing). The diagnostic code and reason say which Microsoft component refused the call; look it up in the Direct Routing troubleshooting guide and the SBC connection health page.`,
          evidence: [evidence(ctx, entry, header)],
        });
      }
    }
    return findings;
  },
};
