import { fileURLToPath } from 'node:url';
import { load as parseYaml } from 'js-yaml';
import { z } from 'zod';
import { KnowledgeError } from '../errors/errors.js';
import { KnowledgeBase, type KnowledgeData } from './knowledge-base.js';
import { checkVendorStatements } from './vendor-check.js';
import {
  defaultSnapshotPath,
  fingerprint,
  listSources,
  readSnapshot,
  readSources,
  stamp,
  writeSnapshot,
  type SourceFile,
} from './snapshot.js';
import {
  ClassEntry,
  CodeEntry,
  Platform,
  PlatformTable,
  Q850Cause,
  Scenario,
  TeamsCode,
  UnregisteredCode,
  WarningCode,
} from './schema.js';

/** knowledge/ sits beside src/ and dist/ at the package root. */
export const defaultKnowledgeDir = fileURLToPath(new URL('../../knowledge/', import.meta.url));

export function parseYamlSource(file: string, text: string): unknown {
  try {
    return parseYaml(text, { filename: file });
  } catch (err) {
    throw new KnowledgeError(file, `is not valid YAML: ${(err as Error).message.split('\n')[0] ?? ''}`, { cause: err });
  }
}

/** Parsed documents by file, from the build snapshot when it matches the files, from YAML otherwise. */
export function readDocuments(root: string, snapshotPath: string): Map<string, unknown> {
  try {
    const snapshot = readSnapshot(snapshotPath);
    const files = listSources(root);
    // Unchanged sizes and mtimes: trust the snapshot without reading. Otherwise compare contents, which
    // still matches when only mtimes moved (npm pack, docker COPY).
    if (snapshot !== undefined && snapshot.stamp === stamp(root, files) && files.every((f) => f in snapshot.documents)) {
      return new Map(files.map((f) => [f, snapshot.documents[f]]));
    }
    const sources: SourceFile[] = readSources(root);
    const cached = snapshot !== undefined && snapshot.fingerprint === fingerprint(sources) ? snapshot.documents : undefined;
    return new Map(sources.map((s) => [s.file, cached !== undefined && s.file in cached ? cached[s.file] : parseYamlSource(s.file, s.text)]));
  } catch (err) {
    if (err instanceof KnowledgeError) throw err;
    throw new KnowledgeError('.', `cannot be read: ${(err as Error).message}`, { cause: err });
  }
}

function validate<S extends z.ZodType>(schema: S, value: unknown, file: string, prefix: (string | number)[] = []): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [...prefix, ...(issue?.path ?? [])].map(String).join('.') || '(root)';
  throw new KnowledgeError(file, `${path}: ${issue?.message ?? 'invalid'}`, { cause: result.error });
}


/**
 * Reads and validates every knowledge file. Throws KnowledgeError naming the file and field on the first
 * problem, because a bot that answers from half-valid data is worse than one that refuses to start.
 */
export function loadKnowledge(root: string = defaultKnowledgeDir, snapshotPath: string = defaultSnapshotPath): KnowledgeBase {
  const data = loadKnowledgeData(root, snapshotPath);
  // An unsourced or contradictory vendor statement is refused like a schema error: it is what people act on.
  const [problem] = checkVendorStatements(data);
  if (problem !== undefined) throw new KnowledgeError(problem.file, `${problem.path}: ${problem.message}`);
  return new KnowledgeBase(data);
}

/** Every file read and validated on its own and cross-checked, before the vendor-statement check. */
export function loadKnowledgeData(root: string = defaultKnowledgeDir, snapshotPath: string = defaultSnapshotPath): KnowledgeData {
  const docs = readDocuments(root, snapshotPath);
  const inDir = (dir: string): string[] => [...docs.keys()].filter((f) => f.startsWith(`${dir}/`));
  const list = <S extends z.ZodType>(schema: S, file: string): z.output<S>[] => {
    if (!docs.has(file)) throw new KnowledgeError(file, 'is missing');
    return validate(z.array(schema), docs.get(file), file);
  };
  const codes = inDir('codes').map((file) => {
    const entry = validate(CodeEntry, docs.get(file), file);
    const expected = `codes/${entry.code}.yaml`;
    if (file !== expected) throw new KnowledgeError(file, `code: ${entry.code} belongs in ${expected}`);
    return entry;
  });
  const scenarios = inDir('scenarios').map((file) => validate(Scenario, docs.get(file), file));
  const tables = inDir('platforms').map((file) => {
    const table = validate(PlatformTable, docs.get(file), file);
    if (file !== `platforms/${table.platform}.yaml`) throw new KnowledgeError(file, `platform: ${table.platform} belongs in platforms/${table.platform}.yaml`);
    return table;
  });
  const data: KnowledgeData = {
    codes,
    scenarios,
    unregistered: list(UnregisteredCode, 'unregistered.yaml'),
    classes: list(ClassEntry, 'classes.yaml'),
    q850: list(Q850Cause, 'q850.yaml'),
    warnings: list(WarningCode, 'warnings.yaml'),
    teams: list(TeamsCode, 'teams.yaml'),
    platforms: list(Platform, 'platforms.yaml'),
    tables,
  };
  checkReferences(data);
  return data;
}

// Cross-file references are checked here because no single file's schema can see the others.
function checkReferences(data: KnowledgeData): void {
  const codes = new Set(data.codes.map((c) => c.code));
  // A card may point at an unregistered code people meet instead (500 → Kamailio 477/478); the card for that
  // code says it is unregistered.
  const linkable = new Set([...codes, ...data.unregistered.map((u) => u.code)]);
  const scenarios = new Set(data.scenarios.map((s) => s.id));
  for (const entry of data.codes) {
    const file = `codes/${entry.code}.yaml`;
    entry.related.forEach((code, i) => {
      if (!linkable.has(code)) throw new KnowledgeError(file, `related.${i}: ${code} is not a known code`);
    });
    entry.scenarios.forEach((id, i) => {
      if (!scenarios.has(id)) throw new KnowledgeError(file, `scenarios.${i}: no scenario "${id}"`);
    });
  }
  for (const u of data.unregistered) {
    if (codes.has(u.code)) throw new KnowledgeError('unregistered.yaml', `${u.code} is registered; remove it here`);
  }
}

let shared: KnowledgeBase | undefined;

/** The process-wide knowledge base, loaded on first use. */
export function defaultKnowledge(): KnowledgeBase {
  shared ??= loadKnowledge();
  return shared;
}

/** Writes the build snapshot (npm run build): parsed YAML keyed by file, with the sources' fingerprint. */
export function buildSnapshot(root: string = defaultKnowledgeDir, snapshotPath: string = defaultSnapshotPath): void {
  const sources = readSources(root);
  const documents: Record<string, unknown> = {};
  for (const s of sources) documents[s.file] = parseYamlSource(s.file, s.text);
  writeSnapshot(snapshotPath, { fingerprint: fingerprint(sources), stamp: stamp(root, sources.map((s) => s.file)), documents });
  // Validate before shipping: a build with invalid knowledge must fail, not the first start.
  loadKnowledge(root, snapshotPath);
}
