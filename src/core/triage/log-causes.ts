import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import type { LogCause } from '../trace/evidence/log-causes.js';
import type { Finding } from './finding.js';
import type { CallReport } from './triage.js';

/**
 * Asterisk's Dial() outcomes in our words, after the DIALSTATUS values documented for app_dial
 * (https://docs.asterisk.org/Latest_API/API_Documentation/Dialplan_Applications/Dial/).
 */
const DIAL_STATUS: Readonly<Record<string, { readonly short: string; readonly meaning: string }>> = {
  CHANUNAVAIL: {
    short: 'the dialled channel could not be reached',
    meaning: 'the peer exists but cannot be reached now (for a PJSIP endpoint, usually no registered contact), or the place to call does not exist (a host name that does not resolve)',
  },
  CONGESTION: {
    short: 'congestion on the route',
    meaning: 'the channel or the switch was congested while routing the call, which also covers a far end that answered slowly or not at all',
  },
  BUSY: { short: 'the called party was busy', meaning: 'the called party reported busy' },
};

/** Findings from the causes a PBX log states: they go to the failing call the line follows, or the only failing call. */
export function attachLogCauses(kb: KnowledgeBase, calls: readonly CallReport[], causes: readonly LogCause[]): CallReport[] {
  if (causes.length === 0) return [...calls];
  const failing = calls.filter((c) => c.call.outcome === 'failed' || c.call.outcome === 'no-final');
  const extra = new Map<CallReport, Finding[]>();
  for (const cause of causes) {
    const target = callBefore(failing, cause.line) ?? failing[0] ?? (calls.length === 1 ? calls[0] : undefined);
    if (target === undefined) continue;
    const finding = causeFinding(kb, cause);
    if (finding === undefined) continue;
    extra.set(target, [...(extra.get(target) ?? []), finding]);
  }
  // A stated cause is the log's own "why": it leads the call's warnings, after any error.
  return calls.map((c) => {
    const more = extra.get(c);
    if (more === undefined) return c;
    const errors = c.findings.filter((f) => f.severity === 'error');
    return { call: c.call, findings: [...errors, ...more, ...c.findings.filter((f) => f.severity !== 'error')] };
  });
}

// The call whose messages come last before the line: a log states the cause right after the failure.
function callBefore(calls: readonly CallReport[], line: number): CallReport | undefined {
  let best: { c: CallReport; at: number } | undefined;
  for (const c of calls) {
    const at = Math.max(...c.call.entries.map((e) => (e.message.line <= line ? e.message.line : -1)));
    if (at >= 0 && (best === undefined || at > best.at)) best = { c, at };
  }
  return best?.c;
}

export function causeFinding(kb: KnowledgeBase, cause: LogCause): Finding | undefined {
  const evidence = [{ message: 0, line: cause.line, text: cause.text }];
  if (cause.kind === 'dial-status') {
    const known = DIAL_STATUS[cause.value];
    if (known === undefined) return undefined;
    return {
      id: 'log-cause',
      severity: 'warning',
      title: `Asterisk dial status ${cause.value}: ${known.short}`,
      detail: `Line ${cause.line} of the log says Dial() ended ${cause.value}: ${known.meaning}.`,
      evidence,
    };
  }
  const q =
    cause.kind === 'q850' ? kb.q850(Number(cause.value)) : kb.data.q850.find((e) => e.freeswitch === cause.value);
  if (q === undefined) return undefined;
  const said = cause.kind === 'q850' ? `cause ${q.cause}` : `hangup cause ${cause.value}`;
  const sip = q.toSip === undefined ? '' : ` RFC 3398 maps it to SIP ${q.toSip}${kb.code(q.toSip) === undefined ? '' : ` ${kb.code(q.toSip)?.reason ?? ''}`}.`;
  return {
    id: 'log-cause',
    severity: 'warning',
    title: `${cause.kind === 'q850' ? 'Log' : 'FreeSWITCH'} ${said}: Q.850 ${q.cause} ${q.name}`,
    detail: `Line ${cause.line} of the log gives the release cause: ${q.meaning}${sip}`,
    evidence,
  };
}
