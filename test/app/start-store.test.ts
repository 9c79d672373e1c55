import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { startService } from '../../src/app/start.js';
import { openStore } from '../../src/store/open-store.js';
import { memoryLogger } from '../adapters/slack/slack-service.js';
import { ev } from '../store/store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'siptriage-start-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the service and its store', () => {
  it('opens the configured store before the surfaces, prunes it at start, and closes it on stop', async () => {
    const path = join(dir, 'siptriage.db');
    const seed = await openStore({ kind: 'sqlite', path });
    await seed.recordEvents([ev({ time: Date.now() - 30 * 86_400_000 }), ev({ time: Date.now() })]);
    await seed.close();

    const r = loadConfig({ PORT: '0', HOST: '127.0.0.1', CONSOLE: 'off', DATABASE_URL: `sqlite:${path}`, RETENTION_DAYS: '7' });
    if (!r.ok) throw new Error(r.error);
    const lines: string[] = [];
    const service = await startService(r.config, memoryLogger(lines, 'info'), { input: new PassThrough(), output: new PassThrough(), isTTY: false });
    await service.stop();
    const logs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const at = (msg: string): number => logs.findIndex((l) => l['msg'] === msg);
    expect(logs[at('store open')]).toMatchObject({ store: 'sqlite', path });
    expect(at('store open')).toBeLessThan(at('http listening'));
    expect(logs[at('pruned events older than the retention')]).toMatchObject({ events: 1, days: 7 });
    // Closed: the last connection to go checkpoints the WAL and removes it.
    expect(existsSync(`${path}-wal`)).toBe(false);
    const after = await openStore({ kind: 'sqlite', path });
    expect(await after.counts({ from: 0, to: Date.now() + 3_600_000, by: [] })).toEqual([{ count: 1 }]);
    await after.close();
  });
});
