// npm run bench [name…]: every benchmark, or the ones named. Figures are relative to baselines measured
// in the same run where a comparison makes sense; absolute numbers vary with the machine's load.
import { benchAttack } from './attack.js';
import { benchCalls } from './calls.js';
import { benchCapture } from './capture.js';
import { benchDigest } from './digest.js';
import { benchDiscord } from './discord.js';
import { benchIngest } from './ingest.js';
import { benchKnowledge } from './knowledge.js';
import { benchLadder } from './ladder.js';
import { benchMedia } from './media.js';
import { benchParse } from './parse.js';
import { benchSlack } from './slack.js';
import { printResults, type BenchResult } from './stats.js';
import { benchStore } from './store.js';
import { benchTriage } from './triage.js';
import { benchWild } from './wild.js';

const suites: Record<string, () => BenchResult[] | Promise<BenchResult[]>> = {
  knowledge: benchKnowledge,
  capture: benchCapture,
  media: benchMedia,
  parse: benchParse,
  triage: benchTriage,
  ladder: benchLadder,
  slack: benchSlack,
  discord: benchDiscord,
  ingest: benchIngest,
  store: benchStore,
  calls: benchCalls,
  digest: benchDigest,
  wild: benchWild,
  attack: benchAttack,
};

const wanted = process.argv.slice(2);
for (const [name, run] of Object.entries(suites)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  printResults(name, await run());
}
