import type { Card } from '../core/card/card.js';
import type { ChatLadder } from '../core/ladder/chat-ladder.js';
import type { ShareBundle } from '../core/share/share-bundle.js';
import type { CallEvent } from '../core/triage/call-events.js';

// What chat surfaces ask of the triage pool. The pool (worker threads) is wiring in app/; adapters hold only
// this interface, so a surface never imports the thing that starts it.

export type TriageInput =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array; readonly filename: string };

/** A triage answer as plain data: the report's objects do not cross threads, so call events are made beside it. */
export interface TriageOutcome {
  readonly summary: Card;
  readonly calls: readonly Card[];
  readonly events: readonly CallEvent[];
  readonly messages: number;
  /** The failing calls' ladder (SVG) for chat answers to attach as an image; none when no call failed. */
  readonly ladder?: ChatLadder;
}

export interface TriageRunner {
  /** Worker threads in use; 0 when triage runs on the calling thread. */
  readonly threads: number;
  run(input: TriageInput, seenAt?: number): Promise<TriageOutcome>;
  /** The share bundle of a trace (no PNG: that is drawn at the edge), built off the event loop like a triage. */
  share(input: TriageInput, source: string | undefined): Promise<ShareBundle>;
  /** An SVG drawn as PNG (resvg: tens to hundreds of ms of CPU), off the event loop. */
  rasterize(svg: string, scale: number): Promise<Uint8Array>;
  close(): Promise<void>;
}
