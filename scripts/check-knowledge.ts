// Validates knowledge files against the schema: all of them (npm run knowledge:check), or the ones named.
// Editors of knowledge/ run this before committing; start-up and the test suite apply the same checks.
import { readFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { load } from 'js-yaml';
import { z } from 'zod';
import { defaultKnowledgeDir, loadKnowledgeData } from '../src/knowledge/load-knowledge.js';
import * as schema from '../src/knowledge/schema.js';
import { checkVendorStatements } from '../src/knowledge/vendor-check.js';

const bySingleFile: Record<string, z.ZodType> = {
  'unregistered.yaml': z.array(schema.UnregisteredCode),
  'classes.yaml': z.array(schema.ClassEntry),
  'q850.yaml': z.array(schema.Q850Cause),
  'warnings.yaml': z.array(schema.WarningCode),
  'teams.yaml': z.array(schema.TeamsCode),
  'platforms.yaml': z.array(schema.Platform),
};
const byDir: Record<string, z.ZodType> = { codes: schema.CodeEntry, scenarios: schema.Scenario, platforms: schema.PlatformTable };

// --root DIR checks another copy of knowledge/ (tests plant mistakes in a copy, never in the real files).
const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const root = rootAt >= 0 ? args[rootAt + 1] : undefined;
const files = rootAt >= 0 ? args.filter((_, i) => i !== rootAt && i !== rootAt + 1) : args;
if (files.length === 0) {
  let data;
  try {
    data = root === undefined ? loadKnowledgeData() : loadKnowledgeData(resolve(root), resolve(root, 'no-snapshot.json'));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  // Vendor statements: every problem at once, so one run gives the whole to-do list.
  const problems = checkVendorStatements(data);
  for (const p of problems) console.error(`knowledge/${p.file}: ${p.path}: ${p.message}`);
  if (problems.length > 0) {
    console.error(`${problems.length} vendor statement problem(s); sources live in knowledge/platforms/<platform>.yaml`);
    process.exit(1);
  }
  const sources = data.tables.reduce((n, t) => n + t.sources.length, 0);
  console.log(`knowledge OK: ${data.codes.length} codes, ${data.q850.length} Q.850 causes, ${data.warnings.length} warn-codes, ${sources} vendor sources in ${data.tables.length} platform tables`);
  process.exit(0);
}
let failed = 0;
for (const file of files) {
  const rel = relative(defaultKnowledgeDir, resolve(file));
  const dir = basename(dirname(resolve(file)));
  const s = byDir[dir] ?? bySingleFile[basename(file)];
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
