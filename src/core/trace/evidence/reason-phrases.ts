/**
 * What the trace reader needs to know about reason phrases, passed in by whoever holds the knowledge base
 * (the engine), so that core/trace stays free of knowledge loading. Both lookups are case-insensitive.
 */
export interface ReasonPhrases {
  /** The registered phrase of a code ("Busy Here" for 486), or undefined for an unknown code. */
  reasonOf(code: number): string | undefined;
  /** The code a phrase names, registered or a known variant ("Forbidden" → 403), or undefined. */
  codeOf(phrase: string): number | undefined;
}

/** No phrase knowledge: log evidence is then read only from explicit codes ("status=486"). */
export const NO_PHRASES: ReasonPhrases = { reasonOf: () => undefined, codeOf: () => undefined };
