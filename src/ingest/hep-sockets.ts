import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { HepCollector } from './hep-collector.js';
import { HepTcpConnections } from './hep-tcp-connections.js';
import { HepTcpFramer } from './hep-tcp-framer.js';
import { DEFAULT_HEP_TCP_LIMITS, type HepTcpLimits } from './ingest-config.js';
import { udpKernelDrops } from './udp-drops.js';

export interface HepSockets {
  readonly udp: AddressInfo;
  readonly tcp: AddressInfo;
  close(): Promise<void>;
}

// A larger kernel buffer absorbs bursts while the event loop is busy with a slice of parsing.
const UDP_RECEIVE_BUFFER = 8 * 1024 * 1024;

/**
 * The HEP listeners: one UDP socket and one TCP server on the same port (what Homer's collectors and
 * heplify-server do, so agents can use either). They only receive and hand bytes to the collector.
 */
export async function listenHep(
  collector: HepCollector,
  port: number,
  host: string,
  log: Logger,
  metrics: Metrics,
  limits: HepTcpLimits = DEFAULT_HEP_TCP_LIMITS,
): Promise<HepSockets> {
  // HEP_PORT=0 lets the OS pick the UDP port, and TCP must then take the same number: one already held by a
  // TCP socket (an outgoing connection's ephemeral port, say) fails with EADDRINUSE, so pick again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await listenOnce(collector, port, host, log, metrics, limits);
    } catch (err) {
      if (port !== 0 || attempt >= 10 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      log.debug({ err, attempt }, 'the port picked for HEP UDP is taken for TCP: picking another');
    }
  }
}

async function listenOnce(collector: HepCollector, port: number, host: string, log: Logger, metrics: Metrics, limits: HepTcpLimits): Promise<HepSockets> {
  const udp = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
  udp.on('message', (msg) => collector.offer(msg, 'udp'));
  udp.on('error', (err) => log.error({ err }, 'HEP UDP socket error'));
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, host, () => {
      udp.off('error', reject);
      resolve();
    });
  });
  try {
    udp.setRecvBufferSize(UDP_RECEIVE_BUFFER);
  } catch (err) {
    // The OS may cap it (net.core.rmem_max); the default still works, with less headroom for bursts.
    log.debug({ err }, 'could not enlarge the HEP UDP receive buffer');
  }
  const udpAddress = udp.address();
  // Same port for TCP, so that HEP_PORT=0 (tests) still gives one port for both.
  // No server.maxConnections: at Node's limit a newcomer is closed at once, so idle sockets would lock real
  // agents out. The table below makes room by closing the quietest connection instead.
  const connections = new HepTcpConnections(limits, metrics);
  const tcp = createServer((socket) => {
    connections.admit(socket);
    serveTcp(socket, collector, log, metrics, connections);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(udpAddress.port, host, () => {
        tcp.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    udp.close();
    throw err;
  }
  // Registered once both listen: a retry on another port must not register it twice.
  metrics.gauge('siptriage_hep_udp_kernel_drops', 'HEP datagrams the kernel dropped because the socket buffer was full (Linux /proc/net/udp)', () => udpKernelDrops(udpAddress.port) ?? 0);
  return {
    udp: udpAddress,
    tcp: tcp.address() as AddressInfo,
    close: () => closeBoth(udp, tcp, connections),
  };
}

function serveTcp(socket: TcpSocket, collector: HepCollector, log: Logger, metrics: Metrics, connections: HepTcpConnections): void {
  const framer = new HepTcpFramer();
  socket.setKeepAlive(true, 60_000);
  socket.on('data', (chunk: Buffer) => {
    const packets = framer.push(chunk);
    if (packets === 'garbage') {
      metrics.dropped('malformed');
      log.warn({ remote: socket.remoteAddress }, 'HEP over TCP: not a HEPv3 stream, connection closed');
      connections.close(socket, 'garbage');
      return;
    }
    connections.active(socket, framer.pendingBytes > 0);
    for (const p of packets) collector.offer(p, 'tcp');
    // TCP has flow control: stop reading while the queue works off a backlog, rather than drop.
    if (collector.backlogged && !socket.isPaused()) {
      socket.pause();
      void collector.whenRoom().then(() => socket.resume());
    }
  });
  socket.on('error', (err) => log.debug({ err, remote: socket.remoteAddress }, 'HEP TCP connection error'));
}

async function closeBoth(udp: Socket, tcp: Server, connections: HepTcpConnections): Promise<void> {
  await new Promise<void>((resolve) => udp.close(() => resolve()));
  await new Promise<void>((resolve) => {
    tcp.close(() => resolve());
    // Agents hold their connections open; end them so shutdown does not wait on them.
    connections.closeAll();
  });
}
