// Validates knowledge files against the schema: all of them (npm run knowledge:check), or the ones named.
// Editors of knowledge/ run this before committing; start-up and the test suite apply the same checks.
import { readFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { load } from 'js-yaml';
import { z } from 'zod';
import { defaultKnowledgeDir, loadKnowledge } from '../src/knowledge/load-knowledge.js';
import * as schema from '../src/knowledge/schema.js';

const bySingleFile: Record<string, z.ZodType> = {
  'unregistered.yaml': z.array(schema.UnregisteredCode),
  'classes.yaml': z.array(schema.ClassEntry),
  'q850.yaml': z.array(schema.Q850Cause),
  'warnings.yaml': z.array(schema.WarningCode),
  'teams.yaml': z.array(schema.TeamsCode),
  'platforms.yaml': z.array(schema.Platform),
};

const files = process.argv.slice(2);
if (files.length === 0) {
  let kb;
  try {
    kb = loadKnowledge();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  console.log(`knowledge OK: ${kb.data.codes.length} codes, ${kb.data.q850.length} Q.850 causes, ${kb.data.warnings.length} warn-codes`);
  process.exit(0);
}
let failed = 0;
for (const file of files) {
  const rel = relative(defaultKnowledgeDir, resolve(file));
  const dir = basename(dirname(resolve(file)));
  const s = dir === 'codes' ? schema.CodeEntry : dir === 'scenarios' ? schema.Scenario : bySingleFile[basename(file)];
  if (s === undefined) {
    console.error(`${rel}: no schema for this file`);
    failed++;
    continue;
  }
  let doc: unknown;
  try {
    doc = load(readFileSync(file, 'utf8'));
  } catch (err) {
    console.error(`${rel}: ${(err as Error).message.split('\n')[0] ?? 'cannot be read'}`);
    failed++;
    continue;
  }
  const result = s.safeParse(doc);
  if (result.success) console.log(`${rel}: ok`);
  else {
    failed++;
    for (const issue of result.error.issues) console.error(`${rel}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
