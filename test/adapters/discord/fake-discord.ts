import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocketServer, type WebSocket } from 'ws';
import { FAKE, guildCreate, messageObject, nextId, readyPayload, threadChannel } from './fake-payloads.js';

/** One request that reached the fake REST API, decoded. */
export interface RecordedRequest {
  readonly method: string;
  /** The route under /api/v10, without the query: "/interactions/1/tok/callback". */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly auth: string | undefined;
  /** The JSON body, or multipart's payload_json. */
  readonly body: any;
  /** Multipart file parts (attachments), with their bytes. */
  readonly files: readonly { readonly field: string; readonly name: string; readonly size: number; readonly data: Buffer }[];
  /** performance.now() when the request was complete: same clock as dispatch(). */
  readonly at: number;
}

export interface FakeDiscordOptions {
  /** Bot tokens the REST API and the gateway accept. */
  readonly tokens?: readonly string[];
  /** False: an IDENTIFY asking for Message Content is closed with 4014, as for a bot without the intent. */
  readonly messageContentAllowed?: boolean;
}

interface Session {
  readonly socket: WebSocket;
  readonly token: string;
  readonly intents: number;
  seq: number;
}

interface Waiter {
  readonly match: (r: RecordedRequest) => boolean;
  readonly resolve: (r: RecordedRequest) => void;
}

const MESSAGE_CONTENT_INTENT = 1 << 15;

/**
 * A local stand-in for Discord at the platform boundary: the REST API discord.js calls (gateway info,
 * interaction callbacks, webhooks, channel messages, threads, command registration, attachments) and a
 * gateway WebSocket that says HELLO, takes IDENTIFY, sends READY and GUILD_CREATE, acks heartbeats and
 * dispatches whatever a test hands it. Everything on 127.0.0.1, port 0.
 */
export class FakeDiscord {
  readonly requests: RecordedRequest[] = [];
  /** Requests answered with 429 (not in `requests`: discord.js retries them). */
  readonly limited: RecordedRequest[] = [];
  /** Paths of attachment downloads served. */
  readonly downloads: string[] = [];
  readonly identifies: any[] = [];
  readonly #server: Server;
  readonly #wss: WebSocketServer;
  readonly #tokens: readonly string[];
  readonly #messageContentAllowed: boolean;
  readonly #sessions = new Set<Session>();
  readonly #waiters = new Set<Waiter>();
  readonly #files = new Map<string, Uint8Array>();
  readonly #rateLimits: { method: string; path: RegExp; left: number }[] = [];
  #port = 0;
  #held: Promise<void> | undefined;

  private constructor(options: FakeDiscordOptions) {
    this.#tokens = options.tokens ?? [FAKE.token];
    this.#messageContentAllowed = options.messageContentAllowed ?? true;
    this.#server = createServer((req, res) => void this.#onRequest(req, res));
    this.#wss = new WebSocketServer({ server: this.#server, path: '/gateway' });
    this.#wss.on('connection', (socket) => this.#onGateway(socket));
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    fake.#port = (fake.#server.address() as AddressInfo).port;
    return fake;
  }

  /** What DISCORD_API_URL is set to: discord.js appends /v10. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.#port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.#port}/gateway`;
  }

  /** Identified gateway sessions (bots that got READY). */
  get sessions(): number {
    return this.#sessions.size;
  }

  /** Sends a DISPATCH to every identified session, or only those identified with `token`. Returns when it was sent. */
  dispatch(t: string, d: unknown, token?: string): number {
    const at = performance.now();
    for (const s of this.#sessions) {
      if (token !== undefined && s.token !== token) continue;
      s.seq += 1;
      s.socket.send(JSON.stringify({ op: 0, t, s: s.seq, d }));
    }
    return at;
  }

  /** Resolves with the first recorded request (past or future) that matches. */
  waitFor(match: (r: RecordedRequest) => boolean): Promise<RecordedRequest> {
    const seen = this.requests.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.add({ match, resolve }));
  }

  /** Waits for the n-th matching request (1-based), for answers that take several messages. */
  async waitForCount(match: (r: RecordedRequest) => boolean, n: number): Promise<RecordedRequest[]> {
    for (;;) {
      const hits = this.requests.filter(match);
      if (hits.length >= n) return hits;
      await new Promise<RecordedRequest>((resolve) => this.#waiters.add({ match, resolve }));
    }
  }

  /** Serves bytes as a CDN attachment on this server; returns the attachment object Discord would send. */
  attachment(filename: string, bytes: Uint8Array, reportedSize = bytes.byteLength): any {
    const id = nextId();
    this.#files.set(`/attachments/${id}/${filename}`, bytes);
    const url = `http://127.0.0.1:${this.#port}/attachments/${id}/${filename}`;
    return { id, filename, size: reportedSize, url, proxy_url: url, content_type: 'application/octet-stream' };
  }

  /** Attachment downloads started from now on wait for the returned release before their bytes are sent. */
  holdDownloads(): () => void {
    let release = (): void => {};
    this.#held = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.#held = undefined;
      release();
    };
  }

  /** The next `times` requests matching answer 429 with a short retry_after, as Discord's rate limiter does. */
  rateLimit(method: string, path: RegExp, times = 1): void {
    this.#rateLimits.push({ method, path, left: times });
  }

  async close(): Promise<void> {
    for (const s of this.#sessions) s.socket.terminate();
    this.#wss.close();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  #onGateway(socket: WebSocket): void {
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
    socket.on('message', (raw) => {
      const packet = JSON.parse(String(raw)) as { op: number; d: any };
      if (packet.op === 1) socket.send(JSON.stringify({ op: 11 }));
      if (packet.op !== 2) return;
      this.identifies.push(packet.d);
      const token = String(packet.d.token ?? '').replace(/^Bot /, '');
      if (!this.#tokens.includes(token)) return socket.close(4004, 'Authentication failed.');
      if ((packet.d.intents & MESSAGE_CONTENT_INTENT) !== 0 && !this.#messageContentAllowed) return socket.close(4014, 'Disallowed intent(s).');
      const session: Session = { socket, token, intents: packet.d.intents, seq: 0 };
      this.#sessions.add(session);
      socket.on('close', () => this.#sessions.delete(session));
      session.seq += 1;
      socket.send(JSON.stringify({ op: 0, t: 'READY', s: session.seq, d: readyPayload(this.gatewayUrl) }));
      session.seq += 1;
      socket.send(JSON.stringify({ op: 0, t: 'GUILD_CREATE', s: session.seq, d: guildCreate() }));
    });
  }

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const file = this.#files.get(url.pathname);
    if (method === 'GET' && file !== undefined) {
      this.downloads.push(url.pathname);
      if (this.#held !== undefined) await this.#held;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.byteLength });
      res.end(file);
      return;
    }
    if (url.pathname.startsWith('/attachments/')) return send(res, 404, { message: '404: Not Found', code: 0 });
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v\d+/, '');
    const { body, files } = await decodeBody(req.headers['content-type'], raw);
    const request: RecordedRequest = { method, path, query: url.searchParams, auth: req.headers.authorization, body, files, at: performance.now() };

    const limited = this.#rateLimits.find((r) => r.left > 0 && r.method === method && r.path.test(path));
    if (limited !== undefined) {
      limited.left -= 1;
      this.limited.push(request);
      // The shape @discordjs/rest reads: retry_after in seconds, bucket headers, 429.
      send(res, 429, { message: 'You are being rate limited.', retry_after: 0.05, global: false }, { 'retry-after': '0.05', 'x-ratelimit-scope': 'user', 'x-ratelimit-bucket': 'fake' });
      return;
    }
    this.requests.push(request);
    for (const w of [...this.#waiters]) {
      if (w.match(request)) {
        this.#waiters.delete(w);
        w.resolve(request);
      }
    }
    this.#answer(request, res);
  }

  #answer(r: RecordedRequest, res: ServerResponse): void {
    const authed = r.auth !== undefined && this.#tokens.includes(r.auth.replace(/^Bot /, ''));
    const open = r.path.startsWith('/interactions/') || r.path.startsWith('/webhooks/');
    if (!open && !authed) return send(res, 401, { message: '401: Unauthorized', code: 0 });
    let m: RegExpExecArray | null;
    if (r.method === 'GET' && r.path === '/gateway/bot') {
      return send(res, 200, { url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } });
    }
    if (r.method === 'GET' && r.path === '/applications/@me') return send(res, 200, { id: FAKE.appId, name: 'siptriage', flags: 0 });
    if (r.method === 'PUT' && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(r.path)) {
      return send(res, 200, (r.body as any[]).map((c) => ({ ...c, id: nextId(), application_id: FAKE.appId, version: nextId() })));
    }
    if (r.method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(r.path)) {
      if (r.query.get('with_response') !== 'true') return send(res, 204);
      return send(res, 200, { interaction: { id: r.path.split('/')[2], type: 2 }, resource: { type: r.body.type, message: messageObject(FAKE.channelId, r.body.data ?? {}) } });
    }
    if ((m = /^\/webhooks\/\d+\/[^/]+(?:\/messages\/(@original|\d+))?$/.exec(r.path))) {
      return send(res, 200, messageObject(FAKE.channelId, r.body ?? {}, m[1] === '@original' ? undefined : m[1]));
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(r.path)) && r.method === 'POST') {
      return send(res, 200, threadChannel(m[1] ?? '', m[2] ?? '', String(r.body.name)));
    }
    if ((m = /^\/channels\/(\d+)\/messages(?:\/(\d+))?$/.exec(r.path)) && (r.method === 'POST' || r.method === 'PATCH')) {
      return send(res, 200, messageObject(m[1] ?? '', r.body ?? {}, m[2]));
    }
    send(res, 404, { message: `Unknown route ${r.method} ${r.path}`, code: 0 });
  }
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function decodeBody(type: string | undefined, raw: Buffer): Promise<{ body: any; files: RecordedRequest['files'] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (type?.startsWith('multipart/form-data') === true) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const files: { field: string; name: string; size: number; data: Buffer }[] = [];
    let body: any;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
      } else files.push({ field, name: value.name, size: value.size, data: Buffer.from(await value.arrayBuffer()) });
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString('utf8')), files: [] };
}
