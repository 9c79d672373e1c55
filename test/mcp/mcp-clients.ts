import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { runCli } from '../../src/cli/run-cli.js';

export const ROOT = join(import.meta.dirname, '../..');
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

/** The SDK's own client, talking to `siptriage mcp` started as an assistant would start it. */
export async function stdioClient(env: Record<string, string> = {}): Promise<Client> {
  const dir = mkdtempSync(join(tmpdir(), 'siptriage-mcp-'));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', TSX, join(ROOT, 'src/cli/main.ts'), 'mcp'],
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', DATABASE_URL: `sqlite:${join(dir, 'siptriage.db')}`, ...env },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'siptriage-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

/** What the CLI prints with --json, parsed: the reference an MCP answer must equal. */
export async function cliJson(args: string[]): Promise<unknown> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  await runCli(args, { stdin: new PassThrough(), stdout: out, stderr: new PassThrough(), env: { DATABASE_URL: ':memory:' } });
  return JSON.parse(text) as unknown;
}

/** The text of a tool result's first content item. */
export function firstText(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content[0]?.text ?? '';
}
