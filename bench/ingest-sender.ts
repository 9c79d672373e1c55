// Child process for `npm run bench ingest`: sends HEP packets over UDP (or one TCP connection, <transport>
// "tcp") to 127.0.0.1:<port> at <rate> packets/s (0: as fast as it can) for <ms> milliseconds, stamping each
// packet with its send time (µs) when <stamp> is "stamp", and reports how many it sent. Runs in its own
// process so it has its own core.
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { hepTraffic } from './ingest-traffic.js';

const [port = '0', rate = '0', ms = '1000', stamp = 'no', transport = 'udp', rounds = '200'] = process.argv.slice(2);
const packets = hepTraffic(Number(rounds));
const texts = stamp === 'stamp' ? packets.map((p) => Buffer.from(p)) : [];
const socket = createSocket('udp4');
const nowUs = (): number => Math.round((performance.timeOrigin + performance.now()) * 1000);

// Re-stamping rewrites the time chunks in place: encodeHep3 puts seconds at byte 62 and µs at byte 72.
function stamped(i: number): Buffer {
  const b = texts[i % texts.length] as Buffer;
  const us = nowUs();
  b.writeUInt32BE(Math.floor(us / 1e6), 62);
  b.writeUInt32BE(us % 1e6, 72);
  return b;
}

let sent = 0;
let inFlight = 0;
const tcp = transport === 'tcp' ? connect(Number(port), '127.0.0.1') : undefined;
if (tcp !== undefined) await new Promise((r) => tcp.once('connect', r));
let start = performance.now();
const perMs = Number(rate) / 1000;
function pump(): void {
  const elapsed = performance.now() - start;
  if (elapsed >= Number(ms)) {
    const wait = (): void => {
      if (inFlight > 0) {
        setTimeout(wait, 5);
        return;
      }
      process.send?.({ sent, ms: elapsed });
      socket.close();
      tcp?.end();
    };
    wait();
    return;
  }
  const due = perMs === 0 ? sent + 256 : Math.floor(elapsed * perMs);
  // Bounded in-flight sends: libuv queues them, and an unbounded queue would measure memory, not sending.
  if (tcp !== undefined) {
    // One write per turn, as a capture agent batches its TCP stream; back off while the kernel buffer is full.
    const batch: Buffer[] = [];
    while (sent < due && batch.length < 2048) batch.push(Buffer.from(stamp === 'stamp' ? stamped(sent++) : (packets[sent++ % packets.length] as Buffer)));
    if (batch.length > 0 && !tcp.write(Buffer.concat(batch))) {
      tcp.once('drain', pump);
      return;
    }
  } else {
    while (sent < due && inFlight < 4096) {
      const b = stamp === 'stamp' ? stamped(sent) : (packets[sent % packets.length] as Buffer);
      inFlight++;
      socket.send(b, Number(port), '127.0.0.1', () => inFlight--);
      sent++;
    }
  }
  setImmediate(pump);
}
start = performance.now();
pump();
