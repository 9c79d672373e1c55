import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The import graph of src/, read from the source text (no compiler needed), and the checks the layering
 * test runs over it. The checks take the graph as a value so a test can plant a bad edge in memory and show
 * that they catch it.
 */

/** One source file: its path relative to src/ (with "/"), its line count and the src/ files it imports. */
export interface SourceFile {
  readonly path: string;
  readonly lines: number;
  readonly imports: readonly string[];
}

export type ImportGraph = ReadonlyMap<string, SourceFile>;

/**
 * The rooms of src/ from the bottom up, written once. A file may import from its own room, from a room
 * on its own level (as long as no cycle forms) and from any level below; never from a level above.
 * Feature rooms that do not exist yet are listed so that new code has a place before it lands.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['errors'],
  ['knowledge'],
  ['core'],
  ['ports'],
  ['store', 'render'],
  ['commands', 'ingest', 'alerts', 'digest', 'media', 'calls', 'probes', 'mcp'],
  ['adapters'],
  ['app'],
  // The command line, and the library entry point (src/index.ts) that re-exports the core.
  ['cli', 'index'],
];

// Static imports and re-exports (type-only too: they couple the files just as much), side-effect imports
// and dynamic import() of a literal path.
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|(?:^|[\s;])import\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** Reads every .ts file under srcDir. Imports leaving src/ (packages, node:) are not edges. */
export function readImportGraph(srcDir: string): ImportGraph {
  const root = resolve(srcDir);
  const graph = new Map<string, SourceFile>();
  for (const abs of tsFiles(root)) {
    const text = readFileSync(abs, 'utf8');
    const imports: string[] = [];
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? '';
      const target = resolve(dirname(abs), spec.replace(/\.js$/, '.ts'));
      if (target.startsWith(root + sep)) imports.push(toKey(relative(root, target)));
    }
    graph.set(toKey(relative(root, abs)), { path: toKey(relative(root, abs)), lines: countLines(text), imports });
  }
  return graph;
}

/** The room of a file: its first folder under src/, or the file's own name for a file at the top. */
export function roomOf(path: string): string {
  const first = path.split('/')[0] ?? path;
  return path.includes('/') ? first : first.replace(/\.ts$/, '');
}

/** The level of a room in LAYERS (0 at the bottom), or undefined when the order does not place it. */
export function levelOf(room: string, layers: readonly (readonly string[])[] = LAYERS): number | undefined {
  const i = layers.findIndex((level) => level.includes(room));
  return i === -1 ? undefined : i;
}

/** Rooms present in the graph that the layer order does not name: new code must be given a place. */
export function unplacedRooms(graph: ImportGraph, layers: readonly (readonly string[])[] = LAYERS): string[] {
  const rooms = new Set([...graph.keys()].map(roomOf));
  return [...rooms].filter((r) => levelOf(r, layers) === undefined).sort();
}

/** Every import whose target sits in a room on a higher level than the importing file's room. */
export function upwardImports(graph: ImportGraph, layers: readonly (readonly string[])[] = LAYERS): string[] {
  const found: string[] = [];
  for (const file of graph.values()) {
    const from = levelOf(roomOf(file.path), layers);
    for (const target of file.imports) {
      const to = levelOf(roomOf(target), layers);
      if (from !== undefined && to !== undefined && to > from) found.push(`${file.path} -> ${target}`);
    }
  }
  return found.sort();
}

/** The room-to-room edges (imports between different rooms). */
export function roomEdges(graph: ImportGraph): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of graph.values()) {
    const a = roomOf(file.path);
    for (const target of file.imports) {
      const b = roomOf(target);
      if (a === b) continue;
      let out = edges.get(a);
      if (out === undefined) edges.set(a, (out = new Set()));
      out.add(b);
    }
  }
  return edges;
}

/** Groups of rooms that import each other, directly or round a loop; each group sorted, none when acyclic. */
export function roomCycles(graph: ImportGraph): string[][] {
  return stronglyConnected(roomEdges(graph));
}

/** Groups of files that import each other round a loop. */
export function fileCycles(graph: ImportGraph): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const file of graph.values()) edges.set(file.path, new Set(file.imports.filter((t) => t !== file.path)));
  return stronglyConnected(edges);
}

export function medianLines(graph: ImportGraph): number {
  const sizes = [...graph.values()].map((f) => f.lines).sort((a, b) => a - b);
  if (sizes.length === 0) return 0;
  const mid = Math.floor(sizes.length / 2);
  return sizes.length % 2 === 1 ? (sizes[mid] ?? 0) : ((sizes[mid - 1] ?? 0) + (sizes[mid] ?? 0)) / 2;
}

export function filesOver(graph: ImportGraph, maxLines: number): string[] {
  return [...graph.values()].filter((f) => f.lines > maxLines).map((f) => `${f.path} (${f.lines} lines)`).sort();
}

// Tarjan's algorithm; iterative depth is no concern at a few hundred nodes.
function stronglyConnected(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string | undefined;
    do {
      w = stack.pop();
      if (w === undefined) break;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1) groups.push(group.sort());
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return groups.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

// A final line without a newline still counts; an empty file has none.
function countLines(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function toKey(path: string): string {
  return path.split(sep).join('/');
}
