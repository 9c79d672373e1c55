import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_BOT_ID, type ApiCall } from '../adapters/slack/fake-slack-api.js';
import { buttonClick, eventCallback, postSigned } from '../adapters/slack/slack-requests.js';
import { SIGNING_SECRET, startSlackService, type SlackService } from '../adapters/slack/slack-service.js';

// Issue 13 item 3: a Proxy-Authorization folded onto continuation lines (RFC 3261 §7.3.1), with the break
// even between "response" and "=", leaked its digest response into share bundles. Attacked through the CLI
// in a process of its own and through Slack's Share with carrier on the running service.
const ROOT = join(import.meta.dirname, '..', '..');
const SECRET = '42ce3cef44b22f50c6a6071bc8d9ab17';
const CNONCE = '0a4f113b9e7c5d21';
const TRACE = [
  'INVITE sip:bob@biloxi.example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKfold1',
  'To: sip:bob@biloxi.example.com',
  'From: sip:alice@atlanta.example.com;tag=1928301774',
  'Call-ID: folded-credentials-1',
  'CSeq: 2 INVITE',
  'PROXY-AUTHORIZATION  :  Digest username="alice",',
  '\trealm="atlanta.example.com", nonce="wf84f1ceczx41ae6cbe5aea9c8e88d359",',
  ' uri="sip:bob@biloxi.example.com", Response',
  '  =',
  `\t"${SECRET}", cnonce=`,
  ` "${CNONCE}", qop=auth, nc=00000001`,
  'Content-Length: 0',
  '',
  'SIP/2.0 403 Forbidden',
  'Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKfold1',
  'To: sip:bob@biloxi.example.com;tag=99',
  'From: sip:alice@atlanta.example.com;tag=1928301774',
  'Call-ID: folded-credentials-1',
  'CSeq: 2 INVITE',
  'Content-Length: 0',
  '',
].join('\r\n');

const leaked = (text: string): boolean => text.includes(SECRET) || text.includes(CNONCE);

describe('a folded Proxy-Authorization through the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'siptriage-folded-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

  it('share writes a bundle with the credential header kept, its response and cnonce removed', () => {
    const file = join(dir, 'folded.txt');
    writeFileSync(file, TRACE);
    const out = join(dir, 'bundle');
    const r = cli('share', file, '--out', out);
    expect(r.status).toBe(0);
    const files = readdirSync(out);
    expect(files).toEqual(expect.arrayContaining(['trace.txt', 'call.pcap']));
    for (const f of files) expect(leaked(readFileSync(join(out, f)).toString('latin1')), f).toBe(false);
    expect(readFileSync(join(out, 'trace.txt'), 'utf8')).toMatch(/PROXY-AUTHORIZATION {2}: {2}Digest username="alice", realm="atlanta.example.com", .*Response\s*=\s*"\[redacted\]", cnonce=\s*"\[redacted\]"/);
  });

  it('triage, text and --json, finds the rejected credentials and shows no secret', () => {
    const file = join(dir, 'folded-triage.txt');
    writeFileSync(file, TRACE);
    const text = cli('triage', file);
    const json = cli('triage', '--json', file);
    expect(text.stdout).toContain('403');
    expect(json.stdout).toContain('folded-credentials-1');
    expect(leaked(text.stdout + text.stderr)).toBe(false);
    expect(leaked(json.stdout + json.stderr)).toBe(false);
  });
});

describe('a folded Proxy-Authorization through Slack, Share with carrier', () => {
  let s: SlackService;
  beforeAll(async () => {
    s = await startSlackService({ TRIAGE_WORKERS: '1' });
  });
  afterAll(async () => {
    await s.stop();
  });

  it('the answer and every file of the bundle leave the secret out', async () => {
    const ts = '1795609001.000100';
    const post = (p: Parameters<typeof postSigned>[2]) => postSigned(s.events, SIGNING_SECRET, p);
    await post(eventCallback({ type: 'message', channel: 'C0SIPTRIAGE', user: 'U0ALICE', ts, text: TRACE.replace(/\r\n/g, '\n'), channel_type: 'channel' }));
    const inThread = (): ApiCall[] => s.fake.callsTo('chat.postMessage').filter((c) => c.args['thread_ts'] === ts && c.result?.['ok'] === true);
    const reply = await s.fake.waitFor(() => inThread()[0], 'the triage answer');
    const button = (reply.args['blocks'] as { type: string; elements?: Record<string, unknown>[] }[]).flatMap((b) => b.elements ?? []).find((e) => e['action_id'] === 'sip_share_carrier');
    expect(button).toBeDefined();
    const filesIn = () => s.fake.completedFiles().filter((f) => f.threadTs === ts);
    await s.fake.waitFor(() => filesIn().length > 0, 'the ladder');
    const before = filesIn().length;
    const click = await post(buttonClick('sip_share_carrier', String(button?.['value']), s.fake.responseUrl('fold-share'), { type: 'message', ts: reply.result?.['ts'], thread_ts: ts, bot_id: FAKE_BOT_ID, blocks: reply.args['blocks'] }));
    expect(click.status).toBe(200);
    const bundle = await s.fake.waitFor(() => filesIn().length >= before + 5 && filesIn().slice(before), 'the share bundle');
    expect(bundle.map((f) => f.filename)).toEqual(expect.arrayContaining(['trace.txt', 'call.pcap']));
    for (const f of bundle) expect(leaked(f.data.toString('latin1')), f.filename).toBe(false);
    expect(leaked(JSON.stringify(s.fake.calls.map((c) => c.args)))).toBe(false);
    expect(leaked(s.logs.join('\n'))).toBe(false);
  });
});
