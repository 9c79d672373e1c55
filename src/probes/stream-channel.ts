import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { TlsReport } from '../core/probe/tls-report.js';
import { parseSipMessage } from '../core/sip/parse-message.js';
import { monotonicMs, type ChannelEvent, type SipChannel } from './sip-channel.js';
import { StreamFramer } from './stream-framer.js';
import { inspectTls } from './tls-inspect.js';

export interface StreamOptions {
  readonly transport: 'tcp' | 'tls';
  readonly local: { readonly address?: string; readonly port: number };
  readonly connectTimeoutMs: number;
  readonly maxAnswerBytes: number;
  /** TLS: the name to ask for (SNI) and to match the certificate against (RFC 5922). */
  readonly serverName?: string;
  readonly ca?: string;
}

export type StreamOpen = { readonly ok: true; readonly channel: SipChannel; readonly tls?: TlsReport } | { readonly ok: false; readonly code: string; readonly message: string; readonly tls?: TlsReport };

/**
 * A TCP or TLS connection to one target. The TLS handshake completes whatever the certificate says (it is
 * verified afterwards, by inspectTls, so that a bad certificate becomes a finding with its details rather
 * than a bare handshake error). Node's own name check is off: it follows RFC 6125, SIP follows RFC 5922,
 * and matchSipIdentity does that. Bytes that do not frame as SIP end the connection as junk.
 */
export async function openStreamChannel(target: { address: string; port: number }, o: StreamOptions): Promise<StreamOpen> {
  const base = { host: target.address, port: target.port, ...(o.local.address === undefined ? {} : { localAddress: o.local.address }), ...(o.local.port === 0 ? {} : { localPort: o.local.port }) };
  const socket: Socket | TLSSocket = o.transport === 'tls'
    ? tlsConnect({ ...base, rejectUnauthorized: false, checkServerIdentity: () => undefined, ...(o.serverName === undefined ? {} : { servername: o.serverName }), ...(o.ca === undefined ? {} : { ca: o.ca }) })
    : tcpConnect(base);
  const connected = await new Promise<{ ok: true } | { ok: false; code: string }>((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, code: 'ETIMEDOUT' }), o.connectTimeoutMs);
    socket.once(o.transport === 'tls' ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      resolve({ ok: true });
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ ok: false, code: err.code ?? 'ECONNECT' });
    });
  });
  if (!connected.ok) {
    socket.destroy();
    const what = o.transport === 'tls' ? 'TLS connection' : 'TCP connection';
    return { ok: false, code: connected.code, message: connected.code === 'ETIMEDOUT' ? `the ${what} was not accepted within ${o.connectTimeoutMs / 1000} s` : `the ${what} failed (${connected.code})` };
  }
  const tls = o.transport === 'tls' ? inspectTls(socket as TLSSocket, o.serverName ?? target.address, Date.now()) : undefined;
  const listeners: ((e: ChannelEvent) => void)[] = [];
  const emit = (e: ChannelEvent): void => listeners.forEach((l) => l(e));
  const framer = new StreamFramer(o.maxAnswerBytes);
  socket.on('data', (chunk: Buffer) => {
    const at = monotonicMs();
    const r = framer.push(chunk);
    for (const text of r.messages) {
      const parsed = parseSipMessage(text, { meta: { src: { host: target.address, port: target.port }, transport: o.transport } });
      if (parsed.ok && parsed.message.isResponse) emit({ kind: 'message', message: parsed.message, at });
    }
    if (r.junk !== undefined) {
      emit({ kind: 'junk', bytes: r.junk.bytes, message: r.junk.message });
      socket.destroy();
    }
  });
  socket.on('error', (err: NodeJS.ErrnoException) => emit({ kind: 'error', code: err.code ?? 'ESOCKET', message: `the connection failed (${err.code ?? 'error'})` }));
  socket.on('close', () => emit({ kind: 'error', code: 'ECONNRESET', message: 'the server closed the connection without answering' }));
  return {
    ok: true,
    ...(tls === undefined ? {} : { tls }),
    channel: {
      local: { host: socket.localAddress ?? '127.0.0.1', port: socket.localPort ?? 0 },
      send: (text) => void socket.write(text),
      onEvent: (l) => listeners.push(l),
      close: () => {
        socket.removeAllListeners('close');
        socket.destroy();
      },
    },
  };
}
