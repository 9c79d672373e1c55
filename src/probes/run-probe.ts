import { randomBytes } from 'node:crypto';
import { checkAddress, checkTargetHost } from '../core/probe/probe-policy.js';
import type { ProbeAttempt, ProbeReport, ResolvedTarget } from '../core/probe/probe-report.js';
import { triesNext } from '../core/probe/probe-report.js';
import type { ProbeRequest } from '../core/probe/probe-request.js';
import type { ProbeTarget } from '../core/probe/probe-target.js';
import { fail, ok, type Result } from '../core/result.js';
import type { DnsLookup } from './dns-lookup.js';
import { PROBE_USER_AGENT, type ProbeConfig } from './probe-config.js';
import { registerProbe, type ProbeCredentials } from './register-probe.js';
import { resolveTarget } from './resolve-target.js';
import type { SipChannel } from './sip-channel.js';
import { openStreamChannel } from './stream-channel.js';
import { runTransaction } from './transaction.js';
import { openUdpChannel } from './udp-channel.js';

export interface ProbeDeps {
  readonly config: ProbeConfig;
  readonly dns: DnsLookup;
  /** REGISTER credentials from configuration, by target host; never from chat. */
  readonly credentials?: (host: string) => ProbeCredentials | undefined;
}

/**
 * One probe, start to end: the policy checks the target before any packet (and each address DNS gives
 * before it is contacted), RFC 3263 resolution, then one transaction per target until one answers with
 * something other than 503, a timeout or a transport failure (RFC 3263 §4.3). Bad input and refused
 * targets come back as a Problem; everything the network does is in the report.
 */
export async function runProbe(deps: ProbeDeps, request: ProbeRequest): Promise<Result<ProbeReport>> {
  const { config } = deps;
  const allowed = checkTargetHost(request.target.host, config.policy);
  if (!allowed.ok) return allowed;
  const resolution = await resolveTarget(deps.dns, request.target, request.transport, config.maxTargets);
  const uri = requestUri(request.target);
  const attempts: ProbeAttempt[] = [];
  for (const target of resolution.targets) {
    const check = checkAddress(target.address, config.policy, request.target.hostKind === 'name' ? request.target.host : undefined);
    if (!check.ok) {
      attempts.push({ target, sends: [], outcome: { kind: 'refused', problem: check.problem } });
      continue;
    }
    const attempt = await probeOne(deps, request, uri, target);
    attempts.push(attempt);
    if (!triesNext(attempt.outcome)) break;
  }
  const refused = attempts.filter((a) => a.outcome.kind === 'refused');
  // Nothing was sent because the policy refused every address: that is an answer to the person, not a probe result.
  if (attempts.length > 0 && refused.length === attempts.length) {
    const first = refused[0]?.outcome;
    return first?.kind === 'refused' ? fail(first.problem.code, first.problem.message) : fail('probe-not-allowed', 'No address of that target may be probed from here.');
  }
  return ok({ request, uri, resolution, attempts, ...(config.localAddress === undefined ? {} : { localAddress: config.localAddress }) });
}

async function probeOne(deps: ProbeDeps, request: ProbeRequest, uri: string, target: ResolvedTarget): Promise<ProbeAttempt> {
  const { config } = deps;
  const local = { ...(config.localAddress === undefined ? {} : { address: config.localAddress }), port: config.localPort };
  let channel: SipChannel;
  let tls: ProbeAttempt['tls'];
  try {
    if (target.transport === 'udp') {
      channel = await openUdpChannel(target, local);
    } else {
      const serverName = request.target.hostKind === 'name' ? request.target.host : target.address;
      const opened = await openStreamChannel(target, {
        transport: target.transport,
        local,
        connectTimeoutMs: request.timeoutMs,
        maxAnswerBytes: config.maxAnswerBytes,
        serverName,
        ...(config.tlsCa === undefined ? {} : { ca: config.tlsCa }),
      });
      if (!opened.ok) return { target, sends: [], outcome: { kind: 'transport-error', code: opened.code, message: opened.message }, ...(opened.tls === undefined ? {} : { tls: opened.tls }) };
      channel = opened.channel;
      tls = opened.tls;
    }
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'ESOCKET';
    return { target, sends: [], outcome: { kind: 'transport-error', code, message: `could not open a ${target.transport.toUpperCase()} socket (${code})` } };
  }
  try {
    const parts = {
      method: request.method,
      uri,
      transport: target.transport,
      local: channel.local,
      branch: randomBytes(8).toString('hex'),
      callId: `${randomBytes(12).toString('hex')}@siptriage`,
      fromTag: randomBytes(6).toString('hex'),
      cseq: 1,
      userAgent: PROBE_USER_AGENT,
    };
    if (request.method === 'REGISTER') {
      const r = await registerProbe(channel, parts, request, deps.credentials?.(request.target.host));
      return { target, sends: r.sends, outcome: r.outcome, register: r.register, ...(tls === undefined ? {} : { tls }) };
    }
    const r = await runTransaction(channel, parts, request.timeoutMs);
    return { target, sends: r.sends, outcome: r.outcome, ...(tls === undefined ? {} : { tls }) };
  } finally {
    // Give an ACK, CANCEL or unregister just queued the moment to leave before the socket goes.
    const c = channel;
    setTimeout(() => c.close(), 100).unref();
  }
}

/** The Request-URI: the target as given, without any password and without transport parameters. */
export function requestUri(t: ProbeTarget): string {
  const host = t.hostKind === 'ipv6' ? `[${t.host}]` : t.host;
  return `${t.scheme}:${t.user === '' ? '' : `${t.user}@`}${host}${t.port === undefined ? '' : `:${t.port}`}`;
}
