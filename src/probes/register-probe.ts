import { randomBytes } from 'node:crypto';
import { chooseChallenge, digestAuthorization, type DigestChallenge } from '../core/probe/digest-response.js';
import type { RequestParts } from '../core/probe/probe-message.js';
import type { AttemptOutcome, RegisterSteps } from '../core/probe/probe-report.js';
import type { ProbeRequest } from '../core/probe/probe-request.js';
import type { SipMessage } from '../core/sip/message.js';
import type { SipChannel } from './sip-channel.js';
import { runTransaction } from './transaction.js';

/** Credentials for a REGISTER probe: from PROBE_CREDENTIALS or its file, never from chat. */
export interface ProbeCredentials {
  readonly username: string;
  readonly password: string;
  /** The address of record's domain when it is not the target host. */
  readonly domain?: string;
}

// Short: the binding exists only between the probe's REGISTER and its unregister.
const PROBE_EXPIRES = 60;

/**
 * REGISTER as a phone would (RFC 3261 §10.2): unauthenticated first; a 401/407 challenge answered with the
 * configured credentials (RFC 8760: MD5 or SHA-256, the server's first choice we support); and, once the
 * registrar accepts, the binding removed again at once with Expires: 0 (§10.2.2).
 */
export async function registerProbe(channel: SipChannel, base: RequestParts, request: ProbeRequest, creds: ProbeCredentials | undefined): Promise<{ sends: readonly number[]; outcome: AttemptOutcome; register: RegisterSteps }> {
  const domain = creds?.domain ?? request.target.host;
  const user = creds?.username ?? (request.target.user === '' ? 'siptriage' : request.target.user);
  const parts: RequestParts = { ...base, uri: `${request.target.scheme}:${domain}`, aor: `${request.target.scheme}:${user}@${domain}`, expires: PROBE_EXPIRES };
  const first = await runTransaction(channel, parts, request.timeoutMs);
  const challenged = challengeOf(first.final);
  if (first.outcome.kind !== 'answer' || challenged === undefined) return { sends: first.sends, outcome: first.outcome, register: {} };

  const challenge = chooseChallenge(challenged);
  const status = first.outcome.answer.status;
  if ('unsupported' in challenge) {
    return { sends: first.sends, outcome: first.outcome, register: { noCredentials: `the registrar offers only ${challenge.unsupported}; siptriage answers MD5 and SHA-256 digests` } };
  }
  const seen = { status, algorithm: challenge.algorithm, realm: challenge.realm };
  if (creds === undefined) {
    return { sends: first.sends, outcome: first.outcome, register: { challenge: seen, noCredentials: `none configured for ${request.target.host} (PROBE_CREDENTIALS or PROBE_CREDENTIALS_FILE)` } };
  }
  const authed = await runTransaction(channel, withAuth(parts, challenge, creds, 2, 1), request.timeoutMs);
  const register: { -readonly [K in keyof RegisterSteps]: RegisterSteps[K] } = { challenge: seen };
  if (authed.outcome.kind === 'answer' && authed.outcome.answer.status >= 200 && authed.outcome.answer.status < 300) {
    register.unregister = await unregister(channel, parts, challenge, creds, request.timeoutMs);
  }
  return { sends: [...first.sends, ...authed.sends], outcome: authed.outcome, register };
}

async function unregister(channel: SipChannel, parts: RequestParts, challenge: DigestChallenge, creds: ProbeCredentials, timeoutMs: number): Promise<NonNullable<RegisterSteps['unregister']>> {
  const removal = { ...parts, expires: 0 };
  let r = await runTransaction(channel, withAuth(removal, challenge, creds, 3, 2), timeoutMs);
  // A registrar may want a fresh nonce for the removal: answer that challenge once more.
  const again = challengeOf(r.final);
  if (again !== undefined) {
    const c = chooseChallenge(again);
    if (!('unsupported' in c)) r = await runTransaction(channel, withAuth(removal, c, creds, 4, 1), timeoutMs);
  }
  if (r.outcome.kind === 'answer') return { status: r.outcome.answer.status, reason: r.outcome.answer.reason };
  return { failed: r.outcome.kind === 'timeout' ? 'no answer (408)' : r.outcome.kind === 'refused' ? 'refused' : r.outcome.message };
}

function withAuth(parts: RequestParts, c: DigestChallenge, creds: ProbeCredentials, cseq: number, nc: number): RequestParts {
  const value = digestAuthorization(c, { username: creds.username, password: creds.password, method: 'REGISTER', uri: parts.uri, cnonce: randomBytes(8).toString('hex'), nc });
  return { ...parts, cseq, branch: randomBytes(8).toString('hex'), authorization: { header: c.header === 'WWW-Authenticate' ? 'Authorization' : 'Proxy-Authorization', value } };
}

function challengeOf(m: SipMessage | undefined): { header: 'WWW-Authenticate' | 'Proxy-Authenticate'; value: string }[] | undefined {
  if (m === undefined || (m.status !== 401 && m.status !== 407)) return undefined;
  const header = m.status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
  const values = m.getAll(header).map((value) => ({ header, value }) as const);
  return values.length === 0 ? undefined : values;
}
