/**
 * siptriage as a library: the same answers the bot gives, for your own tools.
 *
 *   import { explain, triage, parseSipMessage } from 'siptriage';
 */
import type { Card } from './core/card/card.js';
import { createEngine, type Engine } from './core/engine.js';
import { triageJson, type TriageJson } from './core/triage/report-json.js';
import { defaultKnowledge } from './knowledge/load-knowledge.js';

export type { Card, CardField, CardFinding, CardLink, CardSection, Tone } from './core/card/card.js';
export { renderCardText } from './core/card/render-text.js';
export { createEngine, containsSip, type Engine, type EngineOptions, type TriageAnswer } from './core/engine.js';
export { parseSipMessage, type ParseOutcome, type ParseOptions } from './core/sip/parse-message.js';
export { SipMessage, type SipHeader, type MessageMeta } from './core/sip/message.js';
export { readTrace, type TraceRead } from './core/trace/read-trace.js';
export { CaptureReader, captureFormat, readCapture, type CaptureOptions, type CaptureRead } from './core/capture/read-capture.js';
export { DEFAULT_CAPTURE_LIMITS, type CaptureLimits } from './core/capture/capture-limits.js';
export { buildLadder, type LadderOptions } from './core/ladder/build-ladder.js';
export type { Ladder, LadderArrow, LadderCall, LadderHost } from './core/ladder/ladder-model.js';
export { renderLadderText } from './core/ladder/render-ladder-text.js';
export { renderLadderSvg } from './core/ladder/render-ladder-svg.js';
export { renderLadderMermaid } from './core/ladder/render-ladder-mermaid.js';
export { buildDigest, digestPeriod, digestQueries, type DigestModel, type DigestInput, type DigestPeriod } from './core/stats/digest-model.js';
export { buildStats, statsQueries, type StatsModel } from './core/stats/stats-model.js';
export type { CountRow, RowQuery } from './core/stats/count-rows.js';
export { digestCard } from './core/stats/digest-card.js';
export { statsCard } from './core/stats/stats-card.js';
export { renderDigestChartSvg } from './core/stats/digest-chart-svg.js';
export { buildShareBundle, shareRedaction, type ShareBundle, type ShareFile, type ShareOptions } from './core/share/share-bundle.js';
export { triageMessages, type TriageReport } from './core/triage/triage.js';
export { triageJson, type TriageJson } from './core/triage/report-json.js';
export type { Finding, Severity } from './core/triage/finding.js';
export { KnowledgeBase } from './knowledge/knowledge-base.js';
export { defaultKnowledge, loadKnowledge } from './knowledge/load-knowledge.js';
export type * from './knowledge/schema.js';

let engine: Engine | undefined;
const shared = (): Engine => (engine ??= createEngine(defaultKnowledge()));

/** The card for any /sip query: "503", "4xx", "busy", "q850 17", "warning 305". Never throws. */
export function explain(query: string): Card {
  return shared().explain(query);
}

/** Triage a pasted trace in any supported format; the JSON shape of `siptriage triage --json`. */
export function triage(text: string): TriageJson {
  return triageJson(shared().triage(text).report);
}
