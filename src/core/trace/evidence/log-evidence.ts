import type { ReasonPhrases } from './reason-phrases.js';

/**
 * A failing response that a log line states without printing the message: `Got SIP response 488 … back
 * from` (Asterisk chan_sip), `status=403` (pjsua), `completed with code: 408` (Kamailio xlog), `[terminated]
 * [503]` (FreeSWITCH), `Code: [603]` (dart-sip-ua), a JSON `"code":486`, or prose such as "returns a 480
 * Temporarily Unavailable". Read as evidence only: the triage marks what it builds from it as inferred.
 */
export interface LogEvidence {
  /** 1-based line in the text that was read. */
  readonly line: number;
  readonly code: number;
  /** The method when the line names it ("Response msg 403/INVITE", "while registering"). */
  readonly method: string | undefined;
  readonly callId: string | undefined;
  readonly cseq: number | undefined;
  /** The line as printed, trimmed and shortened, to show the user what was read. */
  readonly text: string;
  /**
   * The line says the call or registration ended on it ("failed", "DISCONNECTED", "Aborting"), or the same
   * code is logged again: then even a 401/407 is the outcome, not a challenge the client went on to answer.
   */
  readonly statesFailure: boolean;
}

export interface EvidenceScan {
  readonly evidence: readonly LogEvidence[];
  /** Call-IDs named in log lines ("call id: 3df4…", "call_id=…"), for attaching evidence to its call. */
  readonly callIds: readonly string[];
}

const METHODS = ['INVITE', 'REGISTER', 'OPTIONS', 'BYE', 'CANCEL', 'SUBSCRIBE', 'NOTIFY', 'REFER', 'MESSAGE', 'INFO', 'UPDATE', 'PRACK', 'PUBLISH'];
const METHOD_WORD = new RegExp(`\\b(${METHODS.join('|')})\\b`);
// Cheap gates: a line can only hold evidence if it has a 4xx–6xx-looking number or names a timer, or, for the
// phrase-only shapes (FAILED_PHRASE, ENDED_AS), if it says in words that something failed.
const GATE = /[4-6]\d\d|timer/i;
const WORDS_GATE = /error|fail|reject|declin/i;
// Words that introduce a status code in stacks' logs and in prose; the code follows after punctuation.
const KEYWORD =
  /(?:[A-Za-z_]*(?:code|status)|(?<![A-Za-z])(?:got(?: an?| sip)?(?: response)?|response(?: msg| received)?|responded(?: with)?|reason|cause|error|failed with|non-success response|failure response|sends?|sending|sent|tx|rx|pdu|returns?|returned|repl(?:y|ied)(?: with)?|rejected with|answer(?:s|ed)?(?: with)?|event|closed))(?:\s+(?:is|of|with|an?|the))?[\s:=[<("'`“”：]*([4-6]\d\d)(?!\d|[.:]\d)/gi;
// "Response msg 403/INVITE/cseq=5853" (pjsip), "INVITE 404 Not Found" (SIPSorcery), "1 INVITE <501>" (OPAL).
const CODE_SLASH_METHOD = new RegExp(`\\b([4-6]\\d\\d)/(${METHODS.join('|')})\\b`, 'g');
const METHOD_THEN_CODE = new RegExp(`\\b(${METHODS.join('|')}) <?([4-6]\\d\\d)\\b(?![\\d.:])`, 'g');
// A status line inside a log line or quoted in prose: 'received 'SIP/2.0 407 Proxy Auth…**'.
const STATUS_LINE = /SIP\/2\.0 ([4-6]\d\d)(?!\d)/g;
// FreeSWITCH: "Channel sofia/… entering state [terminated][503]".
const FS_STATE = /\]\s*\[([4-6]\d\d)\]/g;
// A bare code followed by words, checked against the code's reason phrase: "480 Temporarily Unavailable".
const CODE_THEN_WORDS = /(?<![\d.:/#-])([4-6]\d\d)(?![\d.:/])[\s\-–—:"'“”(]*([A-Za-z][A-Za-z'’]*(?:[ -]+[A-Za-z][A-Za-z'’]*)?)/g;
// A phrase followed by its code in brackets: "Not Acceptable Here (488)".
const PHRASE_THEN_CODE = /[(\[]([4-6]\d\d)[)\]]/g;
// A quoted reason phrase with no code: 'Received response: "Forbidden"' (Asterisk chan_sip).
const QUOTED_PHRASE = /["“]([A-Za-z][A-Za-z' ]{2,40})["”]/g;
// A quoted status with its (any-language) phrase: '"403 Contact User und Anrufernummer verschieden"'.
const QUOTED_STATUS = /["“`]([4-6]\d\d) [A-Z][A-Za-z]/g;
// A hand-typed ladder line: a bare code beside an arrow ("480 <-", "<-- 486 Busy Here", "603 ---->").
const LADDER = /^[\s|]*(?:(?:<-+|<=+|-+>|=+>)\s*([4-6]\d\d)\b[A-Za-z '\s]{0,40}|([4-6]\d\d)\b[A-Za-z '\s]{0,40}?(?:<-+|<=+|-+>|=+>))\s*$/;
// A phrase with no code after a failure word, the way titles and UIs put it: "Registration error - Forbidden".
const FAILED_PHRASE = /\b(?:error|fail(?:ed|ure)?|rejected)\s*[-–—:]\s*["“]?([A-Za-z][A-Za-z' ]{2,40}?)["”]?\s*[.!]?\s*$/i;
// What a UI says a call or registration ended as, in the phrase's own word: "call has been declined" (603).
const ENDED_AS = /\b(?:call|registration|request)\b[\w ]{0,20}?\b(?:has been|had been|was|is|got)\s+([A-Za-z]+)(?: ([A-Za-z]+))?/i;
// pjlib folds SIP codes into its status numbers: PJSIP_ERRNO_START_PJSIP (170000) + code.
const PJ_STATUS = /status=170([4-6]\d\d)\b/g;
// RFC 3261 §17.1.1.2 / §17.1.2.2: Timer B (INVITE) and Timer F (non-INVITE) firing is a local 408.
const TIMER_BF = /\btimer[ _-]?([BF])\b/i;
const FAILURE_WORDS = /fail|disconnect|abort|reject|declin|error|unexpected|closed|denied|refused/i;
const CALL_ID = /\bcall[-_ ]?id\b["']?\s*[:=]?\s*["'‘]?([A-Za-z0-9][^\s"',;\])’]{5,})/i;
const CSEQ = /\bcseq[=: ]+(\d+)/i;

/** Reads evidence from the given lines (those no parsed message covers); `lines[i]` is line `i + 1`. */
export function scanEvidence(lines: readonly string[], covered: (line: number) => boolean, phrases: ReasonPhrases): EvidenceScan {
  const evidence: LogEvidence[] = [];
  const callIds: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (covered(i + 1)) continue;
    const raw = lines[i] ?? '';
    const callId = CALL_ID.exec(raw)?.[1];
    if (callId !== undefined) callIds.push(trimCallId(callId));
    const found = GATE.test(raw) ? codesIn(raw, phrases) : WORDS_GATE.test(raw) ? phraseOnly(raw, phrases) : [];
    for (const f of found) {
      const cseq = CSEQ.exec(raw)?.[1];
      evidence.push({
        line: i + 1,
        code: f.code,
        method: f.method ?? lineMethod(raw),
        callId: callId === undefined ? undefined : trimCallId(callId),
        cseq: cseq === undefined ? undefined : Number(cseq),
        text: shorten(raw.trim()),
        statesFailure: FAILURE_WORDS.test(raw),
      });
    }
  }
  // A challenge logged again (sippts' two 407s, pjsua's retries) was answered and refused again.
  const seenOn = new Map<number, Set<number>>();
  for (const e of evidence) (seenOn.get(e.code) ?? seenOn.set(e.code, new Set()).get(e.code))?.add(e.line);
  return { evidence: evidence.map((e) => ((seenOn.get(e.code)?.size ?? 0) > 1 ? { ...e, statesFailure: true } : e)), callIds };
}

interface Found {
  readonly code: number;
  readonly method: string | undefined;
}

function codesIn(line: string, phrases: ReasonPhrases): Found[] {
  const out = new Map<number, Found>();
  const add = (code: number, method?: string): void => {
    if (notACode(line, code)) return;
    const had = out.get(code);
    if (had === undefined || (had.method === undefined && method !== undefined)) out.set(code, { code, method });
  };
  for (const m of line.matchAll(CODE_SLASH_METHOD)) add(Number(m[1]), m[2]);
  for (const m of line.matchAll(METHOD_THEN_CODE)) add(Number(m[2]), m[1]);
  for (const m of line.matchAll(STATUS_LINE)) add(Number(m[1]));
  for (const m of line.matchAll(KEYWORD)) add(Number(m[1]));
  for (const m of line.matchAll(FS_STATE)) add(Number(m[1]));
  for (const m of line.matchAll(PJ_STATUS)) add(Number(m[1]));
  for (const m of line.matchAll(CODE_THEN_WORDS)) {
    const code = Number(m[1]);
    if (startsWithPhrase(m[2] ?? '', phrases.reasonOf(code))) add(code);
  }
  for (const m of line.matchAll(PHRASE_THEN_CODE)) {
    const code = Number(m[1]);
    const reason = phrases.reasonOf(code);
    if (reason !== undefined && line.slice(0, m.index).trimEnd().toLowerCase().endsWith(reason.toLowerCase())) add(code);
  }
  if (out.size === 0 && /respon|receiv|reject|repl/i.test(line)) {
    for (const m of line.matchAll(QUOTED_PHRASE)) {
      const code = phrases.codeOf(m[1] ?? '');
      if (code !== undefined && code >= 400) add(code);
    }
  }
  const ladder = LADDER.exec(line);
  if (ladder !== null) add(Number(ladder[1] ?? ladder[2]));
  for (const m of line.matchAll(QUOTED_STATUS)) add(Number(m[1]));
  if (out.size === 0) for (const f of phraseOnly(line, phrases)) add(f.code);
  if (out.size === 0 && TIMER_BF.test(line) && !/\b(?:start|reset|set|clear|cancel)/i.test(line)) {
    add(408, TIMER_BF.exec(line)?.[1] === 'B' ? 'INVITE' : undefined);
  }
  return [...out.values()];
}

// A failure stated only by its reason phrase, in a title or a UI's words: "Registration error - Forbidden",
// "call has been declined" (603's phrase as a carrier sends it, knowledge/codes/603.yaml variants).
function phraseOnly(line: string, phrases: ReasonPhrases): Found[] {
  const stated = FAILED_PHRASE.exec(line)?.[1];
  const ended = ENDED_AS.exec(line);
  const code =
    (stated === undefined ? undefined : phrases.codeOf(stated)) ??
    (ended?.[2] === undefined ? undefined : phrases.codeOf(`${ended[1]} ${ended[2]}`)) ??
    (ended?.[1] === undefined ? undefined : phrases.codeOf(ended[1]));
  return code !== undefined && code >= 400 ? [{ code, method: undefined }] : [];
}

// "send 665 bytes to", "(484 bytes)", "[478] bytes parsed" (belle-sip), "after 500 ms": sizes and durations.
function notACode(line: string, code: number): boolean {
  const re = new RegExp(`(?<!\\d)${code}[\\])]?\\s*(?:bytes?|octets|ms|msec|secs?|seconds?|s\\b|hz|kb|%)`, 'i');
  return re.test(line);
}

// Compares the first one or two words (case-insensitive): "Not acceptable here" names 488, "Not Found" 404.
function startsWithPhrase(words: string, reason: string | undefined): boolean {
  if (reason === undefined) return false;
  const want = reason.toLowerCase().split(/[\s-]+/).slice(0, 2);
  const got = words.toLowerCase().replace(/’/g, "'").split(/[\s-]+/);
  return want.every((w, i) => got[i] === w || (i > 0 && got[i] === undefined));
}

function lineMethod(line: string): string | undefined {
  const m = METHOD_WORD.exec(line);
  if (m) return m[1];
  if (/regist/i.test(line)) return 'REGISTER';
  if (/subscri/i.test(line)) return 'SUBSCRIBE';
  return undefined;
}

// A Call-ID quoted in prose may carry the sentence's punctuation; ngrep adds a '.' for the CR.
function trimCallId(id: string): string {
  return id.replace(/[.:)]+$/, (tail) => (tail.startsWith('..') ? tail : ''));
}

function shorten(s: string): string {
  return s.length > 200 ? `${s.slice(0, 199)}…` : s;
}
