import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A build-time cache of the parsed YAML (not of validated data: validation still runs at every start).
 * YAML parsing is most of a cold start; the snapshot is used only while its fingerprint matches the
 * files on disk, so an edited knowledge file is always read from YAML.
 */
export interface SourceFile {
  readonly file: string;
  readonly text: string;
}

export interface Snapshot {
  readonly fingerprint: string;
  /** Cheap first check: file names, sizes and modification times, as when the snapshot was built. */
  readonly stamp?: string;
  readonly documents: Readonly<Record<string, unknown>>;
}

export const defaultSnapshotPath = fileURLToPath(new URL('../knowledge.snapshot.json', import.meta.url));

/** Knowledge file paths relative to the root, sorted. */
export function listSources(root: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.yaml')) files.push(entry.name);
    else if (entry.isDirectory()) {
      for (const f of readdirSync(join(root, entry.name))) if (f.endsWith('.yaml')) files.push(`${entry.name}/${f}`);
    }
  }
  return files.sort();
}

/** Every knowledge file with its text. */
export function readSources(root: string): SourceFile[] {
  return listSources(root).map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }));
}

/** Names, sizes and mtimes: when these match the snapshot, the files need not even be read. */
export function stamp(root: string, files: readonly string[]): string {
  return files
    .map((f) => {
      const st = statSync(join(root, f));
      return `${f}:${st.size}:${Math.trunc(st.mtimeMs)}`;
    })
    .join('|');
}

export function fingerprint(sources: readonly SourceFile[]): string {
  const hash = createHash('sha256');
  for (const s of sources) hash.update(s.file).update('\0').update(s.text).update('\0');
  return hash.digest('hex');
}

export function readSnapshot(path: string): Snapshot | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Snapshot>;
    return typeof parsed.fingerprint === 'string' && typeof parsed.documents === 'object' && parsed.documents !== null
      ? (parsed as Snapshot)
      : undefined;
  } catch {
    // No snapshot (a development checkout) or an unreadable one: YAML is the source of truth anyway.
    return undefined;
  }
}

export function writeSnapshot(path: string, snapshot: Snapshot): void {
  writeFileSync(path, JSON.stringify(snapshot));
}
