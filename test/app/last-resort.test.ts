import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

// In a process of its own: the net is process-wide, and Node's default for an unhandled rejection is to exit.
function run(withNet: boolean): { status: number | null; out: string } {
  const script = `
    import { pino } from 'pino';
    import { installLastResort } from './src/app/last-resort.ts';
    const log = pino({ base: null });
    if (${withNet}) installLastResort(log);
    Promise.reject(new TypeError("Cannot read properties of null (reading 'ssl_check')"));
    setTimeout(() => { console.log(JSON.stringify({ msg: 'still here' })); }, 100);
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, out: r.stdout };
}

describe('the last-resort net for unhandled rejections', () => {
  it('logs the rejection with its code and the process keeps running', () => {
    const { status, out } = run(true);
    expect(status).toBe(0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ level: 50, code: 'UNHANDLED_REJECTION', err: { type: 'TypeError' } });
    expect(lines.at(-1)).toMatchObject({ msg: 'still here' });
  });

  it('is what makes the difference: without it Node ends the process', () => {
    const { status, out } = run(false);
    expect(status).not.toBe(0);
    expect(out).not.toContain('still here');
  });
});
