/**
 * Log lines that state why a call ended in the PBX's own words, outside any printed SIP message:
 * - Asterisk: `Unable to create channel of type 'PJSIP' (cause 20 - Subscriber absent)` (a Q.850 cause
 *   number), and the Dial() status the dialplan saw, `status is 'CHANUNAVAIL'`, `Goto(…, "s,CONGESTION")`,
 *   `DIALSTATUS=BUSY`, `SIP/trunk-0000023a is circuit-busy` (app_dial's words for CONGESTION);
 * - FreeSWITCH: a hangup cause name, `Hangup sofia/… [CS_EXECUTE] [CALL_REJECTED]`,
 *   `hangup_cause=NORMAL_TEMPORARY_FAILURE`, `Originate Resulted in Error Cause: 17 [USER_BUSY]`.
 * Read as words only; the triage gives them their meaning from the Q.850 knowledge (log-cause rule).
 */
export interface LogCause {
  /** 1-based line in the text that was read. */
  readonly line: number;
  readonly kind: 'q850' | 'dial-status' | 'hangup-cause';
  /** Q.850 cause number (kind q850), Asterisk DIALSTATUS (dial-status), FreeSWITCH cause name (hangup-cause). */
  readonly value: string;
  /** The line as printed, trimmed and shortened. */
  readonly text: string;
}

// Dial() outcomes that are failures; ANSWER, CANCEL and NOANSWER after a ring are the call's normal ends.
const DIAL_STATUSES = 'CHANUNAVAIL|CONGESTION|BUSY';
const DIAL_STATUS = new RegExp(`(?:status is '(${DIAL_STATUSES})'|DIALSTATUS[\\s=:"']+(${DIAL_STATUSES})\\b|"s,(${DIAL_STATUSES})"|\\bGoto\\([^)]*,\\s*(${DIAL_STATUSES})\\b)`);
// app_dial.c prints "is circuit-busy" for AST_CONTROL_CONGESTION and "is busy" for AST_CONTROL_BUSY.
const CIRCUIT_BUSY = /\bis circuit-busy\b/;
const IS_BUSY = /app_dial\.c:.*\bis busy\s*$/;
// "(cause 20 - Subscriber absent)", "hangupcause=34", "Cause: 21" — a Q.850 number (0–127), never a SIP code.
const Q850_NUMBER = /(?:\(cause (\d{1,3})\b|\bhangup[ _-]?cause(?:code)?["']?\s*[=:]\s*["']?(\d{1,3})\b|\bcause code[=: ]+(\d{1,3})\b)/i;
// FreeSWITCH names: upper case with underscores, in brackets after a state or after a cause label.
const FS_NAME = /(?:\[CS_[A-Z_]+\]\s*\[([A-Z][A-Z_]{3,})\]|hangup[_ ]cause[\s=:]+\[?([A-Z][A-Z_]{3,})\b|Cause: \d{1,3} \[([A-Z][A-Z_]{3,})\])/;
// Not a reason: the call ended normally or the far end simply hung up.
const NOT_A_FAILURE = new Set(['NORMAL_CLEARING', 'NONE', 'SUCCESS', 'ORIGINATOR_CANCEL']);

/** Reads the cause lines among those no parsed message covers; `lines[i]` is line `i + 1`. */
export function scanCauses(lines: readonly string[], covered: (line: number) => boolean): LogCause[] {
  const out: LogCause[] = [];
  const seen = new Set<string>();
  const add = (line: number, kind: LogCause['kind'], value: string, raw: string): void => {
    const key = `${kind}\u0000${value}`;
    // One line per stated cause: a log repeats "CONGESTION" on every dialplan step that reads it.
    if (seen.has(key)) return;
    seen.add(key);
    const text = raw.trim();
    out.push({ line, kind, value, text: text.length > 200 ? `${text.slice(0, 199)}…` : text });
  };
  for (let i = 0; i < lines.length; i++) {
    if (covered(i + 1)) continue;
    const raw = lines[i] ?? '';
    if (raw.length > 2000) continue;
    const dial = DIAL_STATUS.exec(raw);
    const status = dial?.slice(1).find((v) => v !== undefined);
    if (status !== undefined) add(i + 1, 'dial-status', status, raw);
    else if (CIRCUIT_BUSY.test(raw)) add(i + 1, 'dial-status', 'CONGESTION', raw);
    else if (IS_BUSY.test(raw)) add(i + 1, 'dial-status', 'BUSY', raw);
    const q = Q850_NUMBER.exec(raw);
    const cause = q?.slice(1).find((v) => v !== undefined);
    if (cause !== undefined && Number(cause) <= 127) add(i + 1, 'q850', String(Number(cause)), raw);
    const fs = FS_NAME.exec(raw);
    const name = fs?.slice(1).find((v) => v !== undefined);
    if (name !== undefined && !NOT_A_FAILURE.has(name) && !name.startsWith('CS_')) add(i + 1, 'hangup-cause', name, raw);
  }
  return out;
}
