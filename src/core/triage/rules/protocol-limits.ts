import { evidence, where, type Finding, type Rule } from '../finding.js';

const finalsWith = (ctx: Parameters<Rule['evaluate']>[0], status: number) =>
  ctx.call.entries.filter((e) => !e.retransmission && e.message.status === status);

/** 482/483, Max-Forwards near zero, or one host appearing twice in a Via stack (RFC 3261 §16.3, §16.6). */
export const loopOrHops: Rule = {
  id: 'loop-or-hops',
  evaluate(ctx) {
    const findings: Finding[] = [];
    for (const entry of ctx.call.entries) {
      if (entry.retransmission) continue;
      const m = entry.message;
      if (m.status === 482 || m.status === 483) {
        findings.push({
          id: this.id,
          severity: 'error',
          title: m.status === 482 ? '482 Loop Detected: the request came back to a proxy it had passed' : '483 Too Many Hops: Max-Forwards reached 0',
          detail: `${where(entry)}: a routing loop between proxies or SBCs (each forwards to the other), often a dial plan or DNS entry that points back. Compare the Via stack of the request with the route table.`,
          evidence: [evidence(ctx, entry)],
        });
      }
      if (m.isRequest) {
        const mf = m.maxForwards;
        if (mf !== undefined && mf <= 2 && m.method !== 'ACK' && m.method !== 'OPTIONS') {
          findings.push({
            id: this.id,
            severity: 'warning',
            title: `Max-Forwards is ${mf}: the request has crossed many hops or is looping`,
            detail: `${where(entry)} starts at 70 by default (RFC 3261 §8.1.1.6); ${mf} left means a long chain or a loop. The next hop will answer 483.`,
            evidence: [evidence(ctx, entry, 'Max-Forwards')],
          });
        }
        const sentBy = m.vias.map((v) => `${v.host}:${v.port ?? ''}`.toLowerCase());
        const repeated = sentBy.find((s, i) => sentBy.indexOf(s) !== i);
        if (repeated !== undefined) {
          findings.push({
            id: this.id,
            severity: 'warning',
            title: `Via stack passes ${repeated} twice: a loop`,
            detail: `${where(entry)} has ${m.vias.length} Via headers and ${repeated} appears more than once, so the request went through the same element twice (RFC 3261 §16.3 loop detection).`,
            evidence: [evidence(ctx, entry, 'Via')],
          });
        }
      }
    }
    return findings;
  },
};

/** Timer A/B/E/F (RFC 3261 §17.1): retransmissions without an answer, or a 408. */
export const transactionTimeout: Rule = {
  id: 'transaction-timeout',
  evaluate(ctx) {
    const findings: Finding[] = [];
    for (const t of ctx.call.transactions) {
      if (t.method === 'ACK') continue;
      const retransmits = t.requests.filter((r) => r.retransmission).length;
      const answered = t.responses.length > 0;
      const first = t.requests[0];
      if (first !== undefined && retransmits >= 2 && !answered) {
        const last = t.requests[t.requests.length - 1];
        const span = first.message.meta.time !== undefined && last?.message.meta.time !== undefined ? (last.message.meta.time - first.message.meta.time) / 1000 : undefined;
        findings.push({
          id: this.id,
          severity: 'error',
          title: `${t.method} sent ${retransmits + 1} times with no response`,
          detail: `${where(first)} was retransmitted ${retransmits} times${span === undefined ? '' : ` over ${span.toFixed(1)} s`} and nothing answered: the next hop is down, unreachable (firewall, wrong port or transport, DNS), or its answers are lost on the way back (NAT, asymmetric routing). After 32 s (Timer B/F) the client gives up with 408.`,
          evidence: [evidence(ctx, first)],
        });
      }
    }
    for (const entry of finalsWith(ctx, 408)) {
      findings.push({
        id: this.id,
        severity: 'error',
        title: '408 Request Timeout: no final answer in time',
        detail: `${where(entry)}: an element gave up waiting (a proxy's Timer C, or the transaction timer). Find which hop stopped answering: the last element that forwarded the request and got nothing back.`,
        evidence: [evidence(ctx, entry)],
      });
    }
    return findings;
  },
};

/** 422 with Min-SE (RFC 4028 §6): the session refresh interval offered is too short. */
export const sessionTimer: Rule = {
  id: 'session-timer',
  evaluate(ctx) {
    return finalsWith(ctx, 422).map((entry) => {
      const min = entry.message.minSE;
      const request = ctx.call.entries.find((e) => e.message.isRequest && e.message.cseq?.seq === entry.message.cseq?.seq && e.message.method === entry.message.cseq?.method);
      const offered = request?.message.sessionExpires?.seconds;
      return {
        id: this.id,
        severity: 'warning' as const,
        title: `422 Session Interval Too Small${min === undefined ? '' : `: Min-SE ${min}`}${offered === undefined ? '' : `, offered ${offered}`}`,
        detail: `${where(entry)}: the server wants session refreshes no more often than every ${min ?? '?'} s. The client should retry with Session-Expires of at least ${min ?? 'the Min-SE'} (RFC 4028 §6); most stacks do this automatically, so a call that stops here points at a UA without session-timer support.`,
        evidence: [evidence(ctx, entry, 'Min-SE'), ...(request === undefined ? [] : [evidence(ctx, request, 'Session-Expires')])],
      };
    });
  },
};

/** 423 with Min-Expires (RFC 3261 §10.3 step 7, §21.4.17). */
export const registrationInterval: Rule = {
  id: 'registration-interval',
  evaluate(ctx) {
    return finalsWith(ctx, 423).map((entry) => {
      const min = entry.message.minExpires;
      return {
        id: this.id,
        severity: 'warning' as const,
        title: `423 Interval Too Brief${min === undefined ? '' : `: registrar wants Expires ≥ ${min}`}`,
        detail: `${where(entry)}: the registration interval asked for is shorter than the registrar allows. Set the UA's registration expiry to at least ${min ?? 'Min-Expires'} s; a UA that retries with the same value will loop.`,
        evidence: [evidence(ctx, entry, 'Min-Expires')],
      };
    });
  },
};

/** 420 with Unsupported, 421 with Require (RFC 3261 §20.40, §20.32, §8.2.2.3). */
export const unsupportedExtension: Rule = {
  id: 'unsupported-extension',
  evaluate(ctx) {
    const findings: Finding[] = [];
    for (const entry of [...finalsWith(ctx, 420), ...finalsWith(ctx, 421)]) {
      const m = entry.message;
      const tags = m.status === 420 ? m.unsupported : m.require;
      findings.push({
        id: this.id,
        severity: 'error',
        title: m.status === 420 ? `420 Bad Extension: the far end does not support ${tags.join(', ') || 'a required option'}` : `421 Extension Required: ${tags.join(', ') || 'an extension'}`,
        detail:
          m.status === 420
            ? `${where(entry)}: the request listed ${tags.join(', ') || 'an option tag'} in Require or Proxy-Require and the far end lacks it. Move the tag to Supported (optional) or turn the feature off (100rel, timer and replaces are the usual ones).`
            : `${where(entry)}: the server insists on ${tags.join(', ')}; enable that extension on the client (e.g. 100rel for PRACK).`,
        evidence: [evidence(ctx, entry, m.status === 420 ? 'Unsupported' : 'Require')],
      });
    }
    return findings;
  },
};

/** 505, or a message whose version is not SIP/2.0 (RFC 3261 §7.1, §21.5.6). */
export const version: Rule = {
  id: 'version',
  evaluate(ctx) {
    const findings: Finding[] = [];
    for (const entry of ctx.call.entries) {
      if (entry.retransmission) continue;
      const m = entry.message;
      if (m.status === 505 || m.version.toUpperCase() !== 'SIP/2.0') {
        findings.push({
          id: this.id,
          severity: 'error',
          title: m.status === 505 ? '505 Version Not Supported' : `Message uses ${m.version}, not SIP/2.0`,
          detail: `${where(entry)}: SIP/2.0 is the only version in use (RFC 3261 §7.1, §21.5.6). A different version means a broken or non-SIP sender, or a message mangled on the way (an ALG or a bad proxy).`,
          evidence: [evidence(ctx, entry)],
        });
      }
    }
    return findings;
  },
};

// RFC 3261 §18.1.1: a request within 200 bytes of the path MTU (1500 assumed) must go over TCP or another
// congestion-controlled transport, so anything over 1300 bytes on UDP invites IP fragmentation.
const UDP_LIMIT = 1300;

export const tooLarge: Rule = {
  id: 'too-large',
  evaluate(ctx) {
    const findings: Finding[] = [];
    for (const entry of finalsWith(ctx, 513)) {
      findings.push({
        id: this.id,
        severity: 'error',
        title: '513 Message Too Large',
        detail: `${where(entry)}: the server refuses a message this big. Trim the SDP (fewer codecs, no video or ICE candidates the far end ignores) or headers, or send over TCP/TLS.`,
        evidence: [evidence(ctx, entry)],
      });
    }
    for (const entry of ctx.call.entries) {
      const m = entry.message;
      const transport = m.meta.transport ?? m.topVia?.transport;
      const size = Buffer.byteLength(m.raw, 'utf8');
      if (entry.retransmission || transport?.toUpperCase() !== 'UDP' || size <= UDP_LIMIT || !m.isRequest) continue;
      findings.push({
        id: this.id,
        severity: 'warning',
        title: `${m.label} of ${size} bytes sent over UDP`,
        detail: `${where(entry)} exceeds ${UDP_LIMIT} bytes, the UDP limit of RFC 3261 §18.1.1, so it is IP-fragmented and lost where fragments are dropped (firewalls, NAT, some carriers). Switch this hop to TCP or shrink the message.`,
        evidence: [evidence(ctx, entry)],
      });
    }
    return findings;
  },
};
