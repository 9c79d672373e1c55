import { describe, expect, it } from 'vitest';
import type { CardSection } from '../../../src/core/card/card.js';
import { linkedItems } from '../../../src/core/card/item-links.js';
import { renderCardText } from '../../../src/core/card/render-text.js';

const url = (n: number): string => `https://siptriage.example.com/calls/${'%22'.repeat(n)}?exp=1796000000&sig=${'s'.repeat(43)}`;
const section: CardSection = {
  title: 'Example calls',
  items: ['03:00:01 UTC  503 INVITE', '03:00:02 UTC  503 INVITE', '03:00:03 UTC  503 INVITE'],
  itemLinks: [{ label: 'ladder', url: url(128) }, undefined, { label: 'ladder', url: url(128) }],
};
const line = (item: string, _i: number, link: { url: string } | undefined): string => `• ${item}${link === undefined ? '' : ` [ladder](${link.url})`}`;

describe('links per section item', () => {
  it('keeps every link while the lines fit the budget', () => {
    const lines = linkedItems(section, line, 10_000);
    expect(lines[0]).toBe(`• 03:00:01 UTC  503 INVITE [ladder](${url(128)})`);
    expect(lines[1]).toBe('• 03:00:02 UTC  503 INVITE');
    expect(lines[2]).toContain('[ladder]');
  });

  it('drops links from the last item up, never an item, until the lines fit', () => {
    const one = linkedItems(section, line, 700);
    expect(one).toHaveLength(3);
    expect(one[0]).toContain('[ladder]');
    expect(one[2]).toBe('• 03:00:03 UTC  503 INVITE');
    expect(one.join('\n').length).toBeLessThanOrEqual(700);
    const none = linkedItems(section, line, 100);
    expect(none).toEqual(section.items.map((i) => `• ${i}`));
  });

  it('prints the URL whole under its row in the terminal', () => {
    const text = renderCardText({ kind: 'notice', title: 'Spike', summary: 's', tone: 'danger', fields: [], sections: [section], links: [] }, { width: 60, color: false });
    expect(text).toContain(`ladder: ${url(128)}`);
    expect(text.split('\n').find((l) => l.includes('03:00:02'))).toBe('  - 03:00:02 UTC 503 INVITE');
  });
});
