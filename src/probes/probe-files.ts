import { readFileSync } from 'node:fs';
import { fail, ok, type Result } from '../core/result.js';
import type { ProbeCredentials } from './register-probe.js';
import { checkTargetHost, type ProbePolicy } from '../core/probe/probe-policy.js';
import { parseWatchLine, type WatchLimits, type WatchSpec } from '../core/probe/watch-request.js';

/**
 * REGISTER probe credentials, from PROBE_CREDENTIALS (comma-separated `host=username:password`) and
 * PROBE_CREDENTIALS_FILE (one `host username password` a line; # comments; the password is the rest of the
 * line, so it may hold spaces and commas). Chat never supplies them. Errors name the line, never the password.
 */
export function parseCredentials(text: string, form: 'env' | 'file'): Result<Map<string, ProbeCredentials>> {
  const out = new Map<string, ProbeCredentials>();
  const entries = form === 'env' ? text.split(',') : text.split(/\r?\n/);
  for (const [i, raw] of entries.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = form === 'env' ? /^([^=\s]+)=([^:]+):(.+)$/.exec(line) : /^(\S+)\s+(\S+)\s+(.+)$/.exec(line);
    if (m === null) {
      return fail('probe-credentials-invalid', form === 'env' ? `entry ${i + 1} is not host=username:password` : `line ${i + 1} is not "host username password"`);
    }
    const [host = '', username = '', password = ''] = m.slice(1);
    const at = username.indexOf('@');
    out.set(host.toLowerCase(), at === -1 ? { username, password } : { username: username.slice(0, at), password, domain: username.slice(at + 1) });
  }
  return ok(out);
}

/** Reads the files the probe settings name (CA, credentials); a missing or bad file is one line. */
export function loadProbeFiles(s: { readonly tlsCaFile?: string; readonly credentials?: string; readonly credentialsFile?: string }): Result<{ tlsCa?: string; credentials: Map<string, ProbeCredentials> }> {
  let tlsCa: string | undefined;
  const credentials = new Map<string, ProbeCredentials>();
  try {
    if (s.tlsCaFile !== undefined) tlsCa = readFileSync(s.tlsCaFile, 'utf8');
  } catch (err) {
    return fail('probe-file', `PROBE_TLS_CA: cannot read ${s.tlsCaFile} (${(err as { code?: string }).code ?? 'error'})`);
  }
  if (s.credentials !== undefined) {
    const r = parseCredentials(s.credentials, 'env');
    if (!r.ok) return fail(r.problem.code, `PROBE_CREDENTIALS: ${r.problem.message}`);
    for (const [k, v] of r.value) credentials.set(k, v);
  }
  if (s.credentialsFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(s.credentialsFile, 'utf8');
    } catch (err) {
      return fail('probe-file', `PROBE_CREDENTIALS_FILE: cannot read ${s.credentialsFile} (${(err as { code?: string }).code ?? 'error'})`);
    }
    const r = parseCredentials(text, 'file');
    if (!r.ok) return fail(r.problem.code, `PROBE_CREDENTIALS_FILE: ${r.problem.message}`);
    for (const [k, v] of r.value) credentials.set(k, v);
  }
  return ok({ ...(tlsCa === undefined ? {} : { tlsCa }), credentials });
}

/**
 * PROBES (comma-separated) or PROBES_FILE (one a line, # comments): `<target> [interval] [--transport x]
 * [--method OPTIONS|REGISTER]`. A bad line is named by its number.
 */
export function parseWatchLines(text: string, form: 'env' | 'file', limits: WatchLimits): Result<WatchSpec[]> {
  const out: WatchSpec[] = [];
  for (const [i, raw] of (form === 'env' ? text.split(',') : text.split(/\r?\n/)).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const r = parseWatchLine(line, limits);
    if (!r.ok) return fail(r.problem.code, `${form === 'env' ? 'entry' : 'line'} ${i + 1}: ${r.problem.message}`);
    out.push(r.value);
  }
  return ok(out);
}

/** The configured watches, read and checked against the allow-list now: a target chat could not watch, PROBES cannot either. */
export function loadWatches(s: { readonly watches?: string; readonly watchesFile?: string }, policy: ProbePolicy, limits: WatchLimits): Result<WatchSpec[]> {
  const specs: WatchSpec[] = [];
  if (s.watches !== undefined) {
    const r = parseWatchLines(s.watches, 'env', limits);
    if (!r.ok) return fail(r.problem.code, `PROBES: ${r.problem.message}`);
    specs.push(...r.value);
  }
  if (s.watchesFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(s.watchesFile, 'utf8');
    } catch (err) {
      return fail('probe-file', `PROBES_FILE: cannot read ${s.watchesFile} (${(err as { code?: string }).code ?? 'error'})`);
    }
    const r = parseWatchLines(text, 'file', limits);
    if (!r.ok) return fail(r.problem.code, `PROBES_FILE: ${r.problem.message}`);
    specs.push(...r.value);
  }
  for (const spec of specs) {
    const allowed = checkTargetHost(spec.request.target.host, policy);
    if (!allowed.ok) return fail(allowed.problem.code, `PROBES: ${allowed.problem.message}`);
  }
  return ok(specs);
}
