import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { parseSipMessage } from '../core/sip/parse-message.js';
import { monotonicMs, type ChannelEvent, type SipChannel } from './sip-channel.js';

/**
 * A UDP socket bound to the configured local address (or any), sending to one target. Datagrams that are
 * not SIP responses are reported as junk and otherwise ignored: on UDP anyone can send us anything.
 */
export async function openUdpChannel(target: { address: string; port: number }, local: { address?: string; port: number }): Promise<SipChannel> {
  const family = isIPv6(target.address) ? 'udp6' : 'udp4';
  const socket = createSocket({ type: family, reuseAddr: false });
  const listeners: ((e: ChannelEvent) => void)[] = [];
  const emit = (e: ChannelEvent): void => listeners.forEach((l) => l(e));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ port: local.port, ...(local.address === undefined ? {} : { address: local.address }) }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const host = local.address ?? (await outboundAddress(family, target));
  socket.on('message', (buf, rinfo) => {
    const at = monotonicMs();
    const parsed = parseSipMessage(buf.toString('utf8'), { meta: { src: { host: rinfo.address, port: rinfo.port }, transport: 'udp' } });
    if (parsed.ok && parsed.message.isResponse) emit({ kind: 'message', message: parsed.message, at });
    else emit({ kind: 'junk', bytes: buf.length, message: `${rinfo.address}:${rinfo.port} sent a ${buf.length}-byte datagram that is not a SIP response` });
  });
  socket.on('error', (err: NodeJS.ErrnoException) => emit({ kind: 'error', code: err.code ?? 'EUDP', message: `UDP error: ${err.code ?? err.message}` }));
  return {
    local: { host, port: socket.address().port },
    send(text) {
      socket.send(text, target.port, target.address, (err) => {
        if (err) emit({ kind: 'error', code: (err as NodeJS.ErrnoException).code ?? 'EUDP', message: `could not send: ${(err as NodeJS.ErrnoException).code ?? err.message}` });
      });
    },
    onEvent: (l) => listeners.push(l),
    close: () => closeQuietly(socket),
  };
}

/** The address the OS would send from towards the target: what Via must say when bound to any address. */
async function outboundAddress(family: 'udp4' | 'udp6', target: { address: string; port: number }): Promise<string> {
  const probe = createSocket(family);
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.connect(target.port, target.address, () => resolve());
    });
    return probe.address().address;
  } catch {
    return family === 'udp6' ? '::1' : '127.0.0.1';
  } finally {
    closeQuietly(probe);
  }
}

function closeQuietly(socket: Socket): void {
  try {
    socket.close();
  } catch {
    // Already closed: nothing to release.
  }
}
