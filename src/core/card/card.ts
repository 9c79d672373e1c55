/**
 * The platform-neutral answer every surface renders: the terminal, Slack Block Kit, Discord embeds.
 * Renderers decide layout and enforce their platform's limits; the card only says what to show.
 */

/** Colour by meaning: response class for code cards, worst severity for triage. */
export type Tone = 'neutral' | 'info' | 'success' | 'redirect' | 'warning' | 'danger' | 'critical';

export type CardKind =
  | 'code'
  | 'unregistered'
  | 'class'
  | 'search'
  | 'q850'
  | 'warning'
  | 'teams'
  | 'usage'
  | 'triage-summary'
  | 'triage-call'
  | 'stats'
  | 'digest'
  | 'notice'
  | 'probe';

export interface CardField {
  readonly label: string;
  readonly value: string;
  /** Short values that can sit side by side. */
  readonly inline?: boolean;
}

export interface CardSection {
  readonly title: string;
  /** List items; rendered numbered when `ordered`, bulleted otherwise. */
  readonly items: readonly string[];
  readonly ordered?: boolean;
  /** Prose shown before the items. */
  readonly text?: string;
  /**
   * A link per item, same index ("ladder" to a kept call), shown after it. Links are long: a renderer drops
   * them, last first, before it would cut an item to stay within its platform's limits.
   */
  readonly itemLinks?: readonly (CardLink | undefined)[];
}

export interface CardLink {
  readonly label: string;
  readonly url: string;
}

/** A button that asks siptriage another question where the card is shown: `query` is what follows /sip ("503"). */
export interface CardAction {
  readonly label: string;
  readonly query: string;
  /**
   * 'section' opens another part of the same answer ("503 fixes"), 'related' another code's card: surfaces
   * group them (a row of buttons each, one console line each). Unset: a follow-up question of its own.
   */
  readonly role?: 'section' | 'related';
}

/** A triage finding as a card shows it: severity, one-line title, detail and where the evidence is. */
export interface CardFinding {
  readonly severity: 'info' | 'warning' | 'error';
  readonly title: string;
  readonly detail: string;
  /** "message #3, line 45, Reason: Q.850;cause=17" — already redacted. */
  readonly evidence: readonly string[];
}

/** One vendor source behind a card: its id in knowledge/platforms/, where it is, and the versions it describes. */
export interface CardSource {
  readonly id: string;
  readonly platform: string;
  /** "asterisk/asterisk res/res_pjsip.c ast_sip_hangup_sip2cause()" or "Title <https://…>". */
  readonly where: string;
  readonly versions?: string;
}

/** Code cards: the sources of their vendor statements and the day a person last checked them (null: not yet). */
export interface CardProvenance {
  readonly reviewed: string | null;
  readonly sources: readonly CardSource[];
}

export interface Card {
  readonly kind: CardKind;
  readonly title: string;
  /** One line: what happened, or what this card is. */
  readonly summary: string;
  /** The notification text when it is not "title: summary" (code answers: code, reason and the one-line why). */
  readonly headline?: string;
  readonly tone: Tone;
  /** Code cards: the SIP response code and its registered reason phrase. */
  readonly code?: number;
  readonly reason?: string;
  readonly fields: readonly CardField[];
  readonly sections: readonly CardSection[];
  /** Triage cards: findings, shown before the sections. */
  readonly findings?: readonly CardFinding[];
  readonly links: readonly CardLink[];
  /** Follow-up questions (a digest's top codes link to their cards); surfaces render them as buttons. */
  readonly actions?: readonly CardAction[];
  /** Code cards: where the vendor statements come from and when they were checked (shown by --json). */
  readonly provenance?: CardProvenance;
  /** A context line: sources, who asked, how the answer was derived. */
  readonly footer?: string;
  /** True for usage cards answering bad input, so surfaces can exit non-zero or answer privately. */
  readonly isError?: boolean;
}

/** The class tone for a SIP status code. */
export function toneForCode(code: number): Tone {
  if (code < 200) return 'info';
  if (code < 300) return 'success';
  if (code < 400) return 'redirect';
  if (code < 500) return 'warning';
  if (code < 600) return 'danger';
  return 'critical';
}

/** RFC link on the RFC Editor's HTML rendering, which anchors every section. */
export function rfcUrl(rfc: string, section?: string): string {
  const n = rfc.replace(/\D/g, '');
  return `https://www.rfc-editor.org/rfc/rfc${n}.html${section === undefined ? '' : `#section-${section}`}`;
}
