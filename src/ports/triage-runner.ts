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
  /** Calls not in `events` (a capture with more calls than one answer counts); 0 for most traces. */
  readonly uncounted?: number;
  /** The failing calls' ladder (SVG) for chat answers to attach as an image; none when no call failed. */
  readonly ladder?: ChatLadder;
}

/** What the person sharing chose to keep unmasked in a share bundle; absent means mask both. */
export interface ShareKeep {
  readonly numbers?: boolean;
  readonly addresses?: boolean;
}

export interface TriageRunner {
  /** Worker threads in use; 0 when triage runs on the calling thread. */
  readonly threads: number;
  run(input: TriageInput, seenAt?: number): Promise<TriageOutcome>;
  /**
   * The share bundle of a trace (no PNG: that is drawn at the edge), built off the event loop like a triage.
   * Numbers and addresses are masked unless `keep` says otherwise (an explicit choice of the person sharing).
   */
  share(input: TriageInput, source: string | undefined, keep?: ShareKeep): Promise<ShareBundle>;
  /** An SVG drawn as PNG (resvg: tens to hundreds of ms of CPU), off the event loop. */
  rasterize(svg: string, scale: number): Promise<Uint8Array>;
  close(): Promise<void>;
  /**
   * Claims one of the places for capture jobs (download and triage), returning its release; undefined when
   * all are taken, which the surface answers "busy, try again". Absent: no limit.
   */
  admitCapture?(): (() => void) | undefined;
}

/** A triage that needed more memory than a triage thread is given (TRIAGE_WORKER_MEMORY_MB). */
export const TRIAGE_OVER_BUDGET = 'TRIAGE_OVER_BUDGET';

/** What a surface says when a capture is refused because others are being read. */
export const BUSY_MESSAGE = 'siptriage is reading other captures right now: share this one again in a minute.';

/** What a surface says when a triage went over its memory budget. */
export const OVER_BUDGET_MESSAGE = 'This file needed more memory than a triage may use, so it was not read to the end: cut it to the calls that failed and share it again.';
