import type { Engine } from '../core/engine.js';
import { buildShareBundle, type ShareBundle } from '../core/share/share-bundle.js';
import type { TriageInput } from '../ports/triage-runner.js';

/**
 * The share bundle of a held trace, triaged again (a report does not cross threads, and holding one per
 * answer would cost far more memory than the input). Masked as REDACT_* say, like every chat answer; the
 * digest response and other credentials go whatever is set. No PNG: resvg draws on the main thread.
 */
export function shareOutcome(engine: Engine, input: TriageInput, source: string | undefined): ShareBundle {
  const answer = input.kind === 'text' ? engine.triage(input.text) : engine.triageBytes(input.bytes, input.filename);
  return buildShareBundle(answer.report, { redact: engine.options.redact, ...(source === undefined ? {} : { source }) });
}
