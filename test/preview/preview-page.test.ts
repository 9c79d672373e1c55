import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PREVIEW_CASES } from '../../scripts/preview/cases.js';
import { collectPreview } from '../../scripts/preview/collect.js';
import { discordFacts, readable, slackFacts } from '../../scripts/preview/first-screen.js';
import { writePreview } from '../../scripts/preview/main.js';
import type { CapturedCase } from '../../scripts/preview/payloads.js';
import { pngSize } from '../../scripts/preview/payloads.js';
import { chromiumAvailable, dumpDom, elementsAttributes, screenshot } from './chromium.js';

// The review page in a real browser: Debian's chromium lays it out, the page's own script measures what each
// answer shows above its first-screen line, and the test reads that back from the DOM. The page and its
// screenshot stay in a temp directory for a person to look at (the path is printed).
const available = chromiumAvailable();
if (!available && process.env['CI'] === '1') throw new Error('chromium is required in CI (apt install chromium): /usr/bin/chromium is missing');
const WIDTH = 1280;
const HEIGHT = 800;

let dir: string;
let page: string;
let cases: CapturedCase[];
let answers: Record<string, string>[];
let dom: string;

beforeAll(async () => {
  if (!available) return;
  dir = mkdtempSync(join(tmpdir(), 'siptriage-preview-'));
  cases = await collectPreview();
  page = await writePreview(join(dir, 'index.html'), cases);
  dom = await dumpDom(page, WIDTH, HEIGHT);
  answers = elementsAttributes(dom, 'div class="answer ');
}, 120_000);

describe.skipIf(!available)('npm run preview, in headless chromium', () => {
  it('writes a self-contained page: inline styles and images, nothing fetched', () => {
    const html = readFileSync(page, 'utf8');
    expect(html).not.toMatch(/<link\b|@import|@font-face|url\(\s*['"]?https?:/i);
    expect(html).not.toMatch(/<(?:img|script|iframe)\b[^>]*\bsrc="https?:/i);
    expect(html).toContain("default-src 'none'");
  });

  it('measures every answer after layout', () => {
    expect(dom).toContain('data-measured="yes"');
    expect(answers).toHaveLength(PREVIEW_CASES.length * 2);
    for (const a of answers) expect((a['data-first-screen'] ?? '').length, `${a['data-case']} ${a['data-platform']}`).toBeGreaterThan(0);
  });

  it.each(PREVIEW_CASES.map((c) => c.id))("shows %s's headline and do-now lines on the first screen", (id) => {
    const c = cases.find((x) => x.case.id === id);
    expect(c).toBeDefined();
    for (const [platform, facts] of [['slack', slackFacts(c!)], ['discord', discordFacts(c!)]] as const) {
      const shown = answers.find((a) => a['data-case'] === id && a['data-platform'] === platform)?.['data-first-screen'] ?? '';
      expect(facts.headline.length, `${id} ${platform} has a headline`).toBeGreaterThan(0);
      for (const line of [...facts.headline, ...facts.doNow]) expect(readable(shown), `${id} on ${platform}: "${line}"`).toContain(readable(line));
    }
  });

  it('screenshots the whole page as a PNG to look at', async () => {
    const height = Number(/data-page-height="(\d+)"/.exec(dom)?.[1] ?? HEIGHT);
    const png = join(dir, 'preview.png');
    await screenshot(page, png, WIDTH, Math.min(height, 30_000));
    expect(existsSync(png)).toBe(true);
    const size = pngSize(new Uint8Array(readFileSync(png)));
    expect(size.width).toBe(WIDTH);
    expect(size.height).toBeGreaterThan(HEIGHT);
    expect(statSync(png).size).toBeGreaterThan(10_000);
    console.log(`preview page: ${page}\nscreenshot: ${png}`);
  }, 120_000);
});
