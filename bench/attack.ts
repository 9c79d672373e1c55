import { benchAttackCaptures } from './attack-captures.js';
import { benchAttackHep } from './attack-hep.js';
import { benchAttackIngest } from './attack-ingest.js';
import type { BenchResult } from './stats.js';

/**
 * `npm run bench attack`: the heavy parts of the attack suite (test/attack/, issue 13) as figures rather than
 * assertions, each against the service in a process of its own on 127.0.0.1: three 60 MB captures through
 * Slack's file path, SIGKILL during /ingest streams, and 600 silent HEP TCP connections beside a real agent.
 */
export async function benchAttack(): Promise<BenchResult[]> {
  const captures = await benchAttackCaptures();
  const ingest = await benchAttackIngest();
  const hep = await benchAttackHep();
  return [...captures, ...ingest, ...hep];
}
