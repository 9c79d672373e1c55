import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { startService } from '../../src/app/start.js';
import { silentUdp } from './probe-peers.js';

/** The whole service as `npm start` runs it, console on, with /sip probe typed at its prompt. */
describe('/sip probe in the console of a running service', () => {
  it('answers a refused target in one sentence, and probes an allowed one with the RFC timers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'siptriage-probe-console-'));
    const silent = await silentUdp();
    const r = loadConfig({ PORT: '0', HOST: '127.0.0.1', CONSOLE: 'on', DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, PROBE_ALLOW: '127.0.0.0/8', PROBE_ALLOW_PRIVATE: 'true' });
    if (!r.ok) throw new Error(r.error);
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (d: Buffer) => (text += d.toString()));
    const service = await startService(r.config, createLogger({ level: 'silent', pretty: false }), { input, output, isTTY: false });
    // The terminal wraps long lines at 100 columns; read it as one line of words.
    const flat = (): string => text.replace(/\s+/g, ' ');
    const until = async (needle: string): Promise<void> => {
      for (let i = 0; i < 200 && !flat().includes(needle); i++) await new Promise((res) => setTimeout(res, 50));
    };
    try {
      input.write('/sip probe sip:203.0.113.7\n');
      await until('allow-list');
      expect(flat()).toContain("203.0.113.7 is not on this siptriage's probe allow-list (PROBE_ALLOW), so it will not be probed from here.");
      input.write(`/sip probe sip:127.0.0.1:${silent.port} --timeout 2s\n`);
      await until('Timer F)');
      expect(flat()).toContain(`Probe sip:127.0.0.1:${silent.port}: 408 no answer (Timer F)`);
      // 0, 0.5 and 1.5 s: Timer E's first retransmissions before the 2 s the person allowed.
      expect(flat()).toContain('(sent at 0.0, 0.5, 1.5 s)');
      expect(silent.received()).toBe(3);
      // Then the 408 card itself, so the person reads what a timeout means.
      expect(flat()).toContain('408 Request Timeout');
    } finally {
      input.end();
      await service.stop();
      await silent.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
