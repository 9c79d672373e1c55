import { describe, expect, it } from 'vitest';
import { MemoryAlertSettings } from '../../src/alerts/alert-settings.js';
import { AlertService } from '../../src/alerts/alert-service.js';
import { createLogger } from '../../src/app/logger.js';
import { createMetrics } from '../../src/app/metrics.js';
import { channelCommand, channelCommands, changesSettings, type ChannelCommand } from '../../src/commands/channel-commands.js';
import { parseQuery } from '../../src/core/query/parse-query.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { counterValue } from '../ingest/metrics-reader.js';

const log = createLogger({ level: 'silent', pretty: false });
const channel = { channel: { platform: 'slack' as const, workspace: 'T1', channel: 'C1' } };
const command = (text: string): ChannelCommand => {
  const c = channelCommand(parseQuery(text));
  if (c === undefined) throw new Error(`${text} is not a channel command`);
  return c;
};

describe('which queries are channel commands', () => {
  it('takes alerts, stats, digest and auto, and leaves the rest to the engine', () => {
    expect(['/sip alerts', 'stats 7d', 'digest now', 'auto off'].map((t) => channelCommand(parseQuery(t))?.kind)).toEqual(['alerts', 'stats', 'digest', 'auto']);
    expect(['503', 'busy', 'help', 'stats fortnight'].map((t) => channelCommand(parseQuery(t)))).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('knows which ones change the channel settings', () => {
    const changing = ['alerts subscribe', 'alerts quiet 22-07', 'digest unsubscribe', 'auto on'];
    const reading = ['alerts', 'stats', 'digest', 'digest now', 'auto', 'auto maybe'];
    expect(changing.map((t) => changesSettings(command(t)))).toEqual([true, true, true, true]);
    expect(reading.map((t) => changesSettings(command(t)))).toEqual([false, false, false, false, false, false]);
  });
});

describe('the channel commands module', () => {
  it('answers what it cannot read with the usage of that command, privately', async () => {
    const commands = channelCommands({ surface: 'slack', log, store: undefined });
    for (const [text, usage] of [
      ['digest weekly', '/sip digest subscribe'],
      ['auto maybe', '/sip auto off'],
      ['alerts loudly', '/sip alerts subscribe'],
    ] as const) {
      const a = await commands.answer(channel, command(text));
      expect(a.isError).toBe(true);
      expect(a.message.cards[0]?.kind).toBe('usage');
      expect(a.message.cards[0]?.sections[0]?.items.join('\n')).toContain(usage);
    }
  });

  it('says so when spike alerts are not running, instead of failing', async () => {
    const a = await channelCommands({ surface: 'discord', log, store: undefined }).answer(channel, command('alerts subscribe'));
    expect(a).toMatchObject({ isError: true, message: { cards: [{ title: 'Spike alerts are not running here' }] } });
    expect(a.changed).toBeUndefined();
  });

  it('subscribes a channel to alerts through the alert service, says what changed, and counts the command', async () => {
    const alerts = new AlertService({ config: { windowMs: 300_000, minCount: 5, ratio: 3, timeZone: 'UTC' }, kb: loadKnowledge(), log, settings: new MemoryAlertSettings(), persistent: false });
    const metrics = createMetrics({ topPeers: 5, processMetrics: false });
    const commands = channelCommands({ surface: 'slack', log, store: undefined, alerts, metrics });
    const a = await commands.answer(channel, command('alerts subscribe'));
    expect(a).toMatchObject({ isError: false, changed: 'subscribed this channel to spike alerts', message: { cards: [{ title: 'Spike alerts will be posted here' }] } });
    const status = await commands.answer(channel, command('alerts'));
    expect(status.message.cards[0]?.fields).toContainEqual({ label: 'Alerts here', value: 'on', inline: true });
    expect(status.changed).toBeUndefined();
    expect(await counterValue(metrics, 'siptriage_chat_commands_total', { surface: 'slack', kind: 'alerts' })).toBe(2);
  });

  it('turns a rejection from the alert service (its store) into a fault card naming the code', async () => {
    const failing = { command: () => Promise.reject(Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' })) };
    const a = await channelCommands({ surface: 'slack', log, store: undefined, alerts: failing }).answer(channel, command('alerts unsubscribe'));
    expect(a.isError).toBe(true);
    expect(a.message.text).toBe("siptriage could not answer that: The setting was not saved: its database did not answer (SQLITE_BUSY). Try again in a moment; the details are in siptriage's log.");
  });
});
