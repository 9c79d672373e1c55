import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { Redactor } from '../redact.js';
import type { SipMessage } from '../sip/message.js';
import type { Call } from './call.js';
import { callEvent, type CallEvent } from './call-events.js';
import type { Finding } from './finding.js';
import { groupCalls, markRetransmissions } from './group-calls.js';
import { transactionTimeout } from './rules/protocol-limits.js';
import { evaluateRules } from './triage.js';

export interface LiveOptions {
  /**
   * false: count only. The calls are grouped and judged by the same counting rules, but only the one rule
   * the counting depends on runs (transaction-timeout, which makes an unanswered call a 408), so events
   * carry no other findings. Live ingest uses it to shed work under overload while keeping counts exact.
   */
  readonly findings?: boolean;
}

/**
 * Call events for the messages of one call as live traffic delivered them (HEP), with the same grouping,
 * rules and counting rules as a pasted trace. The rules run only for calls whose outcome can make an event:
 * an answered REGISTER or a challenge nobody answered records nothing whatever the findings, and live
 * traffic is mostly those, so this is where most of the rule work is saved.
 */
export function liveCallEvents(kb: KnowledgeBase, messages: readonly SipMessage[], seenAt: number, options: LiveOptions = {}): CallEvent[] {
  const out: CallEvent[] = [];
  for (const call of groupCalls(markRetransmissions(messages))) {
    if (!mayRecord(call)) continue;
    const findings = options.findings === false ? countingFindings(kb, call) : evaluateRules(kb, call);
    const event = callEvent({ call, findings }, seenAt);
    if (event !== undefined) out.push(event);
  }
  return out;
}

// Mirrors eventKind() in call-events.ts: only these outcomes can become an event (no-final needs the
// transaction-timeout finding to decide).
function mayRecord(call: Call): boolean {
  switch (call.outcome) {
    case 'failed':
    case 'cancelled':
    case 'no-final':
      return true;
    case 'answered':
      return call.method === 'INVITE';
    default:
      return false;
  }
}

function countingFindings(kb: KnowledgeBase, call: Call): Finding[] {
  if (call.outcome !== 'no-final') return [];
  const redactor = new Redactor();
  return transactionTimeout.evaluate({ call, kb, show: (name, value) => redactor.header(name, value) });
}
