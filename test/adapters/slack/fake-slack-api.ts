import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A stand-in for Slack on 127.0.0.1, at the platform boundary only: the Web API (what siptriage calls through
 * SLACK_API_URL), response_url endpoints, private file downloads, file uploads, and the Socket Mode WebSocket.
 * It records every call so tests can assert on the Block Kit that would have reached Slack.
 */
export interface ApiCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  readonly token: string | undefined;
  /** What the fake answered (ts of a posted message, …). */
  result?: Record<string, unknown>;
  /** performance.now() when the call arrived (benchmarks). */
  readonly at: number;
}

export interface ResponsePost {
  readonly id: string;
  readonly body: Record<string, unknown>;
  readonly at: number;
}

export interface FakeFile {
  readonly id: string;
  readonly name: string;
  readonly bytes: Uint8Array;
  /** What files.info claims; defaults to the real length. */
  readonly size?: number;
  readonly filetype?: string;
}

/** A file that went through the whole upload flow, as the thread would show it. */
export interface UploadedFile {
  readonly id: string;
  /** The name given to files.getUploadURLExternal. */
  readonly filename: string;
  readonly title: string | undefined;
  readonly altText: string | undefined;
  /** The bytes POSTed to the upload URL (the file part of a multipart body, or the raw body). */
  readonly data: Buffer;
  readonly channel: string | undefined;
  readonly threadTs: string | undefined;
  readonly initialComment: string | undefined;
}

export const FAKE_TEAM = 'T0EXAMPLE1';
export const FAKE_BOT_USER = 'U0SIPTRIAGE';
export const FAKE_BOT_ID = 'B0SIPTRIAGE';

export class FakeSlackApi {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponsePost[] = [];
  readonly downloads: { id: string; authorization: string | undefined }[] = [];
  /** Bytes POSTed to upload URLs, by file id (files.getUploadURLExternal hands the URLs out). */
  readonly uploads: { id: string; bytes: number; data: Buffer }[] = [];
  readonly files = new Map<string, FakeFile>();
  /** Messages conversations.replies can return, by ts. */
  readonly messages = new Map<string, Record<string, unknown>>();
  readonly notInChannel = new Set<string>();
  /** Method (or "response") → how many of the next calls get 429, and the Retry-After they carry. */
  readonly #rateLimits = new Map<string, { times: number; retryAfter: number }>();
  readonly rateLimited: string[] = [];
  readonly #server: Server;
  readonly #waiters = new Set<() => void>();
  #ws: WebSocketServer | undefined;
  readonly sockets: WebSocket[] = [];
  readonly socketMessages: Record<string, unknown>[] = [];
  #ts = 1_795_600_000;
  #seq = 0;
  base = '';

  constructor(readonly botToken: string, readonly appToken = 'xapp-1-A0FAKE-0-fake') {
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  /** SLACK_API_URL for the service under test. */
  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.base}/response/${id}`;
  }

  rateLimit(method: string, times: number, retryAfter: number): void {
    this.#rateLimits.set(method, { times, retryAfter });
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /**
   * Resolves once the probe holds, re-checked after every request to the fake (and every 20 ms, for state
   * outside it such as a store): tests wait for outcomes, never for fixed times.
   */
  waitFor<T>(probe: () => T | undefined | false, what = 'condition', limitMs = 15_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const v = probe();
        if (v !== undefined && v !== false) {
          this.#waiters.delete(check);
          clearTimeout(timer);
          clearInterval(poll);
          resolve(v);
        }
      };
      const poll = setInterval(check, 20);
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        clearInterval(poll);
        reject(new Error(`fake Slack: gave up waiting for ${what}`));
      }, limitMs);
      this.#waiters.add(check);
      check();
    });
  }

  /** Starts the Socket Mode side: apps.connections.open hands out this ws:// URL. */
  async startSocketMode(): Promise<string> {
    this.#ws = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => this.#ws?.once('listening', () => resolve()));
    this.#ws.on('connection', (socket) => {
      this.sockets.push(socket);
      socket.on('message', (data) => {
        this.socketMessages.push(JSON.parse(String(data)) as Record<string, unknown>);
        this.#notify();
      });
      // Slack's first frame on a new connection (https://docs.slack.dev/apis/events-api/using-socket-mode).
      socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0FAKE' }, debug_info: { host: 'fake' } }));
      this.#notify();
    });
    return this.wsUrl;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${(this.#ws?.address() as AddressInfo).port}/link/?ticket=fake`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    await new Promise<void>((resolve) => (this.#ws === undefined ? resolve() : this.#ws.close(() => resolve())));
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  #notify(): void {
    for (const w of [...this.#waiters]) w();
  }

  #nextTs(): string {
    this.#seq += 1;
    return `${this.#ts}.${String(this.#seq).padStart(6, '0')}`;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const raw = await readBody(req);
    const parts = url.pathname.split('/').filter((p) => p !== '');
    try {
      if (parts[0] === 'api' && parts[1] !== undefined) await this.#api(parts[1], req, raw, res);
      else if (parts[0] === 'response' && parts[1] !== undefined) this.#response(parts[1], raw, res);
      else if (parts[0] === 'files' && parts[1] !== undefined) this.#download(parts[1], req, res);
      else if (parts[0] === 'upload' && parts[1] !== undefined) {
        const data = await uploadedBytes(req.headers['content-type'], raw);
        this.uploads.push({ id: parts[1], bytes: data.length, data });
        sendRaw(res, 200, 'OK', 'text/plain');
      } else sendRaw(res, 404, { ok: false, error: 'unknown_path' });
    } finally {
      this.#notify();
    }
  }

  /**
   * Files completed with files.completeUploadExternal, joined with their getUploadURLExternal request and
   * the bytes posted: what Slack would show in the channel or thread.
   */
  completedFiles(): UploadedFile[] {
    const out: UploadedFile[] = [];
    for (const complete of this.callsTo('files.completeUploadExternal')) {
      if (complete.result?.['ok'] !== true) continue;
      const files = parseFiles(complete.args['files']);
      for (const f of files) {
        const asked = this.callsTo('files.getUploadURLExternal').find((c) => c.result?.['file_id'] === f.id);
        const posted = this.uploads.find((u) => u.id === f.id);
        if (asked === undefined || posted === undefined) continue;
        out.push({
          id: f.id,
          filename: String(asked.args['filename'] ?? ''),
          title: f.title,
          altText: typeof asked.args['alt_text'] === 'string' ? asked.args['alt_text'] : undefined,
          data: posted.data,
          channel: typeof complete.args['channel_id'] === 'string' ? complete.args['channel_id'] : undefined,
          threadTs: typeof complete.args['thread_ts'] === 'string' ? complete.args['thread_ts'] : undefined,
          initialComment: typeof complete.args['initial_comment'] === 'string' ? complete.args['initial_comment'] : undefined,
        });
      }
    }
    return out;
  }

  #limited(key: string, res: ServerResponse): boolean {
    const limit = this.#rateLimits.get(key);
    if (limit === undefined || limit.times <= 0) return false;
    limit.times -= 1;
    this.rateLimited.push(key);
    res.writeHead(429, { 'retry-after': String(limit.retryAfter), 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
    return true;
  }

  #response(id: string, raw: Buffer, res: ServerResponse): void {
    if (this.#limited('response', res)) return;
    this.responses.push({ id, body: JSON.parse(raw.toString('utf8')) as Record<string, unknown>, at: performance.now() });
    sendRaw(res, 200, 'ok', 'text/plain');
  }

  #download(id: string, req: IncomingMessage, res: ServerResponse): void {
    const authorization = req.headers.authorization;
    this.downloads.push({ id, authorization });
    const file = this.files.get(id);
    // Slack answers a request without a valid token with its sign-in page, status 200.
    if (authorization !== `Bearer ${this.botToken}`) return sendRaw(res, 200, '<html>sign in</html>', 'text/html');
    if (file === undefined) return sendRaw(res, 404, 'not found', 'text/plain');
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.byteLength });
    res.end(Buffer.from(file.bytes));
  }

  async #api(method: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const args = parseArgs(req.headers['content-type'], raw);
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '') || (typeof args['token'] === 'string' ? args['token'] : undefined);
    const call: ApiCall = { method, args, token, at: performance.now() };
    this.calls.push(call);
    if (this.#limited(method, res)) return;
    const send = (_res: ServerResponse, status: number, body: Record<string, unknown>): void => {
      call.result = body;
      sendRaw(res, status, body);
    };
    const wanted = method === 'apps.connections.open' ? this.appToken : this.botToken;
    if (token !== wanted) return send(res, 200, { ok: false, error: 'invalid_auth' });
    const channel = typeof args['channel'] === 'string' ? args['channel'] : '';
    switch (method) {
      case 'auth.test':
        return send(res, 200, { ok: true, url: 'https://example.slack.com/', team: 'Example', user: 'siptriage', team_id: FAKE_TEAM, user_id: FAKE_BOT_USER, bot_id: FAKE_BOT_ID });
      case 'chat.postMessage':
        if (this.notInChannel.has(channel)) return send(res, 200, { ok: false, error: 'not_in_channel' });
        return send(res, 200, { ok: true, channel, ts: this.#nextTs(), message: { text: args['text'] } });
      case 'chat.update':
        return send(res, 200, { ok: true, channel, ts: args['ts'], text: args['text'] });
      case 'chat.postEphemeral':
        return send(res, 200, { ok: true, message_ts: this.#nextTs() });
      case 'files.info': {
        const file = this.files.get(String(args['file']));
        if (file === undefined) return send(res, 200, { ok: false, error: 'file_not_found' });
        return send(res, 200, {
          ok: true,
          file: { id: file.id, name: file.name, size: file.size ?? file.bytes.byteLength, filetype: file.filetype ?? 'text', url_private_download: `${this.base}/files/${file.id}/download/${file.name}` },
        });
      }
      case 'conversations.replies': {
        const m = this.messages.get(String(args['ts']));
        return send(res, 200, { ok: true, messages: m === undefined ? [] : [m], has_more: false });
      }
      case 'apps.connections.open':
        return send(res, 200, { ok: true, url: this.wsUrl });
      case 'files.getUploadURLExternal': {
        // Slack requires both (https://docs.slack.dev/reference/methods/files.getuploadurlexternal).
        if (typeof args['filename'] !== 'string' || args['length'] === undefined) return send(res, 200, { ok: false, error: 'invalid_arguments' });
        const id = `F0UP${++this.#seq}`;
        return send(res, 200, { ok: true, upload_url: `${this.base}/upload/${id}`, file_id: id });
      }
      case 'files.completeUploadExternal': {
        const files = parseFiles(args['files']);
        // Slack refuses to complete a file whose bytes never arrived.
        if (files.length === 0 || files.some((f) => !this.uploads.some((u) => u.id === f.id))) return send(res, 200, { ok: false, error: 'file_not_found' });
        if (this.notInChannel.has(String(args['channel_id'] ?? ''))) return send(res, 200, { ok: false, error: 'not_in_channel' });
        return send(res, 200, { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) });
      }
      default:
        return send(res, 200, { ok: false, error: 'unknown_method' });
    }
  }
}

function parseFiles(value: unknown): { id: string; title: string | undefined }[] {
  const list = (typeof value === 'string' ? JSON.parse(value) : (value ?? [])) as { id?: unknown; title?: unknown }[];
  return list.filter((f) => typeof f.id === 'string').map((f) => ({ id: String(f.id), title: typeof f.title === 'string' ? f.title : undefined }));
}

/** An upload URL takes the bytes raw or as multipart form data (the Web API client sends the latter). */
async function uploadedBytes(type: string | undefined, raw: Buffer): Promise<Buffer> {
  if (!(type ?? '').startsWith('multipart/form-data')) return raw;
  const form = await new Response(raw, { headers: { 'content-type': type ?? '' } }).formData();
  for (const value of form.values()) if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  return Buffer.alloc(0);
}

function sendRaw(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

// The Web API client sends form-encoded arguments, objects (blocks) as JSON strings; JSON bodies are read too.
function parseArgs(type: string | undefined, raw: Buffer): Record<string, unknown> {
  const text = raw.toString('utf8');
  if (text === '') return {};
  if ((type ?? '').includes('application/json')) return JSON.parse(text) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(text)) out[k] = k === 'blocks' || k === 'attachments' ? JSON.parse(v) : v;
  return out;
}
