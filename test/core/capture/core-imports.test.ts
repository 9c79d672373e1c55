import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Captures, ladders and share bundles are core: pure functions over bytes and text. The PNG rasteriser
// (a native binding), the file system and the platforms stay at the edge.
const DIRS = ['capture', 'ladder', 'share'];

describe('core capture, ladder and share modules', () => {
  for (const dir of DIRS) {
    it(`src/core/${dir} imports only core modules`, () => {
      const root = new URL(`../../../src/core/${dir}/`, import.meta.url);
      const files = readdirSync(root).filter((f) => f.endsWith('.ts'));
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) {
        const source = readFileSync(new URL(f, root), 'utf8');
        const imports = [...source.matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
        for (const spec of imports) expect(spec, `${dir}/${f} imports ${spec}`).toMatch(/^\.\.?\//);
        expect(source, `${dir}/${f}`).not.toMatch(/process\.env|require\(/);
      }
    });
  }
});
