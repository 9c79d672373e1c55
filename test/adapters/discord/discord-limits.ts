import { expect } from 'vitest';

/**
 * Discord's documented limits, written out again here (not imported from the renderer) so the tests check
 * the renderer against the platform, not against itself.
 * discord.com/developers/docs/resources/message#embed-object-embed-limits
 */
const LIMIT = { embeds: 10, fields: 25, title: 256, description: 4096, fieldName: 256, fieldValue: 1024, footer: 2048, author: 256, total: 6000, content: 2000, customId: 100, rows: 5, buttonsPerRow: 5, buttonLabel: 80 };

/** Every limit a message body (create, edit, interaction callback data, webhook) must respect. */
export function expectWithinDiscordLimits(body: any): void {
  const embeds: any[] = body?.embeds ?? [];
  expect(embeds.length).toBeLessThanOrEqual(LIMIT.embeds);
  expect(String(body?.content ?? '').length).toBeLessThanOrEqual(LIMIT.content);
  let total = 0;
  for (const e of embeds) {
    expect(String(e.title ?? '').length).toBeLessThanOrEqual(LIMIT.title);
    expect(String(e.description ?? '').length).toBeLessThanOrEqual(LIMIT.description);
    expect(String(e.footer?.text ?? '').length).toBeLessThanOrEqual(LIMIT.footer);
    expect(String(e.author?.name ?? '').length).toBeLessThanOrEqual(LIMIT.author);
    const fields: any[] = e.fields ?? [];
    expect(fields.length).toBeLessThanOrEqual(LIMIT.fields);
    for (const f of fields) {
      expect(f.name.length).toBeGreaterThan(0);
      expect(f.value.length).toBeGreaterThan(0);
      expect(f.name.length).toBeLessThanOrEqual(LIMIT.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(LIMIT.fieldValue);
      total += f.name.length + f.value.length;
    }
    total += String(e.title ?? '').length + String(e.description ?? '').length + String(e.footer?.text ?? '').length + String(e.author?.name ?? '').length;
  }
  expect(total).toBeLessThanOrEqual(LIMIT.total);
  const rows: any[] = body?.components ?? [];
  expect(rows.length).toBeLessThanOrEqual(LIMIT.rows);
  const ids: string[] = [];
  for (const row of rows) {
    expect(row.type).toBe(1);
    expect((row.components ?? []).length).toBeGreaterThan(0);
    expect((row.components ?? []).length).toBeLessThanOrEqual(LIMIT.buttonsPerRow);
    for (const c of row.components ?? []) {
      if (c.custom_id !== undefined) {
        expect(c.custom_id.length).toBeLessThanOrEqual(LIMIT.customId);
        ids.push(c.custom_id);
      }
      if (c.label !== undefined) expect(c.label.length).toBeLessThanOrEqual(LIMIT.buttonLabel);
    }
  }
  // Discord rejects a message whose components share a custom id.
  expect(new Set(ids).size).toBe(ids.length);
}

/** The embed characters of a message body, as Discord counts them against the 6000 total. */
export function embedChars(body: any): number {
  let total = 0;
  for (const e of body?.embeds ?? []) {
    total += String(e.title ?? '').length + String(e.description ?? '').length + String(e.footer?.text ?? '').length;
    for (const f of e.fields ?? []) total += f.name.length + f.value.length;
  }
  return total;
}

/**
 * Attachments of one message: at most 10 files and, without a boosted server, 25 MiB in all
 * (discord.com/developers/docs/reference#uploading-files); each with a name Discord can show.
 */
export function expectWithinDiscordUploadLimits(request: { files: readonly { name: string; size: number }[] }): void {
  expect(request.files.length).toBeLessThanOrEqual(10);
  expect(request.files.reduce((n, f) => n + f.size, 0)).toBeLessThanOrEqual(25 * 1024 * 1024);
  for (const f of request.files) {
    expect(f.name.length).toBeGreaterThan(0);
    expect(f.size).toBeGreaterThan(0);
  }
}
