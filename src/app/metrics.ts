import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { TopPeers } from './top-peers.js';
import { CHAT_COMMAND_KINDS, CHAT_SURFACES, DROP_REASONS, HEP_TCP_CLOSE_REASONS, REGISTER_OUTCOMES, type DropReason, type Metrics } from '../ports/metrics.js';

export interface PrometheusMetrics extends Metrics {
  readonly registry: Registry;
  readonly contentType: string;
  text(): Promise<string>;
}

// RFC 3261 §27.4 plus the registered extension methods; anything else is "other" to bound the label.
const METHODS = new Set(['INVITE', 'ACK', 'BYE', 'CANCEL', 'REGISTER', 'OPTIONS', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'INFO', 'REFER', 'MESSAGE', 'UPDATE']);

export function createMetrics(options: { readonly topPeers: number; readonly processMetrics?: boolean } = { topPeers: 20 }): PrometheusMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'siptriage_' });
  const peers = new TopPeers(options.topPeers);
  const registrars = new TopPeers(options.topPeers);
  const domains = new TopPeers(options.topPeers);
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> =>
    new Counter({ name, help, labelNames, registers: [registry] });

  const responses = counter('siptriage_sip_responses_total', 'SIP responses seen in live traffic (retransmissions once), by class, code and CSeq method', ['class', 'code', 'method']);
  const responsesByPeer = counter('siptriage_sip_responses_by_peer_total', 'SIP responses by the peer that sent them (busiest peers by name, the rest as "other") and class', ['peer', 'class']);
  const calls = counter('siptriage_calls_total', 'Calls recorded with the triage counting rules (one per call): kind failure, cancelled or answered', ['kind', 'class', 'code', 'method']);
  const callsByPeer = counter('siptriage_calls_by_peer_total', 'Recorded calls by the peer that answered or refused them', ['peer', 'kind']);
  const bare = counter('siptriage_calls_without_findings_total', 'Calls recorded with counts only (no findings) because live ingest was shedding load', []);
  const hepReceived = counter('siptriage_hep_packets_received_total', 'HEP packets received', ['transport']);
  const tcpClosed = counter('siptriage_hep_tcp_closed_total', 'HEP TCP connections siptriage closed, by reason (idle, incomplete-frame, evicted at the connection limit, garbage)', ['reason']);
  const dropped = counter('siptriage_ingest_dropped_total', 'HEP packets and ingest items dropped, by reason', ['reason']);
  const chat = counter('siptriage_chat_commands_total', 'Chat commands served, by surface and kind', ['surface', 'kind']);
  const digests = counter('siptriage_digest_runs_total', 'Digest runs, by result', ['result']);
  const alerts = counter('siptriage_alert_messages_total', 'Spike alert messages, by action', ['action']);
  // Series that exist from the start at 0 (Prometheus's advice for labelled counters), so rate() and the
  // dashboard's panels have data before the first digest, alert or drop.
  for (const r of ['posted', 'skipped', 'failed']) digests.labels(r).inc(0);
  for (const a of ['posted', 'updated', 'resolved', 'suppressed', 'failed']) alerts.labels(a).inc(0);
  for (const r of DROP_REASONS) dropped.labels(r).inc(0);
  // Scheduled probes (src/probes/): one series per watched target, which the configuration and chat bound.
  const probeUp = new Gauge({ name: 'siptriage_probe_up', help: 'Whether a watched SIP target answered its last probe (1) or not (0)', labelNames: ['target'], registers: [registry] });
  const probeCode = new Gauge({ name: 'siptriage_probe_last_code', help: 'The SIP code of a watched target\'s last probe (408: no answer, 503: transport failed)', labelNames: ['target'], registers: [registry] });
  // From loopback to an intercontinental trunk: 1 ms to Timer F's 32 s.
  const probeRtt = new Histogram({ name: 'siptriage_probe_rtt_seconds', help: 'Round-trip time of answered probes of watched targets', labelNames: ['target'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 32], registers: [registry] });
  const registers = counter('siptriage_register_total', 'REGISTER transactions in live traffic, by outcome, the registrar that answered and the AOR domain (busiest by name, the rest "other")', ['outcome', 'registrar', 'domain']);
  for (const o of REGISTER_OUTCOMES) registers.labels(o, 'other', 'other').inc(0);
  for (const r of HEP_TCP_CLOSE_REASONS) tcpClosed.labels(r).inc(0);
  for (const s of CHAT_SURFACES) for (const k of CHAT_COMMAND_KINDS) chat.labels(s, k).inc(0);
  // Hot path: a labelled child per (code, method) and (peer, class), made once.
  const responseChildren = new Map<string, Counter.Internal>();
  const peerChildren = new Map<string, Counter.Internal>();
  const dropChildren = new Map<DropReason, Counter.Internal>();
  const udp = hepReceived.labels('udp');
  const tcp = hepReceived.labels('tcp');

  // Promote busy peers just before each scrape, so the labels follow the traffic.
  new Gauge({ name: 'siptriage_peer_labels', help: 'Peers with a label of their own in the by-peer series', registers: [registry], collect() { peers.refresh(); registrars.refresh(); domains.refresh(); this.set(peers.labelled.size); } });

  return {
    registry,
    contentType: registry.contentType,
    text: () => registry.metrics(),
    sipResponse(code, method, peer) {
      const m = METHODS.has(method) ? method : 'other';
      const key = `${code} ${m}`;
      let child = responseChildren.get(key);
      if (child === undefined) responseChildren.set(key, (child = responses.labels(classOf(code), String(code), m)));
      child.inc();
      const label = peers.label(peer);
      const peerKey = `${label} ${Math.floor(code / 100)}`;
      let pc = peerChildren.get(peerKey);
      if (pc === undefined) peerChildren.set(peerKey, (pc = responsesByPeer.labels(label, classOf(code))));
      pc.inc();
    },
    call(e) {
      calls.labels(e.kind, classOf(e.code), String(e.code), METHODS.has(e.method) ? e.method : 'other').inc();
      callsByPeer.labels(peers.label(e.peer), e.kind).inc();
    },
    callsWithoutFindings: (n) => bare.inc(n),
    hepReceived: (transport) => (transport === 'udp' ? udp : tcp).inc(),
    hepTcpClosed: (reason) => tcpClosed.labels(reason).inc(),
    dropped(reason, n = 1) {
      let child = dropChildren.get(reason);
      if (child === undefined) dropChildren.set(reason, (child = dropped.labels(reason)));
      child.inc(n);
    },
    chatCommand: (surface, kind) => chat.labels(surface, kind).inc(),
    digestRun: (result) => digests.labels(result).inc(),
    alertPosted: (action) => alerts.labels(action).inc(),
    probeResult(target, up, code, rtt) {
      probeUp.labels(target).set(up ? 1 : 0);
      probeCode.labels(target).set(code ?? 0);
      if (rtt !== null) probeRtt.labels(target).observe(rtt);
    },
    probeForget(target) {
      for (const m of [probeUp, probeCode, probeRtt]) m.remove(target);
    },
    registration(outcome, registrar, domain) {
      registers.labels(outcome, registrars.label(registrar), domains.label(domain)).inc();
    },
    gauge(name, help, read) {
      if (registry.getSingleMetric(name) !== undefined) registry.removeSingleMetric(name);
      new Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
    },
  };
}

function classOf(code: number): string {
  return `${Math.floor(code / 100)}xx`;
}
