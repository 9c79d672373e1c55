import { execFile } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { readCapture } from '../src/core/capture/read-capture.js';
import { MediaAnalyzer } from '../src/core/media/media-analyzer.js';
import { percentile, type BenchResult } from './stats.js';

const run = promisify(execFile);
const STREAMS = 200;

/**
 * Writes a pcap of `streams` G.711 RTP streams (20 ms, 160-byte payloads) interleaved in time order, each
 * missing every 97th packet, until the file reaches `target` bytes. No SDP: the heuristic finds them, and
 * tshark is told to look for RTP the same way (--enable-heuristic rtp_udp).
 */
export function writeRtpCapture(path: string, target: number, streams: number): number {
  const fd = openSync(path, 'w');
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  writeSync(fd, header);
  const frame = Buffer.alloc(16 + 14 + 20 + 8 + 12 + 160, 0xd5);
  let size = 24;
  let packets = 0;
  const chunk: Buffer[] = [];
  for (let i = 0; size < target; i++) {
    const s = i % streams;
    const n = Math.floor(i / streams);
    if (n % 97 === 50) continue;
    const t = 1_700_000_000 * 1e6 + n * 20_000 + s * 50 + ((n * 7919 + s) % 9) * 300;
    frame.writeUInt32LE(Math.floor(t / 1e6), 0);
    frame.writeUInt32LE(t % 1e6, 4);
    frame.writeUInt32LE(frame.length - 16, 8);
    frame.writeUInt32LE(frame.length - 16, 12);
    frame.fill(0, 16, 16 + 14 + 20 + 8 + 12);
    frame.writeUInt16BE(0x0800, 28);
    const ip = 30;
    frame.writeUInt8(0x45, ip);
    frame.writeUInt16BE(20 + 8 + 172, ip + 2);
    frame.writeUInt8(64, ip + 8);
    frame.writeUInt8(17, ip + 9);
    frame.writeUInt32BE((10 << 24) | (1 << 16) | s, ip + 12);
    frame.writeUInt32BE((10 << 24) | (2 << 16) | s, ip + 16);
    const udp = ip + 20;
    frame.writeUInt16BE(20000 + 2 * s, udp);
    frame.writeUInt16BE(30000 + 2 * s, udp + 2);
    frame.writeUInt16BE(8 + 172, udp + 4);
    frame.writeUInt16BE(0, udp + 6);
    const rtp = udp + 8;
    frame.writeUInt8(0x80, rtp);
    frame.writeUInt8(8, rtp + 1);
    frame.writeUInt16BE((s * 1000 + n) & 0xffff, rtp + 2);
    frame.writeUInt32BE((n * 160) >>> 0, rtp + 4);
    frame.writeUInt32BE((0x10000000 + s) >>> 0, rtp + 8);
    chunk.push(Buffer.from(frame));
    size += frame.length;
    packets++;
    if (chunk.length === 4096) {
      writeSync(fd, Buffer.concat(chunk));
      chunk.length = 0;
    }
  }
  writeSync(fd, Buffer.concat(chunk));
  closeSync(fd);
  return packets;
}

function analyse(bytes: Uint8Array): { ms: number; streams: number; packets: number; lost: number; heapMb: number } {
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const media = new MediaAnalyzer();
  readCapture(bytes, { media });
  const report = media.finish();
  const ms = performance.now() - t0;
  const heapMb = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
  return { ms, streams: report.streams.length, packets: report.streams.reduce((n, s) => n + s.packets, 0), lost: report.streams.reduce((n, s) => n + s.lost, 0), heapMb };
}

/**
 * RTP packets analysed per second on a ~100 MB capture that is all RTP, against tshark -q -z rtp,streams on
 * the same file in the same run; and the heap the analysis holds on a quarter of the file against the whole,
 * which must not grow with the packet count (state is per stream).
 */
export async function benchMedia(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'siptriage-media-'));
  try {
    const big = join(dir, 'rtp.pcap');
    const small = join(dir, 'rtp-quarter.pcap');
    const packets = writeRtpCapture(big, 100 * 1024 * 1024, STREAMS);
    writeRtpCapture(small, 25 * 1024 * 1024, STREAMS);
    console.log(`media: ${(statSync(big).size / 1024 / 1024).toFixed(1)} MiB, ${packets} RTP packets in ${STREAMS} streams`);
    const bytes = readFileSync(big);
    const times: number[] = [];
    let last = analyse(bytes);
    for (let i = 0; i < 3; i++) {
      last = analyse(bytes);
      times.push(last.ms);
    }
    if (last.streams !== STREAMS || last.packets !== packets) throw new Error(`media bench: found ${last.streams} streams, ${last.packets} packets`);
    const ours = packets / (percentile(times, 50) / 1000);
    const quarter = analyse(readFileSync(small));
    const results: BenchResult[] = [
      { name: 'media: siptriage RTP analysis, in memory (median of 3)', value: ours, unit: 'RTP pkt/s' },
      { name: 'media: heap held after the whole file (100 MB)', value: last.heapMb, unit: 'MB' },
      { name: 'media: heap held after a quarter of it (25 MB)', value: quarter.heapMb, unit: 'MB' },
    ];
    const t0 = performance.now();
    try {
      const out = await run('tshark', ['-q', '-r', big, '--enable-heuristic', 'rtp_udp', '-z', 'rtp,streams'], { maxBuffer: 64 * 1024 * 1024 });
      const ms = performance.now() - t0;
      const rows = out.stdout.split('\n').filter((l) => /0x1000/.test(l));
      const theirPackets = rows.reduce((n, l) => n + Number(l.trim().split(/\s+/)[8]), 0);
      const theirLost = rows.reduce((n, l) => n + Number(l.trim().split(/\s+/)[9]), 0);
      const tshark = packets / (ms / 1000);
      results.push(
        { name: 'media: tshark -q -z rtp,streams, same file', value: tshark, unit: 'RTP pkt/s' },
        { name: 'media: siptriage / tshark', value: ours / tshark, unit: '× (target ≥ 10)' },
        { name: 'media: streams / packets / lost, siptriage vs tshark differing', value: Number(rows.length !== last.streams) + Number(theirPackets !== last.packets) + Number(theirLost !== last.lost), unit: 'of 3 totals' },
      );
    } catch (err) {
      console.log(`  (tshark could not run: ${(err as Error).message.split('\n')[0]}; the comparison is skipped)`);
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
