import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../../../src/adapters/console/console-adapter.js';
import { createLogger } from '../../../src/app/logger.js';
import { createMetrics } from '../../../src/app/metrics.js';
import { channelCommands } from '../../../src/commands/channel-commands.js';
import { MemoryAlertSettings } from '../../../src/alerts/alert-settings.js';
import { AlertService } from '../../../src/alerts/alert-service.js';
import { createEngine } from '../../../src/core/engine.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';

const kb = loadKnowledge();

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('console: /sip alerts', () => {
  it('subscribes the terminal, then prints spike alerts there as they happen', async () => {
    let now = Date.UTC(2026, 10, 25, 9);
    const alerts = new AlertService({
      config: { windowMs: 300_000, minCount: 5, ratio: 3, timeZone: 'UTC' },
      kb,
      log: createLogger({ level: 'silent', pretty: false }),
      settings: new MemoryAlertSettings(),
      persistent: false,
      now: () => now,
      pacerIntervalMs: 10,
    });
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (d: Buffer) => (text += d.toString()));
    const kinds: string[] = [];
    const metrics = createMetrics({ topPeers: 5, processMetrics: false });
    const log = createLogger({ level: 'silent', pretty: false });
    const commands = channelCommands({ surface: 'console', log, store: undefined, alerts, metrics });
    const adapter = new ConsoleAdapter(createEngine(kb), { input, output, color: false, pasteWindowMs: 5, commands, onCommand: (k) => kinds.push(k) });
    const done = adapter.start();
    input.write('/sip alerts subscribe\n');
    await until(() => text.includes('Spike alerts will be posted here'));
    now += 300_000;
    for (let i = 0; i < 12; i++) alerts.observe({ time: now, kind: 'failure', code: 480, method: 'INVITE', peer: '198.51.100.23', product: null, q850: null, findings: [], callIdHash: `c${i}` });
    await alerts.evaluate();
    await alerts.settled();
    await until(() => text.includes('Spike: 480 Temporarily Unavailable from 198.51.100.23'));
    expect(text).toContain('12 calls failed in the last 5 min');
    input.write('/sip 480\n');
    await until(() => kinds.length === 1);
    // The shared channel commands count alerts; the console counts what it answers itself.
    expect(kinds).toEqual(['code']);
    expect(await metrics.text()).toContain('siptriage_chat_commands_total{surface="console",kind="alerts"} 1');
    input.end();
    await done;
    await alerts.stop();
  });
});
