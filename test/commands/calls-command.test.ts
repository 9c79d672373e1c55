import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.js';
import { createMetrics } from '../../src/app/metrics.js';
import { DEFAULT_CALLS_CONFIG } from '../../src/calls/calls-config.js';
import { CallKeeper, keepReport } from '../../src/calls/call-keeper.js';
import { examplesQuery } from '../../src/calls/examples-query.js';
import { keptCalls } from '../../src/calls/kept-calls.js';
import { keptCallOf } from '../../src/calls/kept-call-of.js';
import { channelCommand, channelCommands, type ChannelCommand } from '../../src/commands/channel-commands.js';
import type { Card } from '../../src/core/card/card.js';
import { createEngine } from '../../src/core/engine.js';
import { parseQuery } from '../../src/core/query/parse-query.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const log = createLogger({ level: 'silent', pretty: false });
const channel = { channel: { platform: 'slack' as const, workspace: 'T1', channel: 'C1' } };
const engine = createEngine(loadKnowledge(), { maxTraceBytes: 1 << 22, maxCaptureBytes: 1 << 24, redact: { numbers: false, addresses: false } });
const command = (text: string): ChannelCommand => {
  const c = channelCommand(parseQuery(text));
  if (c === undefined) throw new Error(`${text} is not a channel command`);
  return c;
};
const dir = mkdtempSync(join(tmpdir(), 'siptriage-calls-cmd-'));
let store: SqliteStore;
// Seven busy calls a minute apart (the real SIPp 486 capture, its Call-ID varied), a 503 and the B2BUA call.
const busyIds: string[] = [];
let NOW = 0;

beforeAll(async () => {
  store = SqliteStore.open(join(dir, 'store.db'));
  const busy = engine.triageBytes(readFileSync(join(import.meta.dirname, '../fixtures/captures/02-busy-486.pcap')), 'busy.pcap').report;
  const base = Math.max(...busy.entries.flatMap((e) => e.message.meta.time ?? []));
  NOW = base + 10 * 60_000;
  const keeper = new CallKeeper({ store: store.calls, config: { ...DEFAULT_CALLS_CONFIG, sampleAnswered: 0 }, metrics: createMetrics({ topPeers: 5, processMetrics: false }), log, now: () => NOW });
  const call = busy.calls.find((c) => c.call.failure?.message.status === 486)!;
  const event = { kind: 'failure' as const, code: 486, method: 'INVITE', peer: '127.0.0.1', findings: [], time: base };
  const kept = keptCallOf(call.call.callId, call.call.entries.map((e) => e.message), event as never, 'hep', DEFAULT_CALLS_CONFIG);
  const inputs = Array.from({ length: 7 }, (_, i) => {
    const id = `busy-${i}@uac.example.com`;
    busyIds.push(id);
    const shift = (t: number): number => t + i * 60_000;
    return { ...kept, callId: id, time: shift(kept.time), legKeys: [id], messages: kept.messages.map((m) => ({ ...m, time: shift(m.time), raw: m.raw.replace(call.call.callId, id) })) };
  });
  await store.calls.keepCalls(inputs, { maxBytesPerDay: 1 << 30 });
  keepReport(keeper, engine.triageBytes(readFileSync(join(import.meta.dirname, '../fixtures/captures/03-unavailable-503.pcap')), 'x.pcap').report, NOW, 'hep');
  await keeper.flush();
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('/sip calls through the shared channel commands', () => {
  it('reads calls queries with their Call-ID case kept, paging and examples', () => {
    expect(command('calls 486 1h')).toMatchObject({ kind: 'calls', command: { action: 'list', query: { code: 486, periodMs: 3_600_000 } } });
    expect(command('/sip calls open AbC-1@Host')).toEqual({ kind: 'calls', command: { action: 'open', callId: 'AbC-1@Host' } });
    expect(command('calls 5xx before 1234')).toMatchObject({ command: { action: 'list', before: { time: 1234 }, query: { codeClass: 5 } } });
    expect(command('calls 5xx before 1234.77')).toMatchObject({ command: { action: 'list', before: { time: 1234, id: '77' }, query: { codeClass: 5 } } });
    expect(command('calls examples 503 1h before 99')).toMatchObject({ command: { action: 'list', examples: true, before: { time: 99 }, query: { code: 503 } } });
    for (const bad of ['before 12.', 'before .5', 'before 1.2.3', 'before 1.x', 'before 0', `before 1.${2n ** 63n}`]) expect(command(`calls 486 ${bad}`), bad).toMatchObject({ command: { action: 'invalid' } });
    expect(command('calls open')).toMatchObject({ command: { action: 'invalid' } });
    // A kept Call-ID runs to 255 characters and a More button adds a cursor: neither is cut at the 200 of other queries.
    const long = `${'a1B2'.repeat(60)}@sbc1.contoso-telecom.example.com`.slice(-255);
    expect(command(`calls open ${long}`)).toEqual({ kind: 'calls', command: { action: 'open', callId: long } });
    expect(command(`calls call-id ${long} 7d before 1795609600123.9007199254740993`)).toMatchObject({ command: { action: 'list', query: { callId: long }, before: { time: 1795609600123, id: '9007199254740993' } } });
    expect(command(`calls open ${'x'.repeat(1000)}`)).toMatchObject({ command: { action: 'invalid' } });
  });

  it('lists the latest busy calls newest first, five to a page, each with an Open button, and More pages back to the rest', async () => {
    const commands = channelCommands({ surface: 'slack', log, store, calls: keptCalls(store.calls, 7), now: () => NOW });
    const first = await commands.answer(channel, command('calls 486 1h'));
    expect(first.isError).toBe(false);
    const card = first.message.cards[0]!;
    const newest = [...busyIds].reverse();
    expect(card.sections[0]?.items.map((i) => /Call-ID (\S+)$/.exec(i)?.[1])).toEqual(newest.slice(0, 5));
    expect(card.sections[0]?.items[0]).toMatch(/^1\. \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC {2}486 INVITE {2}/);
    const actions = card.actions ?? [];
    expect(actions.slice(0, 5).map((a) => a.query)).toEqual(newest.slice(0, 5).map((id) => `calls open ${id}`));
    const more = actions.find((a) => a.label === 'More');
    expect(more?.query).toMatch(/^calls 486 1h before \d+\.\d+$/);
    const second = await commands.answer(channel, command(more!.query));
    expect(second.message.cards[0]?.sections[0]?.items.map((i) => /Call-ID (\S+)$/.exec(i)?.[1])).toEqual(newest.slice(5));
    expect(second.message.cards[0]?.actions?.some((a) => a.label === 'More')).toBe(false);
  });

  it('pages through thirteen calls kept in one millisecond (a HEP burst) without skipping or repeating one', async () => {
    const burstAt = NOW - 30 * 60_000;
    const [template] = await store.calls.openCalls(busyIds[0]!);
    const burst = Array.from({ length: 13 }, (_, i) => `burst-${i}@uac.example.com`);
    await store.calls.keepCalls(
      burst.map((callId) => ({ callId, time: burstAt, kind: 'failure' as const, code: 487, method: 'INVITE', peer: '127.0.0.1', findings: [], from: null, to: null, numbers: [], legKeys: [callId], surface: 'hep' as const, messages: template!.trace })),
      { maxBytesPerDay: 1 << 30 },
    );
    const commands = channelCommands({ surface: 'discord', log, store, calls: keptCalls(store.calls, 7), now: () => NOW });
    const seen: string[] = [];
    let query: string | undefined = 'calls 487 1h';
    while (query !== undefined) {
      const cards: readonly Card[] = (await commands.answer(channel, command(query))).message.cards;
      seen.push(...(cards[0]?.actions ?? []).filter((a) => a.query.startsWith('calls open ')).map((a) => a.query.slice('calls open '.length)));
      query = cards[0]?.actions?.find((a) => a.label === 'More')?.query;
      expect(seen.length).toBeLessThanOrEqual(13);
    }
    // Kept in one batch, so the store's ids follow the list: same millisecond, newest id first.
    expect(seen).toEqual([...burst].reverse());
  });

  it('opens a call as a trace the surface answers like a paste, and an alert\'s examples are the three latest calls behind it', async () => {
    const commands = channelCommands({ surface: 'discord', log, store, calls: keptCalls(store.calls, 7), now: () => NOW + 86_400_000 });
    const opened = await commands.answer(channel, command(`calls open ${busyIds[2]}`));
    expect(opened.trace?.callIds).toEqual([busyIds[2]]);
    const answer = engine.triage(opened.trace?.text ?? '');
    expect(answer.report.format).toBe('sngrep');
    expect(answer.report.calls.map((c) => `${c.call.callId} ${c.call.final?.message.status}`)).toEqual([`${busyIds[2]} 486`]);
    // The query an alert raised at NOW draws, opened a day later: still the calls behind it.
    const q = examplesQuery({ code: 486, peer: '127.0.0.1', since: NOW - 300_000, now: NOW });
    const examples = await commands.answer(channel, command(q));
    expect(examples.message.cards[0]?.title).toBe('Example calls: 486 127.0.0.1 1h');
    expect(examples.message.cards[0]?.actions?.map((a) => a.query)).toEqual([...busyIds].reverse().slice(0, 3).map((id) => `calls open ${id}`));
  });

  it('says so when calls are not kept, when nothing matches and when the Call-ID is unknown', async () => {
    const off = await channelCommands({ surface: 'console', log, store }).answer({ console: () => undefined }, command('calls 486'));
    expect(off).toMatchObject({ isError: true, message: { cards: [{ title: 'Kept calls are off here' }] } });
    const commands = channelCommands({ surface: 'slack', log, store, calls: keptCalls(store.calls, 7), now: () => NOW });
    expect((await commands.answer(channel, command('calls 404'))).message.cards[0]?.title).toBe('No kept calls match');
    expect(await commands.answer(channel, command('calls open nobody@nowhere'))).toMatchObject({ isError: true, message: { cards: [{ title: 'No such kept call' }] } });
    expect(await commands.answer(channel, command('calls ;drop'))).toMatchObject({ isError: true });
  });
});
