import { callLine, rootFailure } from '../card/triage-cards.js';
import { endpointText, productName } from '../ladder/host-address.js';
import { maskNumbers, type Redactor } from '../redact.js';
import type { TraceEntry } from '../triage/call.js';
import type { TriageReport } from '../triage/triage.js';
import { utcText } from './utc-text.js';

/** What was masked, in a sentence the recipient and the sender both read. */
export function redactionSentence(redactor: Redactor): string {
  const o = redactor.options;
  return [
    o.numbers ? 'phone numbers masked (last two digits kept)' : 'phone numbers NOT masked',
    o.addresses ? 'IP addresses replaced by pseudonyms (private-N, public-N)' : 'IP addresses NOT masked',
    'digest responses, passwords and tokens removed',
  ].join('; ');
}

/**
 * A short Markdown account of the failure: per call, how it ended, when the request went out and when the
 * failing response came back (absolute UTC times and the delay), between which hosts, and the findings.
 */
export function shareSummary(report: TriageReport, redactor: Redactor, context: { readonly source?: string; readonly totalCalls: number }): string {
  const free = (text: string): string => {
    const numbers = redactor.options.numbers ? maskNumbers(text) : text;
    return redactor.options.addresses ? redactor.address(numbers) : numbers;
  };
  const host = (entry: TraceEntry, side: 'src' | 'dst'): string => {
    const e = entry.message.meta[side];
    return e === undefined ? '' : redactor.address(endpointText(e));
  };
  const lines = ['# SIP failure summary', ''];
  const shown = report.calls.length === context.totalCalls ? `${report.calls.length}` : `${report.calls.length} of ${context.totalCalls}`;
  const plural = (n: number, word: string): string => `${word}${n === 1 ? '' : 's'}`;
  lines.push(
    `- Source: ${context.source === undefined ? 'a trace' : free(context.source)} (read as ${report.format}; ` +
      `${report.entries.length} ${plural(report.entries.length, 'message')}, ${shown} ${plural(context.totalCalls, 'call')})`,
  );
  lines.push(`- Redaction: ${redactionSentence(redactor)}`, '');
  report.calls.forEach(({ call, findings }, i) => {
    lines.push(`## Call ${i + 1}: ${callLine(call)}`, '', `- Call-ID: \`${redactor.header('Call-ID', call.callId)}\``);
    const request = call.attempts[call.attempts.length - 1]?.request ?? call.entries[0];
    const failure = rootFailure(call) ?? call.final;
    if (request !== undefined) lines.push(`- ${describe(request, 'sent', host, redactor)}`);
    if (failure !== undefined && failure !== request) {
      const t0 = request?.message.meta.time;
      const t1 = failure.message.meta.time;
      const delay = t0 === undefined || t1 === undefined ? '' : ` (+${((t1 - t0) / 1000).toFixed(3)} s)`;
      lines.push(`- ${describe(failure, 'answered', host, redactor)}${delay}`);
    }
    if (call.final !== undefined && failure !== undefined && call.final !== failure) lines.push(`- ${describe(call.final, 'relayed to the caller', host, redactor)}`);
    const worth = findings.filter((f) => f.severity !== 'info');
    if (worth.length > 0) {
      lines.push('- Findings:');
      for (const f of worth.slice(0, 8)) lines.push(`  - **${f.severity}**: ${free(f.title)}`);
    }
    lines.push('');
  });
  if (report.calls.length === 0) lines.push('No calls to summarise.', '');
  return lines.join('\n');
}

function describe(entry: TraceEntry, verb: string, host: (e: TraceEntry, side: 'src' | 'dst') => string, redactor: Redactor): string {
  const m = entry.message;
  const when = m.meta.time === undefined ? '' : ` at ${utcText(m.meta.time)}`;
  const from = host(entry, 'src');
  const to = host(entry, 'dst');
  const product = productName(m);
  // A trace may give one side of a message only (a log line naming its source): say what is known.
  const between = from === '' ? '' : ` from ${from}${product === undefined ? '' : ` (${product})`}${to === '' ? '' : ` to ${to}`}`;
  return `${redactor.startLine(m.isRequest ? `${m.method ?? ''} ${m.uri ?? ''}` : m.label)} (message #${entry.index}) ${verb}${when}${between}`;
}
