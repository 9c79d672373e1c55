import { execFileSync } from 'node:child_process';
import { writeBenchCapture } from './bench/capture-file.js';
const made = await writeBenchCapture('/tmp/b100.pcap', 100 * 1024 * 1024);
const out = execFileSync('tshark', ['-r', '/tmp/b100.pcap', '-T', 'fields', '-e', 'frame.number', '-e', 'sip.Status-Code', '-e', 'sip.Call-ID', '-e', 'sip.CSeq'], { maxBuffer: 1e9, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
const rows = out.split('\n').map((l) => l.split('\t')).filter((c) => c[3] !== undefined && c[3] !== '');
console.log(rows.length, made.truth.length);
let shown = 0;
for (let i = 0; i < made.truth.length && shown < 4; i++) {
  const r = rows[i]; const t = made.truth[i]!;
  if (!r || r[1] !== t.status || r[2] !== t.callId || r[3] !== t.cseq) { if (!t.spaced) { console.log(i, r, t); shown++; } }
}
