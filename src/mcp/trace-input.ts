import { z } from 'zod';
import type { Engine, TriageAnswer } from '../core/engine.js';
import { fail, ok, type Result } from '../core/result.js';

// The trace argument that the triage and ladder tools share: text as pasted, or a capture as base64.

export const traceInputShape = {
  trace: z.string().optional().describe('A SIP trace as text: sngrep, ngrep, tcpdump -A, Kamailio/Asterisk/FreeSWITCH logs, raw messages'),
  captureBase64: z.string().optional().describe('A pcap or pcapng capture, base64-encoded (instead of trace)'),
  filename: z.string().max(200).optional().describe('The file name, when there is one (it only helps tell a damaged capture from text)'),
};

export interface TraceInput {
  readonly trace?: string | undefined;
  readonly captureBase64?: string | undefined;
  readonly filename?: string | undefined;
}

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/**
 * Triages what the tool was given, within the same limits as a chat upload. Expected bad input (neither or
 * both arguments, bad base64, too large, nothing SIP in it) comes back as one sentence, never a throw.
 */
export function triageInput(engine: Engine, input: TraceInput): Result<TriageAnswer> {
  const given = [input.trace, input.captureBase64].filter((v) => v !== undefined).length;
  if (given !== 1) return fail('input-shape', 'Give exactly one of trace (text) or captureBase64 (a pcap or pcapng file).');
  let bytes: Uint8Array;
  if (input.captureBase64 !== undefined) {
    if (!BASE64.test(input.captureBase64)) return fail('bad-base64', 'captureBase64 is not base64.');
    bytes = Buffer.from(input.captureBase64, 'base64');
    const limit = engine.options.maxCaptureBytes ?? engine.options.maxTraceBytes;
    if (bytes.length > limit) return fail('too-large', `The capture is ${bytes.length} bytes; the limit is ${limit} (MAX_CAPTURE_BYTES).`);
  } else {
    bytes = Buffer.from(input.trace ?? '', 'utf8');
    if (bytes.length > engine.options.maxTraceBytes) {
      return fail('too-large', `The trace is ${bytes.length} bytes; the limit is ${engine.options.maxTraceBytes} (MAX_TRACE_BYTES).`);
    }
  }
  const answer = engine.triageBytes(bytes, input.filename);
  if (answer.report.entries.length === 0) return fail(answer.report.problems[0]?.code ?? 'no-sip', answer.report.problems[0]?.message ?? 'No SIP messages found in what was given.');
  return ok(answer);
}
