import { endpointText } from '../ladder/host-address.js';
import type { Redactor } from '../redact.js';
import type { TriageReport } from '../triage/triage.js';
import { utcText } from './utc-text.js';

/** The messages of the shared calls, in trace order, each under a line saying when and between whom. */
export function shareTrace(report: TriageReport, redactor: Redactor): string {
  const blocks: string[] = [];
  for (const entry of report.entries) {
    const m = entry.message;
    const where =
      m.meta.src === undefined || m.meta.dst === undefined
        ? ''
        : ` · ${redactor.address(endpointText(m.meta.src))} → ${redactor.address(endpointText(m.meta.dst))}${m.meta.transport === undefined ? '' : ` (${m.meta.transport})`}`;
    const when = m.meta.time === undefined ? '' : ` · ${utcText(m.meta.time)}`;
    const retransmission = entry.retransmission ? ' · retransmission' : '';
    blocks.push(`# message ${entry.index}${when}${where}${retransmission}\n${redactor.text(m.raw.replace(/\r\n/g, '\n')).trimEnd()}\n`);
  }
  return blocks.join('\n');
}
