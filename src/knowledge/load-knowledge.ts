import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load as parseYaml } from 'js-yaml';
import { z } from 'zod';
import { KnowledgeError } from '../core/errors.js';
import { KnowledgeBase, type KnowledgeData } from './knowledge-base.js';
import {
  ClassEntry,
  CodeEntry,
  Platform,
  Q850Cause,
  Scenario,
  TeamsCode,
  UnregisteredCode,
  WarningCode,
} from './schema.js';

/** knowledge/ sits beside src/ and dist/ at the package root. */
export const defaultKnowledgeDir = fileURLToPath(new URL('../../knowledge/', import.meta.url));

function readYaml(root: string, file: string): unknown {
  let raw: string;
  try {
    raw = readFileSync(join(root, file), 'utf8');
  } catch (err) {
    throw new KnowledgeError(file, 'cannot be read', { cause: err });
  }
  try {
    return parseYaml(raw, { filename: file });
  } catch (err) {
    throw new KnowledgeError(file, `is not valid YAML: ${(err as Error).message.split('\n')[0] ?? ''}`, { cause: err });
  }
}

function validate<S extends z.ZodType>(schema: S, value: unknown, file: string, prefix: (string | number)[] = []): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [...prefix, ...(issue?.path ?? [])].map(String).join('.') || '(root)';
  throw new KnowledgeError(file, `${path}: ${issue?.message ?? 'invalid'}`, { cause: result.error });
}

function list<S extends z.ZodType>(schema: S, root: string, file: string): z.output<S>[] {
  return validate(z.array(schema), readYaml(root, file), file);
}

function yamlFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `${dir}/${f}`);
}

/**
 * Reads and validates every knowledge file. Throws KnowledgeError naming the file and field on the first
 * problem, because a bot that answers from half-valid data is worse than one that refuses to start.
 */
export function loadKnowledge(root: string = defaultKnowledgeDir): KnowledgeBase {
  const codes = yamlFiles(root, 'codes').map((file) => {
    const entry = validate(CodeEntry, readYaml(root, file), file);
    const expected = `codes/${entry.code}.yaml`;
    if (file !== expected) throw new KnowledgeError(file, `code: ${entry.code} belongs in ${expected}`);
    return entry;
  });
  const scenarios = yamlFiles(root, 'scenarios').map((file) => validate(Scenario, readYaml(root, file), file));
  const data: KnowledgeData = {
    codes,
    scenarios,
    unregistered: list(UnregisteredCode, root, 'unregistered.yaml'),
    classes: list(ClassEntry, root, 'classes.yaml'),
    q850: list(Q850Cause, root, 'q850.yaml'),
    warnings: list(WarningCode, root, 'warnings.yaml'),
    teams: list(TeamsCode, root, 'teams.yaml'),
    platforms: list(Platform, root, 'platforms.yaml'),
  };
  checkReferences(data);
  return new KnowledgeBase(data);
}

// Cross-file references are checked here because no single file's schema can see the others.
function checkReferences(data: KnowledgeData): void {
  const codes = new Set(data.codes.map((c) => c.code));
  const scenarios = new Set(data.scenarios.map((s) => s.id));
  for (const entry of data.codes) {
    const file = `codes/${entry.code}.yaml`;
    entry.related.forEach((code, i) => {
      if (!codes.has(code)) throw new KnowledgeError(file, `related.${i}: ${code} is not a known code`);
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
