import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.js';
import { createMetrics } from '../../src/app/metrics.js';
import { MemoryAlertSettings } from '../../src/alerts/alert-settings.js';
import { StateAlerts } from '../../src/alerts/state-alerts.js';
import type { ChannelRef } from '../../src/core/chat-port.js';
import { encodeHep3 } from '../../src/core/hep/encode-hep.js';
import { registerOutcomes } from '../../src/core/probe/register-outcomes.js';
import { readTrace } from '../../src/core/trace/read-trace.js';
import { HepCollector } from '../../src/ingest/hep-collector.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { RegistrationWatch } from '../../src/probes/registration-watch.js';
import { RecordingPoster } from '../alerts/recording-poster.js';
import { counterValue } from '../ingest/metrics-reader.js';

const kb = loadKnowledge();
const log = createLogger({ level: 'silent', pretty: false });
const REGISTRAR = { host: '198.51.100.5', port: 5060 };
const OPS: ChannelRef = { platform: 'slack', workspace: 'T1', channel: 'C-ops' };

/** A REGISTER for `user` and its final answer, as a capture agent mirrors them over HEP. */
function registration(user: string, o: { expires: number; status?: number; cseq?: number; star?: boolean }): Uint8Array[] {
  const phone = { host: '192.0.2.10', port: 5060 + (user.length % 7) };
  const callId = `reg-${user}@192.0.2.10`;
  const cseq = o.cseq ?? 1;
  const contact = o.star === true ? '*' : `<sip:${user}@${phone.host}:${phone.port}>;expires=${o.expires}`;
  const common = [`Via: SIP/2.0/UDP ${phone.host}:${phone.port};branch=z9hG4bK-${user}-${cseq}`, `From: <sip:${user}@voip.example.com>;tag=f${user}`, `Call-ID: ${callId}`, `CSeq: ${cseq} REGISTER`];
  const req = ['REGISTER sip:voip.example.com SIP/2.0', ...common, `To: <sip:${user}@voip.example.com>`, `Contact: ${contact}`, `Expires: ${o.expires}`, 'Content-Length: 0', '', ''].join('\r\n');
  const status = o.status ?? 200;
  const granted = status === 200 && o.expires > 0 ? [`Contact: <sip:${user}@${phone.host}:${phone.port}>;expires=${o.expires}`] : [];
  const res = [`SIP/2.0 ${status} ${status === 200 ? 'OK' : 'Forbidden'}`, ...common, `To: <sip:${user}@voip.example.com>;tag=r${cseq}`, ...granted, 'Content-Length: 0', '', ''].join('\r\n');
  return [encodeHep3({ src: phone, dst: REGISTRAR, payload: req }), encodeHep3({ src: REGISTRAR, dst: phone, payload: res })];
}

describe('REGISTER outcomes', () => {
  it('reads a refused REGISTER from a real SIPp trace as failed at its registrar, for the AOR\'s domain', () => {
    const trace = readTrace(readFileSync(join(import.meta.dirname, '../fixtures/traces/raw/07-register-423.sip'), 'utf8'));
    expect(registerOutcomes(trace.messages)).toEqual([
      { outcome: 'failed', code: 423, registrar: 'example.com', aor: 'bob@example.com', domain: 'example.com', contacts: ['sip:bob@127.0.0.1:5207'], expiresSec: 0, time: undefined },
    ]);
  });

  it('reads REGISTERs answered only with challenges (401, then 401 to a wrong password, from a real SIPp trace) as no outcome', () => {
    const trace = readTrace(readFileSync(join(import.meta.dirname, '../fixtures/traces/raw/06-register-401-rejected.sip'), 'utf8'));
    const outcomes = registerOutcomes(trace.messages);
    // 401 to the first, 401 to the one with the wrong password: a challenge each, and no binding made.
    expect(outcomes).toEqual([]);
  });
});

describe('registrations from live HEP', () => {
  it('counts outcomes per registrar and domain, keeps bindings, and alerts once on a mass de-registration, edited, then resolved with a reply', async () => {
    let now = Date.UTC(2026, 11, 6, 1, 0);
    const metrics = createMetrics({ topPeers: 5, processMetrics: false });
    const settings = new MemoryAlertSettings();
    await settings.updateChannelSettings(OPS, { alerts: true });
    const alerts = new StateAlerts({ config: { timeZone: 'UTC' }, settings, log, metrics, pacerIntervalMs: 10 });
    const poster = new RecordingPoster('slack');
    alerts.attachPoster(poster);
    const watch = new RegistrationWatch({ config: { dropShare: 0.3, dropWindowMs: 5 * 60_000 }, alerts, log, metrics, now: () => now });
    const feed = (packets: Uint8Array[]): void => {
      const c = new HepCollector({ kb, metrics, log, maxOpenCalls: 1000, queuePackets: 10_000, onEvents: () => undefined, onRegister: (m) => watch.observe(m), now: () => now });
      for (const p of packets) c.process(p);
      c.stop();
    };
    const users = Array.from({ length: 20 }, (_, i) => `phone${100 + i}`);

    feed(users.flatMap((u) => registration(u, { expires: 3600 })));
    await watch.evaluate();
    expect(watch.active(now)).toBe(20);
    expect(await counterValue(metrics, 'siptriage_register_total', { outcome: 'registered' })).toBe(20);
    expect(await metrics.text()).toContain('siptriage_register_bindings 20');
    // Refreshes are not new bindings.
    now += 60_000;
    feed(users.slice(0, 5).flatMap((u) => registration(u, { expires: 3600, cseq: 2 })));
    await watch.evaluate();
    expect(watch.active(now)).toBe(20);
    expect(poster.calls).toEqual([]);

    // Eight phones unregister (Expires 0), one with Contact: *; three more are refused: 40 % of the bindings gone.
    now += 60_000;
    feed([...users.slice(0, 7).flatMap((u) => registration(u, { expires: 0, cseq: 3 })), ...registration(users[7] ?? '', { expires: 0, cseq: 3, star: true }), ...users.slice(17).flatMap((u) => registration(u, { expires: 3600, cseq: 4, status: 403 }))]);
    await watch.evaluate();
    await alerts.settled();
    expect(watch.active(now)).toBe(12);
    expect(poster.calls.map((c) => c.op)).toEqual(['post']);
    expect(poster.calls[0]?.message.text).toBe('Mass de-registration: active registrations fell from 20 to 12 (−40 %) within 5 min, since 01:00 UTC.');
    expect(poster.calls[0]?.message.cards[0]?.sections[0]?.items).toEqual(['198.51.100.5: 11']);
    // Counted by registrar and domain (the first scrape above gave the busy ones their labels).
    feed(registration(users[19] ?? '', { expires: 3600, cseq: 5, status: 403 }));
    expect(await counterValue(metrics, 'siptriage_register_total', { outcome: 'failed', registrar: '198.51.100.5', domain: 'voip.example.com' })).toBe(4);
    expect(await counterValue(metrics, 'siptriage_register_total', { outcome: 'unregistered' })).toBe(8);

    // One more goes: the same message is edited, not a new one posted.
    now += 30_000;
    feed(registration(users[8] ?? '', { expires: 0, cseq: 3 }));
    await watch.evaluate();
    await alerts.settled();
    expect(poster.calls.map((c) => c.op)).toEqual(['post', 'update']);
    expect(poster.calls[1]?.id).toBe(poster.calls[0]?.id);
    expect(poster.calls[1]?.message.text).toContain('fell from 20 to 11');

    // They come back: one last edit and one reply under the alert.
    now += 60_000;
    feed(users.slice(0, 9).flatMap((u) => registration(u, { expires: 3600, cseq: 6 })));
    await watch.evaluate();
    await alerts.settled();
    expect(poster.calls.map((c) => c.op)).toEqual(['post', 'update', 'update', 'reply']);
    expect(poster.calls[3]?.id).toBe(poster.calls[0]?.id);
    expect(poster.calls[3]?.message.text).toBe('Resolved: mass de-registration; 20 of 20 registrations are back.');
    alerts.stop();
  });

  it('lets bindings lapse at their expiry, and says nothing when a handful of phones is all there is', async () => {
    let now = Date.UTC(2026, 11, 6, 1, 0);
    const settings = new MemoryAlertSettings();
    await settings.updateChannelSettings(OPS, { alerts: true });
    const alerts = new StateAlerts({ config: { timeZone: 'UTC' }, settings, log, pacerIntervalMs: 10 });
    const poster = new RecordingPoster('slack');
    alerts.attachPoster(poster);
    const watch = new RegistrationWatch({ config: { dropShare: 0.3, dropWindowMs: 5 * 60_000 }, alerts, log, now: () => now });
    const c = new HepCollector({ kb, metrics: createMetrics({ topPeers: 5, processMetrics: false }), log, maxOpenCalls: 100, queuePackets: 1000, onEvents: () => undefined, onRegister: (m) => watch.observe(m), now: () => now });
    for (const u of ['a1', 'a2', 'a3', 'a4']) for (const p of registration(u, { expires: u === 'a1' ? 60 : 3600 })) c.process(p);
    c.stop();
    await watch.evaluate();
    now += 61_000;
    await watch.evaluate();
    expect(watch.active(now)).toBe(3);
    await alerts.settled();
    expect(poster.calls).toEqual([]);
    alerts.stop();
  });
});
