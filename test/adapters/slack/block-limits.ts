import { expect } from 'vitest';
import { slackTexts } from '../../../scripts/preview/budgets.js';

/**
 * Asserts a message Slack would accept, checked against Slack's published limits
 * (https://docs.slack.dev/reference/block-kit/blocks) independently of the renderer's own constants.
 */
export function expectWithinSlackLimits(message: { text?: unknown; blocks?: unknown }): void {
  expect(typeof message.text).toBe('string');
  expect((message.text as string).length).toBeGreaterThan(0);
  const blocks = message.blocks as Record<string, unknown>[];
  expect(Array.isArray(blocks)).toBe(true);
  expect(blocks.length).toBeGreaterThan(0);
  expect(blocks.length).toBeLessThanOrEqual(50);
  for (const block of blocks) {
    if (block['type'] === 'header') expect(textOf(block['text']).length).toBeLessThanOrEqual(150);
    if (block['type'] === 'section') {
      const fields = (block['fields'] as unknown[] | undefined) ?? [];
      expect(fields.length).toBeLessThanOrEqual(10);
      for (const f of fields) expect(textOf(f).length).toBeLessThanOrEqual(2000);
      expect(block['text'] !== undefined || fields.length > 0).toBe(true);
    }
    if (block['type'] === 'context') expect((block['elements'] as unknown[]).length).toBeLessThanOrEqual(10);
    if (block['type'] === 'actions') {
      const elements = block['elements'] as Record<string, unknown>[];
      expect(elements.length).toBeGreaterThan(0);
      expect(elements.length).toBeLessThanOrEqual(25);
      for (const e of elements) {
        expect(textOf(e['text']).length).toBeLessThanOrEqual(75);
        expect(String(e['value'] ?? '').length).toBeLessThanOrEqual(2000);
        expect(String(e['action_id'] ?? '').length).toBeLessThanOrEqual(255);
        // A confirmation dialog (https://docs.slack.dev/reference/block-kit/composition-objects/confirmation-dialog-object).
        const confirm = e['confirm'] as Record<string, unknown> | undefined;
        if (confirm !== undefined) {
          expect(textOf(confirm['title']).length).toBeLessThanOrEqual(100);
          expect(textOf(confirm['text']).length).toBeLessThanOrEqual(300);
          expect(textOf(confirm['confirm']).length).toBeLessThanOrEqual(30);
          expect(textOf(confirm['deny']).length).toBeLessThanOrEqual(30);
        }
      }
      // Slack wants action_ids unique within their block.
      const ids = elements.map((e) => e['action_id']);
      expect(new Set(ids).size).toBe(ids.length);
    }
  }
  for (const t of textObjects(blocks)) {
    expect(t.length).toBeGreaterThan(0);
    expect(t.length).toBeLessThanOrEqual(3000);
  }
}

/** Every text object's text anywhere in the blocks (the preview's walker, one copy for both). */
export const textObjects = slackTexts;

/** All visible text of a message, for content assertions. */
export function allText(message: { blocks?: unknown }): string {
  return textObjects(message.blocks).join('\n');
}

function textOf(t: unknown): string {
  return typeof t === 'object' && t !== null && typeof (t as { text?: unknown }).text === 'string' ? (t as { text: string }).text : '';
}
