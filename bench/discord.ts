import { PassThrough } from 'node:stream';
import { Client, Events, GatewayIntentBits, MessageFlags } from 'discord.js';
import { pino } from 'pino';
import { loadConfig } from '../src/app/config.js';
import { startService } from '../src/app/start.js';
import { bigTrace } from '../test/adapters/discord/big-trace.js';
import { FakeDiscord, type RecordedRequest } from '../test/adapters/discord/fake-discord.js';
import { chatInput, FAKE } from '../test/adapters/discord/fake-payloads.js';
import { percentile, type BenchResult } from './stats.js';

const BASELINE_TOKEN = 'baseline-bot-token.XXXX.YYYY';
const RUNS = 1000;
const WARMUP = 100;
const BIG_RUNS = 20;

/**
 * Time from the gateway dispatching INTERACTION_CREATE to the interaction callback POST reaching Discord,
 * for `/sip 503` and for a 1 MiB trace (Discord turns a paste that long into a message.txt attachment, so it
 * comes as /sip-triage's file). Everything runs in this process on 127.0.0.1: the fake Discord, siptriage
 * started by startService, and the baseline, a bare discord.js client that answers every interaction with
 * a fixed reply, which measures what discord.js and loopback cost by themselves.
 */
export async function benchDiscord(): Promise<BenchResult[]> {
  const fake = await FakeDiscord.start({ tokens: [FAKE.token, BASELINE_TOKEN] });
  const loaded = loadConfig({ PORT: '0', HOST: '127.0.0.1', CONSOLE: 'off', LOG_LEVEL: 'silent', DATABASE_URL: ':memory:', DISCORD_TOKEN: FAKE.token, DISCORD_API_URL: fake.apiUrl });
  if (!loaded.ok) throw new Error(loaded.error);
  const service = await startService(loaded.config, pino({ level: 'silent' }), { input: new PassThrough(), output: new PassThrough(), isTTY: false });
  const baseline = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
  baseline.on(Events.InteractionCreate, (i) => {
    if (i.isChatInputCommand()) void i.reply({ content: 'pong', flags: MessageFlags.Ephemeral });
  });
  await baseline.login(BASELINE_TOKEN);
  if (!baseline.isReady()) await new Promise((resolve) => baseline.once(Events.ClientReady, resolve));

  try {
    const roundTrip = async (payload: any, token: string, until: (p: any) => (r: RecordedRequest) => boolean): Promise<number> => {
      const sent = fake.dispatch('INTERACTION_CREATE', payload, token);
      const got = await fake.waitFor(until(payload));
      return got.at - sent;
    };
    const callback = (p: any) => (r: RecordedRequest) => r.method === 'POST' && r.path === `/interactions/${p.id}/${p.token}/callback`;
    const edited = (p: any) => (r: RecordedRequest) => r.method === 'PATCH' && r.path === `/webhooks/${FAKE.appId}/${p.token}/messages/@original`;
    const followed = (p: any) => (r: RecordedRequest) => r.method === 'POST' && r.path === `/webhooks/${FAKE.appId}/${p.token}`;
    const sip503 = () => chatInput('sip', [{ name: 'query', type: 3, value: '503' }]);

    const base: number[] = [];
    const sip: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      // Interleaved, so both see the same machine load over the run.
      const b = await roundTrip(sip503(), BASELINE_TOKEN, callback);
      const s = await roundTrip(sip503(), FAKE.token, callback);
      if (i >= WARMUP) {
        base.push(b);
        sip.push(s);
      }
    }

    const file = fake.attachment('message.txt', Buffer.from(bigTrace(1024 * 1024)));
    const bigAck: number[] = [];
    const bigDone: number[] = [];
    for (let i = 0; i < BIG_RUNS + 2; i++) {
      const payload = chatInput('sip-triage', [{ name: 'file', type: 11, value: file.id }], { attachments: { [file.id]: file } });
      const sent = fake.dispatch('INTERACTION_CREATE', payload, FAKE.token);
      const ack = await fake.waitFor(callback(payload));
      const done = await fake.waitFor(edited(payload));
      // The answer goes on in follow-ups; the next run starts once it is all out, so runs do not overlap.
      await fake.waitForCount(followed(payload), 4);
      if (i >= 2) {
        bigAck.push(ack.at - sent);
        bigDone.push(done.at - sent);
      }
    }

    const b50 = percentile(base, 50);
    const b99 = percentile(base, 99);
    const vs = (v: number) => ({ value: v / b50, against: 'baseline p50' });
    const vs99 = (v: number) => ({ value: v / b99, against: 'baseline p99' });
    return [
      { name: `baseline: bare discord.js reply, p50 (${RUNS})`, value: b50, unit: 'ms' },
      { name: 'baseline: bare discord.js reply, p99', value: percentile(base, 99), unit: 'ms' },
      { name: `/sip 503 → callback POST, p50 (${RUNS})`, value: percentile(sip, 50), unit: 'ms', ratio: vs(percentile(sip, 50)) },
      { name: '/sip 503 → callback POST, p99', value: percentile(sip, 99), unit: 'ms', ratio: vs99(percentile(sip, 99)) },
      { name: `1 MiB trace → callback POST (deferred), p50 (${BIG_RUNS})`, value: percentile(bigAck, 50), unit: 'ms', ratio: vs(percentile(bigAck, 50)) },
      { name: '1 MiB trace → callback POST (deferred), max', value: Math.max(...bigAck), unit: 'ms', ratio: vs(Math.max(...bigAck)) },
      { name: `1 MiB trace → answer (@original edit), p50 (${BIG_RUNS})`, value: percentile(bigDone, 50), unit: 'ms', ratio: vs(percentile(bigDone, 50)) },
      { name: '1 MiB trace → answer (@original edit), max', value: Math.max(...bigDone), unit: 'ms', ratio: vs(Math.max(...bigDone)) },
    ];
  } finally {
    await baseline.destroy();
    await service.stop();
    await fake.close();
  }
}
