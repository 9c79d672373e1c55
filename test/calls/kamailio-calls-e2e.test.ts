import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { startService } from '../../src/app/start.js';
import type { CliIo } from '../../src/cli/cli-io.js';
import { runCalls } from '../../src/cli/calls-command.js';
import { keptCalls } from '../../src/calls/kept-calls.js';
import { channelCommand, channelCommands } from '../../src/commands/channel-commands.js';
import type { OutgoingMessage } from '../../src/core/chat-port.js';
import { parseQuery } from '../../src/core/query/parse-query.js';
import { openStore } from '../../src/store/open-store.js';
import { sippThroughKamailio } from '../ingest/kamailio-sipp.js';
import { missingTools, stop, type Running } from '../ingest/sip-tools.js';
import { memoryIo } from '../cli/memory-io.js';

// Busy calls among answered, unavailable and unknown ones: the search must find exactly the busy ones.
const MIX = { 200: 3, 486: 4, 503: 3, 404: 2 } as const;
const CAPTURE_KEY = 'calls-e2e-key';

const missing = missingTools();
const skip = missing.length > 0 && process.env.CI === undefined;
const title = `Kept calls from Kamailio siptrace (HEPv3) of SIPp calls: found by code, opened by Call-ID, written as a pcap tshark reads${skip ? ` [skipped: ${missing.join(', ')} not available]` : ''}`;

function cli(db: string): { io: CliIo; out: () => string; err: () => string } {
  return memoryIo({ DATABASE_URL: `sqlite:${db}` });
}

/** SIP start lines tshark decodes from a capture (every given UDP port read as SIP), in capture order. */
function startLines(pcap: string, ports: readonly number[], filter?: string): string[] {
  const decode = ports.flatMap((p) => ['-d', `udp.port==${p},sip`]);
  const r = spawnSync('tshark', ['-r', pcap, '-n', ...decode, ...(filter === undefined ? [] : ['-Y', filter]), '-T', 'fields', '-e', 'sip.Request-Line', '-e', 'sip.Status-Line'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tshark -r ${pcap}: ${r.stderr}`);
  return r.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

describe.skipIf(skip)(title, () => {
  it('lists exactly SIPp\'s busy calls for 486, opens one with its INVITE and 486, and its pcap shows the same SIP as the wire', async () => {
    expect(missing).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'siptriage-calls-e2e-'));
    const db = join(dir, 'siptriage.db');
    const started: Running[] = [];
    const r = loadConfig({ PORT: '0', HOST: '127.0.0.1', CONSOLE: 'off', DATABASE_URL: `sqlite:${db}`, HEP_PORT: '0', HEP_HOST: '127.0.0.1', HEP_PASSWORD: CAPTURE_KEY, HEP_CALL_GRACE_SECONDS: '0.5', CALLS_SAMPLE_ANSWERED: '0', ALERT_MIN_COUNT: '2' });
    if (!r.ok) throw new Error(r.error);
    // The service starts with its clock one alert window back, then runs on real time: the alert baseline is
    // warm (a window has passed since start) when the calls come, as in a service that has been up a while.
    let skew = -(5 * 60_000 + 1000);
    const service = await startService(r.config, createLogger({ level: 'warn', pretty: false }), { input: new PassThrough(), output: new PassThrough(), isTTY: false }, { now: () => Date.now() + skew, pacerIntervalMs: 10 });
    skew = 0;
    try {
      const run = await sippThroughKamailio({ dir, hepPort: service.ports.hep as number, captureKey: CAPTURE_KEY, mix: MIX, started });
      // Spike alerts on that traffic, shown in the terminal: every alert carries Example calls.
      const alerts: OutgoingMessage[] = [];
      await service.alerts.command({ console: (m) => alerts.push(m) }, { action: 'subscribe' });
      await service.alerts.evaluate();
      await service.alerts.settled();
      const examples = alerts.flatMap((m) => m.cards).flatMap((c) => (c.actions ?? []).filter((a) => a.label === 'Example calls').map((a) => ({ title: c.title, query: a.query })));
      expect(alerts.length).toBeGreaterThan(0);
      expect(examples.length).toBe(alerts.flatMap((m) => m.cards).length);
      // Stopping flushes the keeper: every judged call is in the store before the CLI reads it.
      await service.stop();

      // The busy calls on the wire: the Call-IDs of the 486s the SIPp callee sent.
      const wire = spawnSync('tshark', ['-r', run.pcap, '-Y', `sip.Status-Code == 486 && udp.srcport == ${run.uas[486]}`, '-T', 'fields', '-e', 'sip.Call-ID'], { encoding: 'utf8' });
      const busy = [...new Set(wire.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== ''))].sort();
      expect(busy).toHaveLength(MIX[486]);

      // 1. siptriage calls 486 --json: exactly those calls.
      const list = cli(db);
      expect(await runCalls(['486', '--json'], list.io), list.err()).toBe(0);
      const listed = (JSON.parse(list.out()) as { calls: { callId: string; code: number; method: string; time: number }[] }).calls;
      expect(listed.map((c) => c.callId).sort()).toEqual(busy);
      expect(new Set(listed.map((c) => `${c.code} ${c.method}`))).toEqual(new Set(['486 INVITE']));
      // Newest first.
      expect(listed.map((c) => c.time)).toEqual([...listed.map((c) => c.time)].sort((a, b) => b - a));
      // The other failures are kept too, under their own codes; answered calls are not (sample 0).
      const all = cli(db);
      expect(await runCalls(['1h', '--json', '--limit', '100'], all.io)).toBe(0);
      const codes = (JSON.parse(all.out()) as { calls: { code: number }[] }).calls.map((c) => c.code);
      expect(codes.filter((c) => c === 503)).toHaveLength(MIX[503]);
      expect(codes.filter((c) => c === 404)).toHaveLength(MIX[404]);
      expect(codes).not.toContain(200);

      // 1b. Each alert's Example calls, asked as a chat button asks it, lists kept calls that exist: failures
      // SIPp's callees sent (on the wire), with the alert's code, each of which opens.
      const failedOnWire = spawnSync('tshark', ['-r', run.pcap, '-Y', `sip.Status-Code >= 400 && sip.CSeq.method == "INVITE"`, '-T', 'fields', '-e', 'sip.Call-ID'], { encoding: 'utf8' }).stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
      const store = await openStore({ kind: 'sqlite', path: db });
      try {
        const calls = store.calls === undefined ? undefined : keptCalls(store.calls, 7);
        const commands = channelCommands({ surface: 'console', log: createLogger({ level: 'silent', pretty: false }), store, calls });
        for (const e of examples) {
          const command = channelCommand(parseQuery(e.query));
          expect(command?.kind, e.query).toBe('calls');
          const answer = await commands.answer({ console: () => undefined }, command!);
          const card = answer.message.cards[0];
          expect(card?.title, `${e.title}: ${e.query}`).toMatch(/^Example calls: /);
          const opens = (card?.actions ?? []).filter((a) => a.query.startsWith('calls open '));
          expect(opens.length).toBeGreaterThan(0);
          expect(opens.length).toBeLessThanOrEqual(3);
          const code = /^calls examples (\d{3})\b/.exec(e.query)?.[1];
          for (const o of opens) {
            const id = o.query.slice('calls open '.length);
            expect(failedOnWire).toContain(id);
            const opened = await commands.answer({ console: () => undefined }, channelCommand(parseQuery(o.query))!);
            expect(opened.trace?.callIds).toContain(id);
            if (code !== undefined) expect(opened.trace?.text).toContain(`SIP/2.0 ${code} `);
          }
        }
      } finally {
        await store.close();
      }

      // 2. One busy call opened by Call-ID holds its INVITE and its 486, with HEP's addresses.
      const id = busy[0] ?? '';
      const pcap = join(dir, 'busy.pcap');
      const open = cli(db);
      expect(await runCalls(['--call-id', id, '--json', '--pcap', pcap], open.io), open.err()).toBe(0);
      const [call, ...others] = (JSON.parse(open.out()) as { calls: { callId: string; messages: { raw: string; src: string; dst: string }[] }[] }).calls;
      expect(others).toEqual([]);
      expect(call?.callId).toBe(id);
      const kept = call?.messages.map((m) => m.raw.split(/\r?\n/)[0] ?? '') ?? [];
      expect(kept.some((l) => l.startsWith('INVITE sip:'))).toBe(true);
      expect(kept).toContain('SIP/2.0 486 Busy Here');
      expect(call?.messages.every((m) => /^127\.0\.0\.1:\d+$/.test(m.src) && /^127\.0\.0\.1:\d+$/.test(m.dst))).toBe(true);

      // 3. Its pcap, read back by tshark, shows the kept messages in order, and the same SIP messages that
      // tshark captured on the wire for that Call-ID (Kamailio mirrors each message it receives and sends).
      const keptPorts = [...new Set((call?.messages ?? []).flatMap((m) => [m.src, m.dst].map((a) => Number(a.split(':').pop()))))];
      expect(startLines(pcap, keptPorts)).toEqual(kept);
      const onWire = startLines(run.pcap, keptPorts, `sip.Call-ID == "${id}"`);
      expect([...startLines(pcap, keptPorts)].sort()).toEqual([...onWire].sort());
    } finally {
      for (const p of started) await stop(p);
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
