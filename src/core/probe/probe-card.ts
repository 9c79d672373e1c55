import { toneForCode, type Card, type CardField, type CardFinding, type CardSection } from '../card/card.js';
import type { Problem } from '../result.js';
import { probeHint } from './probe-hints.js';
import type { ProbeAnswer } from './probe-answer.js';
import { attemptCode, finalAttempt, type AttemptOutcome, type ProbeAttempt, type ProbeReport } from './probe-report.js';
import { PROBE_USAGE } from './probe-request.js';
import { formatTarget } from './probe-target.js';
import { tlsFindings, type TlsReport } from './tls-report.js';

/** A probe's answer as a card: the verdict first, then what the server said, how DNS led there, and TLS. */
export function probeCard(report: ProbeReport, now: number): Card {
  const target = formatTarget(report.request.target);
  const last = finalAttempt(report);
  const steps = resolutionSection(report);
  if (last === undefined) {
    return {
      kind: 'probe',
      title: `Probe ${target}: not sent`,
      summary: report.resolution.problem?.message ?? 'Resolution gave no address to probe.',
      tone: 'warning',
      fields: [],
      sections: steps,
      links: [],
      isError: report.resolution.problem?.code.startsWith('probe-') === true && report.resolution.problem.code !== 'probe-dns-failed',
    };
  }
  const code = attemptCode(last.outcome);
  const retryAfter = last.outcome.kind === 'answer' ? last.outcome.answer.retryAfter?.seconds : undefined;
  const findings: CardFinding[] = [];
  for (const a of report.attempts) {
    if (a.tls !== undefined) {
      for (const f of tlsFindings(a.tls, report.request.target.host, now)) findings.push({ severity: f.severity, title: f.text, detail: '', evidence: [where(a)] });
    }
  }
  return {
    kind: 'probe',
    title: `Probe ${target}: ${verdict(last.outcome)}`,
    summary: code === undefined ? outcomeText(last.outcome) : probeHint(code, report.request.method, retryAfter),
    tone: code === undefined ? 'warning' : code === 408 ? 'danger' : toneForCode(code),
    ...(code === undefined ? {} : { code }),
    fields: last.outcome.kind === 'answer' ? answerFields(last, last.outcome.answer) : [{ label: 'Sent', value: `${report.request.method} to ${where(last)}`, inline: true }],
    findings,
    sections: [
      ...(report.attempts.length > 1 || last.outcome.kind !== 'answer' ? [attemptsSection(report.attempts)] : []),
      ...steps,
      ...report.attempts.flatMap((a) => (a.tls === undefined ? [] : [tlsSection(a.tls, where(a))])),
    ],
    links: [],
    footer: `${report.request.method} ${report.uri}${report.localAddress === undefined ? '' : ` from ${report.localAddress}`}; RFC 3261 timers, RFC 3263 resolution`,
  };
}

/** Bad input (a target that cannot be read, or one the policy refuses): one sentence and the usage. */
export function probeProblemCard(problem: Problem): Card {
  return {
    kind: 'usage',
    title: problem.code === 'probe-not-allowed' || problem.code.startsWith('probe-address-') ? 'siptriage will not probe that' : 'siptriage: probe target not understood',
    summary: problem.message,
    tone: 'neutral',
    fields: [],
    sections: [{ title: 'Try', items: [...PROBE_USAGE] }],
    links: [],
    isError: true,
  };
}

function verdict(o: AttemptOutcome): string {
  switch (o.kind) {
    case 'answer':
      return `${o.answer.status} ${o.answer.reason}`.trim();
    case 'timeout':
      return '408 no answer (Timer F)';
    case 'transport-error':
      return `unreachable (${o.code})`;
    case 'junk':
      return 'answered with something that is not SIP';
    case 'refused':
      return 'refused by policy';
  }
}

function outcomeText(o: AttemptOutcome): string {
  switch (o.kind) {
    case 'answer':
      return `${o.answer.status} ${o.answer.reason} in ${ms(o.rttMs)}`;
    case 'timeout':
      return `no answer in ${ms(o.afterMs)}`;
    case 'transport-error':
    case 'junk':
      return o.message;
    case 'refused':
      return o.problem.message;
  }
}

function answerFields(a: ProbeAttempt, answer: ProbeAnswer): CardField[] {
  const o = a.outcome;
  const rtt = o.kind === 'answer' ? (a.sends.length > 1 ? `${ms(o.rttMs)} from the first send, ${ms(o.rttLastSendMs)} from the last (${a.sends.length} sends)` : ms(o.rttMs)) : '';
  const fields: CardField[] = [
    { label: 'Answered by', value: where(a), inline: true },
    { label: 'Round trip', value: rtt, inline: true },
  ];
  if (o.kind === 'answer' && o.provisional.length > 0) fields.push({ label: 'Provisional', value: o.provisional.join(', '), inline: true });
  if (answer.server !== undefined) fields.push({ label: 'Server', value: answer.server, inline: true });
  if (answer.userAgent !== undefined) fields.push({ label: 'User-Agent', value: answer.userAgent, inline: true });
  if (answer.retryAfter !== undefined) fields.push({ label: 'Retry-After', value: `${answer.retryAfter.seconds} s${answer.retryAfter.comment === undefined ? '' : ` (${answer.retryAfter.comment})`}`, inline: true });
  if (answer.allow.length > 0) fields.push({ label: 'Allow', value: answer.allow.join(', ') });
  if (answer.supported.length > 0) fields.push({ label: 'Supported', value: answer.supported.join(', ') });
  if (answer.accept.length > 0) fields.push({ label: 'Accept', value: answer.accept.join(', ') });
  for (const w of answer.warnings.slice(0, 3)) fields.push({ label: 'Warning', value: `${w.code} ${w.agent} "${w.text}"` });
  for (const r of answer.reasons.slice(0, 3)) fields.push({ label: 'Reason', value: `${r.protocol}${r.cause === undefined ? '' : ` cause ${r.cause}`}${r.text === undefined ? '' : ` "${r.text}"`}` });
  for (const c of answer.challenges.slice(0, 3)) fields.push({ label: c.header, value: `${c.algorithm}${c.realm === undefined ? '' : `, realm "${c.realm}"`}` });
  if (a.register?.unregister !== undefined) {
    const u = a.register.unregister;
    fields.push({ label: 'Unregister (Expires: 0)', value: 'failed' in u ? u.failed : `${u.status} ${u.reason}` });
  }
  if (a.register?.noCredentials !== undefined) fields.push({ label: 'Credentials', value: a.register.noCredentials });
  return fields;
}

function attemptsSection(attempts: readonly ProbeAttempt[]): CardSection {
  return {
    title: 'Attempts',
    ordered: true,
    items: attempts.map((a) => {
      const sends = a.sends.length > 1 ? ` (sent at ${a.sends.map((t) => `${(t / 1000).toFixed(1)}`).join(', ')} s)` : '';
      return `${where(a)}: ${verdict(a.outcome)}${a.outcome.kind === 'answer' ? ` in ${ms(a.outcome.rttMs)}` : a.outcome.kind === 'timeout' ? '' : ` — ${outcomeText(a.outcome)}`}${sends}`;
    }),
  };
}

function resolutionSection(report: ProbeReport): CardSection[] {
  const steps = report.resolution.steps;
  if (steps.length === 0) return [];
  return [{
    title: 'Resolution (RFC 3263)',
    items: steps.map((s) => `${s.kind} ${s.query}: ${s.records.length === 0 ? (s.note ?? 'nothing') : `${s.records.join('; ')}${s.note === undefined ? '' : ` — ${s.note}`}`}`),
  }];
}

function tlsSection(tls: TlsReport, at: string): CardSection {
  return {
    title: `TLS at ${at}`,
    items: [
      `${tls.protocol}, ${tls.cipher}`,
      `Subject ${tls.subject}; issuer ${tls.issuer}`,
      `Names: ${tls.altNames.length === 0 ? 'no subjectAltName' : tls.altNames.slice(0, 8).join(', ')}${tls.matchedBy === undefined ? ' — none matches the target' : ` — matches as ${tls.matchedBy}`}`,
      `Valid to ${tls.validTo} (${tls.daysLeft} days); chain ${tls.chainVerified ? 'verified' : `not verified${tls.chainError === undefined ? '' : `: ${tls.chainError}`}`}`,
    ],
  };
}

function where(a: ProbeAttempt): string {
  const host = a.target.address.includes(':') ? `[${a.target.address}]` : a.target.address;
  return `${host}:${a.target.port}/${a.target.transport.toUpperCase()}${a.target.name === undefined || a.target.name === a.target.address ? '' : ` (${a.target.name})`}`;
}

function ms(n: number): string {
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(2)} s`;
}
