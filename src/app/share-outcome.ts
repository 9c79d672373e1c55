import type { Engine } from '../core/engine.js';
import { buildShareBundle, shareRedaction, type ShareBundle } from '../core/share/share-bundle.js';
import type { ShareKeep, TriageInput } from '../ports/triage-runner.js';

/**
 * The share bundle of a held trace, triaged again (a report does not cross threads, and holding one per
 * answer would cost far more memory than the input). A bundle leaves the company, so numbers and addresses
 * are masked on every surface as the CLI masks them, unless the person sharing chose to keep them; what
 * REDACT_* mask in every chat answer stays masked whatever they choose. Credentials go whatever is set. No
 * PNG: resvg draws on the main thread.
 */
export function shareOutcome(engine: Engine, input: TriageInput, source: string | undefined, keep: ShareKeep = {}): ShareBundle {
  const answer = input.kind === 'text' ? engine.triage(input.text) : engine.triageBytes(input.bytes, input.filename);
  const chosen = shareRedaction(keep);
  const redact = { numbers: chosen.numbers || engine.options.redact.numbers, addresses: chosen.addresses || engine.options.redact.addresses };
  return buildShareBundle(answer.report, { redact, ...(source === undefined ? {} : { source }) });
}
