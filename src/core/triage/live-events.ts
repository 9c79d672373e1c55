import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import type { SipMessage } from '../sip/message.js';
import type { Call } from './call.js';
import { callEvent, type CallEvent } from './call-events.js';
import { groupCalls, markRetransmissions } from './group-calls.js';
import { evaluateRules } from './triage.js';

/**
 * Call events for the messages of one call as live traffic delivered them (HEP), with the same grouping,
 * rules and counting rules as a pasted trace. The rules run only for calls whose outcome can make an event:
 * an answered REGISTER or a challenge nobody answered records nothing whatever the findings, and live
 * traffic is mostly those, so this is where most of the rule work is saved.
 */
export function liveCallEvents(kb: KnowledgeBase, messages: readonly SipMessage[], seenAt: number): CallEvent[] {
  const out: CallEvent[] = [];
  for (const call of groupCalls(markRetransmissions(messages))) {
    if (!mayRecord(call)) continue;
    const event = callEvent({ call, findings: evaluateRules(kb, call) }, seenAt);
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
