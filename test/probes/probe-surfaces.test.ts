import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { probeService } from '../../src/app/start.js';
import { channelCommand, channelCommands } from '../../src/commands/channel-commands.js';
import { answerCards } from '../../src/adapters/slack/slack-messages.js';
import { embedLength } from '../../src/adapters/discord/render-embeds.js';
import { renderMessages } from '../../src/adapters/discord/render-messages.js';
import { codeAnswerFor } from '../../src/core/card/code-answer.js';
import { createEngine } from '../../src/core/engine.js';
import { parseQuery } from '../../src/core/query/parse-query.js';
import { defaultKnowledge } from '../../src/knowledge/load-knowledge.js';
import { run, stop, type Running } from '../ingest/sip-tools.js';
import { freePorts, missingProbeTools, PROBE_FIXTURES } from './probe-peers.js';
import { runCliInMemory } from '../cli/memory-io.js';

const missing = missingProbeTools(['sipp']);
const skip = missing.length > 0 && process.env.CI === undefined;
const log = createLogger({ level: 'silent', pretty: false });
const engine = createEngine(defaultKnowledge());

function commandsWith(env: Record<string, string>) {
  const loaded = loadConfig({ CONSOLE: 'off', ...env });
  if (!loaded.ok) throw new Error(loaded.error);
  return channelCommands({ surface: 'console', log, store: undefined, probes: probeService(loaded.config, engine, log) });
}

async function ask(commands: ReturnType<typeof commandsWith>, text: string) {
  const command = channelCommand(parseQuery(text));
  if (command === undefined) throw new Error(`${text} is not a channel command`);
  return commands.answer({ channel: { platform: 'slack', workspace: 'T1', channel: 'C1' } }, command);
}

const cli = (args: string[], env: Record<string, string>) => runCliInMemory(args, env);

describe('/sip probe: bad targets and refused ones get one sentence each, from chat and the command line', () => {
  const commands = commandsWith({});
  let junk: Server;
  let junkPort = 0;

  beforeAll(async () => {
    junk = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.end(Buffer.alloc(10 * 1024 * 1024, 0x7a));
    });
    await new Promise<void>((r) => junk.listen(0, '127.0.0.1', () => r()));
    junkPort = (junk.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => junk.close(() => r())));

  it.each([
    ['/sip probe sip:', '"sip:" names no host: give one, like sip:pbx.example.com or sip:203.0.113.7:5060.'],
    ['/sip probe sip:pbx.example.com;transport=carrier-pigeon', '"carrier-pigeon" is not a SIP transport: use udp, tcp or tls.'],
    [`/sip probe sip:${'h'.repeat(60)}.${'o'.repeat(60)}.${'s'.repeat(60)}.${'t'.repeat(60)}.${'x'.repeat(56)}`, 'That host name is 300 characters long; DNS names stop at 253 (RFC 1035).'],
    ['/sip probe 10.20.30.40:5060', '10.20.30.40 is a private address, and probes to non-public addresses are off here (PROBE_ALLOW_PRIVATE=false).'],
    ['/sip probe [::1]:5060', '::1 is a loopback address, and probes to non-public addresses are off here (PROBE_ALLOW_PRIVATE=false).'],
    ['/sip probe sip:169.254.169.254', '169.254.169.254 is a link-local address, and probes to non-public addresses are off here (PROBE_ALLOW_PRIVATE=false).'],
  ])('%s', async (text, sentence) => {
    const a = await ask(commands, text);
    expect(a.isError).toBe(true);
    expect(a.message.cards).toHaveLength(1);
    expect(a.message.cards[0]?.summary).toBe(sentence);
  });

  it('a narrowed PROBE_ALLOW keeps chat to the listed targets, whatever is typed', async () => {
    const narrow = commandsWith({ PROBE_ALLOW: '*.carrier.example,198.51.100.0/24' });
    const a = await ask(narrow, '/sip probe sip:203.0.113.9');
    expect(a.message.cards[0]?.summary).toBe("203.0.113.9 is not on this siptriage's probe allow-list (PROBE_ALLOW), so it will not be probed from here.");
  });

  it('a target answering 10 MB of junk: one sentence, the connection cut at the limit', async () => {
    const allowed = commandsWith({ PROBE_ALLOW_PRIVATE: 'true' });
    const a = await ask(allowed, `/sip probe sip:127.0.0.1:${junkPort};transport=tcp --timeout 3s`);
    const [card] = a.message.cards;
    expect(card?.title).toBe(`Probe sip:127.0.0.1:${junkPort};transport=tcp: answered with something that is not SIP`);
    expect(card?.sections.find((s) => s.title === 'Attempts')?.items).toEqual([
      expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${junkPort}/TCP: answered with something that is not SIP — the server answered with \\d+ KiB that are not SIP \\(starting "zzzzzzzz"\\)$`)),
    ]);
  });

  it('siptriage probe refuses a private address by default, exit 2 and the sentence on stderr', async () => {
    const r = await cli(['probe', '192.168.1.1'], {});
    expect(r.code).toBe(2);
    expect(r.err).toContain('192.168.1.1 is a private address');
    expect(r.out).toBe('');
  });

  it('a bad PROBE_ALLOW stops with one line naming the variable', async () => {
    const r = await cli(['probe', 'sip:pbx.example.com'], { PROBE_ALLOW: '10.0.0.0/40' });
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe('siptriage: Invalid PROBE_ALLOW: "10.0.0.0/40" is not a CIDR block like 203.0.113.0/24 or 2001:db8::/32 (got "10.0.0.0/40")');
  });
});

describe.skipIf(skip)(`/sip probe and siptriage probe against SIPp${skip ? ` [skipped: ${missing.join(', ')} missing]` : ''}`, () => {
  let dir = '';
  const started: Running[] = [];
  afterAll(async () => {
    for (const p of started) await stop(p);
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });
  const sipp = async (code: number): Promise<number> => {
    dir ||= mkdtempSync(join(tmpdir(), 'siptriage-probe-surf-'));
    const [port = 0] = await freePorts(1);
    started.push(run('sipp', ['-sf', join(PROBE_FIXTURES, `options-${code}.xml`), '-i', '127.0.0.1', '-p', String(port), '-m', '1', '-timeout', '30s', '-nostdin'], { cwd: dir }));
    await new Promise((r) => setTimeout(r, 400));
    return port;
  };

  it('in chat: the probe card, then the card of the code it ended with, within Slack and Discord limits', async () => {
    const port = await sipp(503);
    const a = await ask(commandsWith({ PROBE_ALLOW_PRIVATE: 'true' }), `/sip probe sip:127.0.0.1:${port}`);
    expect(a.isError).toBe(false);
    expect(a.message.cards.map((c) => c.title)).toEqual([`Probe sip:127.0.0.1:${port}: 503 Service Unavailable`, '503 Service Unavailable']);
    expect(a.message.cards[0]?.fields.find((f) => f.label === 'Retry-After')?.value).toBe('120 s (maintenance)');
    // The code's short answer, as /sip 503 gives it (Do now; the rest behind buttons), not the full card.
    expect(a.message.cards[1]).toEqual(codeAnswerFor(engine.kb, 503));
    expect(a.message.cards[1]?.sections.map((s) => s.title)).toEqual(['Do now']);
    const slack = answerCards(a.message.cards, a.message.text, {});
    expect(slack.blocks.length).toBeLessThanOrEqual(20);
    for (const b of slack.blocks) expect(JSON.stringify(b).length).toBeLessThan(3000 + 200);
    for (const m of renderMessages(a.message.cards)) {
      for (const e of m.embeds) {
        expect(embedLength(e)).toBeLessThanOrEqual(6000);
        expect(e.fields?.length ?? 0).toBeLessThanOrEqual(25);
        for (const f of e.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(1024);
      }
    }
  });

  it('siptriage probe --json: the report, exit 0 when the server is up', async () => {
    const port = await sipp(200);
    const r = await cli(['probe', `sip:127.0.0.1:${port}`, '--timeout', '5s', '--json'], { PROBE_ALLOW_PRIVATE: 'true' });
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as { ok: boolean; report: { attempts: { outcome: { kind: string; answer: { status: number; server: string } } }[] } };
    expect(out.ok).toBe(true);
    expect(out.report.attempts[0]?.outcome.answer).toMatchObject({ status: 200, server: 'SIPp/3.6.1 (siptriage probe UAS)' });
  });

  it('siptriage probe exits 1 when the server is down (503), printing the probe card first', async () => {
    const port = await sipp(503);
    const r = await cli(['probe', `sip:127.0.0.1:${port}`, '--timeout', '5s'], { PROBE_ALLOW_PRIVATE: 'true' });
    expect(r.code).toBe(1);
    expect(r.out.split('\n')[0]).toBe(`Probe sip:127.0.0.1:${port}: 503 Service Unavailable`);
  });
});
