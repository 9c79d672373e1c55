import type { OutgoingMessage } from '../chat-port.js';

/** A fall in active registrations, as the alert shows it. */
export interface BindingDrop {
  /** Active bindings at the highest point of the window, and now. */
  readonly before: number;
  readonly now: number;
  readonly since: number;
  readonly windowMs: number;
  /** Registrars that removed or refused the most in the window, busiest first ("203.0.113.5: 412"). */
  readonly registrars: readonly string[];
}

/** While registrations are falling: one message, edited as the count changes. */
export function bindingDropMessage(d: BindingDrop): OutgoingMessage {
  const lost = d.before - d.now;
  const pct = d.before === 0 ? 0 : Math.round((100 * lost) / d.before);
  const text = `Mass de-registration: active registrations fell from ${d.before} to ${d.now} (−${pct} %) within ${Math.round(d.windowMs / 60_000)} min, since ${hhmm(d.since)} UTC.`;
  return {
    text,
    cards: [
      {
        kind: 'notice',
        title: 'Mass de-registration',
        summary: text,
        tone: 'danger',
        fields: [
          { label: 'Active before', value: String(d.before), inline: true },
          { label: 'Active now', value: String(d.now), inline: true },
        ],
        sections: d.registrars.length === 0 ? [] : [{ title: 'Removed or refused by', items: d.registrars.slice(0, 10) }],
        links: [],
        actions: [{ label: 'Stats by peer', query: 'stats 1h peer' }],
      },
    ],
  };
}

/** Registrations back near where they were: the last edit, and the reply under it. */
export function bindingsBackMessages(d: BindingDrop, at: number): { readonly message: OutgoingMessage; readonly reply: OutgoingMessage } {
  const text = `Registrations recovered: ${d.now} active again (${d.before} before the fall) at ${hhmm(at)} UTC.`;
  const reply = `Resolved: mass de-registration; ${d.now} of ${d.before} registrations are back.`;
  return {
    message: { text, cards: [{ kind: 'notice', title: 'Mass de-registration: recovered', summary: text, tone: 'success', fields: [], sections: [], links: [] }] },
    reply: { text: reply, cards: [{ kind: 'notice', title: reply, summary: '', tone: 'success', fields: [], sections: [], links: [] }] },
  };
}

function hhmm(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}
