import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  filesOver,
  LAYERS,
  levelOf,
  medianLines,
  readImportGraph,
  roomCycles,
  unplacedRooms,
  upwardImports,
  type ImportGraph,
  type SourceFile,
} from './import-graph.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

// STYLE.md: split past 400 lines, median around 150.
const MAX_LINES = 400;
const MEDIAN_UNDER = 150;

describe('the layers of src/', () => {
  const graph = readImportGraph(SRC);

  it('reads the real tree: hundreds of files, and the edges everyone knows are there', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('app/start.ts')?.imports).toContain('ports/surface.ts');
    expect(graph.get('core/engine.ts')?.imports.some((t) => t.startsWith('knowledge/'))).toBe(true);
  });

  it('gives every room of src/ a place in the layer order', () => {
    expect(unplacedRooms(graph)).toEqual([]);
  });

  it('has no file that imports from a room above its own', () => {
    expect(upwardImports(graph)).toEqual([]);
  });

  it('has no cycle between rooms, not even between rooms on one level', () => {
    expect(roomCycles(graph)).toEqual([]);
  });

  it(`has no file over ${MAX_LINES} lines`, () => {
    expect(filesOver(graph, MAX_LINES)).toEqual([]);
  });

  it(`keeps the median file under ${MEDIAN_UNDER} lines`, () => {
    expect(medianLines(graph)).toBeLessThan(MEDIAN_UNDER);
  });
});

// The checks above pass on a clean tree; these show they would fail on a bad one.
describe('the layer checks catch what they are for', () => {
  const file = (path: string, imports: readonly string[] = [], lines = 10): [string, SourceFile] => [path, { path, lines, imports }];
  const clean: [string, SourceFile][] = [
    file('core/engine.ts', ['knowledge/knowledge-base.ts', 'errors/errors.ts']),
    file('knowledge/knowledge-base.ts', ['errors/errors.ts']),
    file('errors/errors.ts'),
    file('ports/logger.ts'),
    file('ingest/start-ingest.ts', ['ports/logger.ts', 'alerts/alert-service.ts', 'core/engine.ts']),
    file('alerts/alert-service.ts', ['ports/logger.ts']),
    file('app/start.ts', ['ingest/start-ingest.ts', 'alerts/alert-service.ts']),
    file('cli/main.ts', ['app/start.ts']),
  ];

  it('finds nothing in a clean graph', () => {
    const graph: ImportGraph = new Map(clean);
    expect(upwardImports(graph)).toEqual([]);
    expect(roomCycles(graph)).toEqual([]);
  });

  it('fails on a planted upward import: a feature reaching into the composition root', () => {
    const graph: ImportGraph = new Map([...clean, file('ingest/event-recorder.ts', ['app/metrics.ts'])]);
    expect(upwardImports(graph)).toEqual(['ingest/event-recorder.ts -> app/metrics.ts']);
  });

  it('fails on knowledge importing the core it sits below', () => {
    const graph: ImportGraph = new Map([...clean, file('knowledge/load-knowledge.ts', ['core/errors.ts'])]);
    expect(upwardImports(graph)).toEqual(['knowledge/load-knowledge.ts -> core/errors.ts']);
    expect(roomCycles(graph)).toEqual([['core', 'knowledge']]);
  });

  it('fails on a planted cycle between two rooms of one level, which no upward import shows', () => {
    const graph: ImportGraph = new Map([...clean, file('alerts/alerts-command.ts', ['ingest/recent-calls.ts']), file('ingest/recent-calls.ts')]);
    expect(upwardImports(graph)).toEqual([]);
    expect(roomCycles(graph)).toEqual([['alerts', 'ingest']]);
  });

  it('fails on a cycle round three rooms', () => {
    const graph: ImportGraph = new Map([
      file('commands/a.ts', ['digest/b.ts']),
      file('digest/b.ts', ['alerts/c.ts']),
      file('alerts/c.ts', ['commands/a.ts']),
    ]);
    expect(roomCycles(graph)).toEqual([['alerts', 'commands', 'digest']]);
  });

  it('names a room the order does not place, and a file too long', () => {
    const graph: ImportGraph = new Map([...clean, file('widgets/w.ts', [], 401)]);
    expect(unplacedRooms(graph)).toEqual(['widgets']);
    expect(filesOver(graph, MAX_LINES)).toEqual(['widgets/w.ts (401 lines)']);
  });

  it('takes the median of the file sizes', () => {
    expect(medianLines(new Map([file('core/a.ts', [], 10), file('core/b.ts', [], 500), file('core/c.ts', [], 20)]))).toBe(20);
    expect(medianLines(new Map([file('core/a.ts', [], 10), file('core/b.ts', [], 30)]))).toBe(20);
  });

  it('orders the rooms from the bottom: knowledge below core, ports below features, cli at the top', () => {
    const level = (room: string) => levelOf(room, LAYERS) ?? Number.NaN;
    expect(level('knowledge')).toBeLessThan(level('core'));
    expect(level('core')).toBeLessThan(level('ports'));
    expect(level('ports')).toBeLessThan(level('store'));
    expect(level('store')).toBe(level('render'));
    expect(level('render')).toBeLessThan(level('ingest'));
    expect(level('probes')).toBe(level('ingest'));
    expect(level('ingest')).toBeLessThan(level('adapters'));
    expect(level('adapters')).toBeLessThan(level('app'));
    expect(level('app')).toBeLessThan(level('cli'));
  });
});
