import type { Attempt } from '../call.js';
import { evidence, where, type Finding, type Rule } from '../finding.js';

const isChallenge = (status: number | undefined): boolean => status === 401 || status === 407;

/**
 * RFC 3261 §22: the first 401/407 is how digest authentication starts and is not a failure. A challenge in
 * answer to a request that already carried credentials (stale=false), or a 403 after credentials, means
 * they were rejected (RFC 3261 §22.2, §22.3; RFC 7616 §3.3 for stale).
 */
export const authChallenge: Rule = {
  id: 'auth-challenge',
  evaluate(ctx) {
    const findings: Finding[] = [];
    for (const [i, attempt] of ctx.call.attempts.entries()) {
      const final = attempt.final;
      if (final === undefined || !isChallenge(final.message.status) || attempt.hasCredentials) continue;
      const next = ctx.call.attempts[i + 1];
      const challenge = final.message.challenges[0]?.challenge;
      const answered = next !== undefined && next.hasCredentials;
      findings.push({
        id: this.id,
        severity: 'info',
        title: `${ctx.call.method} challenged with ${final.message.status}${answered ? ', then answered with credentials' : ''}: normal first step`,
        detail:
          `${where(final)} asks for digest credentials` +
          `${challenge?.realm === undefined ? '' : ` for realm "${challenge.realm}"`}` +
          `${challenge?.algorithm === undefined ? '' : ` (algorithm ${challenge.algorithm}${challenge.qop === undefined ? '' : `, qop ${challenge.qop}`})`}. ` +
          (answered ? 'The client answered it, so this challenge is not the failure.' : 'The trace ends before the client answers: if it never does, check that the device has credentials configured for this realm.'),
        evidence: [evidence(ctx, final, final.message.status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate')],
      });
    }
    return findings;
  },
};

export const authRejected: Rule = {
  id: 'auth-rejected',
  evaluate(ctx) {
    const findings: Finding[] = [];
    const attempts: readonly Attempt[] = ctx.call.attempts;
    for (const [i, attempt] of attempts.entries()) {
      const final = attempt.final;
      const request = attempt.request;
      if (final === undefined || request === undefined || !attempt.hasCredentials) continue;
      const status = final.message.status ?? 0;
      if (!isChallenge(status) && status !== 403) continue;
      const creds = request.message.credentials[0]?.credentials;
      const challenge = final.message.challenges[0]?.challenge;
      if (challenge?.stale === true) {
        findings.push({
          id: this.id,
          severity: 'info',
          title: 'Nonce expired (stale=true): credentials were right, the client must retry with the new nonce',
          detail: `${where(final)} challenges again with stale=true: the password was accepted but the nonce was too old. Frequent stale nonces point at a slow client or a nonce lifetime that is too short.`,
          evidence: [evidence(ctx, final, status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate')],
        });
        continue;
      }
      const previous = attempts[i - 1]?.final?.message.challenges[0]?.challenge;
      const realmMismatch =
        creds?.realm !== undefined && previous?.realm !== undefined && creds.realm !== previous.realm
          ? ` The credentials name realm "${creds.realm}" but the challenge was for "${previous.realm}".`
          : '';
      findings.push({
        id: this.id,
        severity: 'error',
        title: `Credentials rejected: ${status} after ${request.message.method ?? 'the request'} sent ${creds?.username === undefined ? 'credentials' : `credentials for "${creds.username}"`}`,
        detail:
          `${where(request)} carried credentials and ${where(final)} answered ${status}.${realmMismatch} ` +
          'Usual causes: wrong password, an auth username that differs from the user part, a realm the server does not accept, ' +
          'or a clock or nonce problem on one side; for 403, an account or IP that is not allowed at all.',
        evidence: [
          evidence(ctx, request, request.message.has('Authorization') ? 'Authorization' : 'Proxy-Authorization'),
          evidence(ctx, final),
        ],
      });
    }
    return findings;
  },
};
