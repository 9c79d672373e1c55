import { describe, expect, it } from 'vitest';
import { withinUploadLimit } from '../../../src/adapters/discord/share-carrier.js';
import type { ShareFile } from '../../../src/core/share/share-bundle.js';

const file = (name: string, bytes: number): ShareFile => ({ name, mediaType: 'text/plain', content: new Uint8Array(bytes) });

describe('withinUploadLimit', () => {
  it('keeps every file of a normal bundle', () => {
    const files = [file('summary.md', 2_000), file('trace.txt', 40_000), file('ladder.png', 90_000), file('ladder.mmd', 1_000)];
    expect(withinUploadLimit(files, 25 * 1024 * 1024)).toEqual({ files, left: [] });
  });

  it('leaves out what would take the message over the upload limit, and keeps what still fits after it', () => {
    const { files, left } = withinUploadLimit([file('summary.md', 100), file('trace.txt', 30 * 1024 * 1024), file('ladder.png', 500)], 25 * 1024 * 1024);
    expect(files.map((f) => f.name)).toEqual(['summary.md', 'ladder.png']);
    expect(left.map((f) => f.name)).toEqual(['trace.txt']);
  });

  it('sends at most ten files', () => {
    const many = Array.from({ length: 12 }, (_, i) => file(`f${i}.txt`, 10));
    expect(withinUploadLimit(many, 1_000_000).files).toHaveLength(10);
  });
});
