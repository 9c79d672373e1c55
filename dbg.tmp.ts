import { readFileSync } from 'node:fs';
import { createEngine } from './src/core/engine.js';
import { loadKnowledge } from './src/knowledge/load-knowledge.js';
import { scanEvidence } from './src/core/trace/evidence/log-evidence.js';
const kb = loadKnowledge();
const e = createEngine(kb);
const phrases = { reasonOf: (c: number) => kb.code(c)?.reason, codeOf: (p: string) => kb.phrase(p)?.code };
for (const f of process.argv.slice(2)) {
  const text = readFileSync(f, 'utf8');
  const r = e.triageBytes(readFileSync(f), f).report;
  console.log('==', f, r.format);
  for (const en of r.entries) console.log('  msg', en.message.line, en.message.method ?? en.message.status, JSON.stringify(en.message.callId), en.message.cseq?.seq, en.message.cseq?.method, en.message.meta.inferred?.basis ?? '');
  for (const c of r.calls) console.log('  call', c.call.callId, c.call.method, c.call.outcome, c.call.final?.message.status);
  for (const ev of scanEvidence(text.split('\n'), () => false, phrases).evidence) console.log('  ev', ev.line, ev.code, ev.method, ev.callId, ev.text.slice(0, 100));
}
