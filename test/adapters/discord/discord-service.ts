import { PassThrough, Writable } from 'node:stream';
import { pino } from 'pino';
import { loadConfig } from '../../../src/app/config.js';
import { REDACT_PATHS } from '../../../src/app/logger.js';
import { startService, type Service } from '../../../src/app/start.js';
import { FakeDiscord, type FakeDiscordOptions, type RecordedRequest } from './fake-discord.js';
import { FAKE } from './fake-payloads.js';

export interface Running {
  readonly fake: FakeDiscord;
  readonly service: Service;
  /** Every log line the service wrote, parsed. */
  readonly logs: any[];
  stop(): Promise<void>;
}

/**
 * The real service, started by the real startup code (startService) with the config loaded from an
 * environment as in production, pointed at a fake Discord on 127.0.0.1.
 */
export async function startAgainstFake(env: Record<string, string> = {}, fakeOptions: FakeDiscordOptions = {}): Promise<Running> {
  const fake = await FakeDiscord.start(fakeOptions);
  const logs: any[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line));
      done();
    },
  });
  const log = pino({ level: 'info', base: { service: 'siptriage' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
  const loaded = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    CONSOLE: 'off',
    // A store per service, gone with it: tests leave nothing in ./data.
    DATABASE_URL: ':memory:',
    DISCORD_TOKEN: FAKE.token,
    DISCORD_API_URL: fake.apiUrl,
    ...env,
  });
  if (!loaded.ok) throw new Error(loaded.error);
  const service = await startService(loaded.config, log, { input: new PassThrough(), output: new PassThrough(), isTTY: false });
  return {
    fake,
    service,
    logs,
    async stop() {
      await service.stop();
      await fake.close();
    },
  };
}

/** Dispatches an interaction through the fake gateway and waits for its callback POST. */
export async function interact(run: Running, payload: { readonly id: string; readonly token: string }): Promise<RecordedRequest> {
  run.fake.dispatch('INTERACTION_CREATE', payload);
  return run.fake.waitFor((r) => r.method === 'POST' && r.path === `/interactions/${payload.id}/${payload.token}/callback`);
}

