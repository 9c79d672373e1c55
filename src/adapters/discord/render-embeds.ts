import type { APIEmbed, APIEmbedField } from 'discord.js';
import type { Card, CardFinding, CardSection, Tone } from '../../core/card/card.js';
import { linkedItems } from '../../core/card/item-links.js';
import { SEVERITY_MARK } from '../../core/card/render-text.js';
import { clipWords, fitLines, moreLine } from './fit-text.js';
import { DISCORD_LIMITS as L } from './limits.js';

/** Embed side colours by tone: the response class for code cards, the worst severity for triage. */
export const TONE_COLOUR: Readonly<Record<Tone, number>> = {
  neutral: 0x95a5a6,
  info: 0x3498db,
  success: 0x2ecc71,
  redirect: 0x5865f2,
  warning: 0xf1c40f,
  danger: 0xe74c3c,
  critical: 0x992d22,
};

// The long-form "Meaning" field goes into the description, under the one-line summary.
const MEANING = 'Meaning';
// Room kept for the "…and N more" field when later fields may not fit.
const NOTE_RESERVE = 160;
const FOOTER_MAX = 400;

/** Characters an embed counts against the 6000-per-message total (Discord's embed limits). */
export function embedLength(e: APIEmbed): number {
  let n = (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
  for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

/**
 * One card as one embed within `budget` characters (at most 6000): title with code and reason, colour by
 * class, the meaning as description, inline fields for owner and retry, then findings with their evidence
 * and the card's sections as fields (a long one continued in the next), the RFC link as the title's URL. What does not fit is cut at a line and
 * counted ("…and N more"); sections that do not fit at all are named in a last field.
 */
export function renderEmbed(card: Card, budget: number = L.embedTotal): APIEmbed {
  const title = clipWords(card.title, L.title);
  const link = card.links[0];
  const footer = footerText(card);
  const meaning = card.fields.find((f) => f.label === MEANING && !f.inline)?.value;
  let room = Math.min(budget, L.embedTotal) - title.length - footer.length;

  const candidates = [
    ...card.fields.filter((f) => f.value.trim() !== '' && !(f.label === MEANING && !f.inline)).map((f) => ({ name: f.label, lines: f.value.split('\n'), inline: f.inline === true })),
    ...(card.findings ?? []).map(findingField),
    ...card.sections.flatMap((s) => continued(sectionField(s))),
    ...linksField(card),
  ];
  // The description gets what it needs, but leaves the fields at least half of the budget when they exist.
  const descMax = Math.min(L.description, candidates.length === 0 ? room : Math.max(200, Math.floor(room / 2)));
  const description = describe(card.summary, meaning, descMax);
  room -= description.length;

  const fields: APIEmbedField[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    if (c === undefined) break;
    const left = candidates.length - i - 1;
    const reserve = left > 0 ? NOTE_RESERVE : 0;
    const name = clipWords(c.name, L.fieldName);
    const valueMax = Math.min(L.fieldValue, room - reserve - name.length);
    const slotsLeft = L.fieldsPerEmbed - fields.length - (left > 0 ? 1 : 0);
    if (valueMax < 40 || slotsLeft < 1) {
      // A section cut part-way is named once, by its own title, however many continuation fields it has left.
      const names = [...new Set(candidates.slice(i).map((x) => x.name.replace(/ \(continued\)$/, '')))];
      const note = omittedField(names, room);
      if (note !== undefined) fields.push(note);
      break;
    }
    const value = fitLines(c.lines, valueMax) || '—';
    fields.push({ name, value, ...(c.inline ? { inline: true } : {}) });
    room -= name.length + value.length;
  }

  return {
    title,
    ...(link === undefined ? {} : { url: link.url }),
    color: TONE_COLOUR[card.tone],
    ...(description === '' ? {} : { description }),
    ...(fields.length === 0 ? {} : { fields }),
    ...(footer === '' ? {} : { footer: { text: footer } }),
  };
}

// Summary and meaning are prose, one paragraph each: the summary is kept whole where it can be, the meaning
// is cut at a word when it does not fit.
function describe(summary: string, meaning: string | undefined, max: number): string {
  const head = clipWords(summary, max);
  if (meaning === undefined || meaning === '') return head;
  const sep = head === '' ? '' : '\n\n';
  const left = max - head.length - sep.length;
  return left < 40 ? head : `${head}${sep}${clipWords(meaning, left)}`;
}

// Footers show no links (Discord does not make them clickable): the first link is the title's, the others a field.
function footerText(card: Card): string {
  return clipWords(card.footer ?? '', FOOTER_MAX);
}

function linksField(card: Card): { name: string; lines: string[]; inline: boolean }[] {
  const more = card.links.slice(1);
  return more.length === 0 ? [] : [{ name: 'Links', lines: more.map((l) => `[${l.label.replace(/[[\]]/g, '')}](${l.url})`), inline: false }];
}

/**
 * A section longer than one field value goes on in the next field, "(continued)", so a part opened on its own
 * is shown whole; a single line longer than a field is split between words.
 */
function continued(field: { name: string; lines: string[]; inline: boolean }): { name: string; lines: string[]; inline: boolean }[] {
  const pieces = field.lines.flatMap((line) => splitWords(line, L.fieldValue));
  const out: { name: string; lines: string[]; inline: boolean }[] = [];
  let current: string[] = [];
  let used = 0;
  for (const piece of pieces) {
    if (current.length > 0 && used + 1 + piece.length > L.fieldValue) {
      out.push({ ...field, name: out.length === 0 ? field.name : `${field.name} (continued)`, lines: current });
      current = [];
      used = 0;
    }
    used += (current.length === 0 ? 0 : 1) + piece.length;
    current.push(piece);
  }
  out.push({ ...field, name: out.length === 0 ? field.name : `${field.name} (continued)`, lines: current });
  return out;
}

function splitWords(line: string, max: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const space = rest.lastIndexOf(' ', max);
    const at = space > max * 0.6 ? space : max;
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  out.push(rest);
  return out;
}

function sectionField(s: CardSection): { name: string; lines: string[]; inline: boolean } {
  // A field holds 1024 characters: links are dropped, last first, before the items would be continued or cut.
  const items = linkedItems(s, (item, i, link) => `${s.ordered === true ? `${i + 1}.` : '•'} ${item}${link === undefined ? '' : ` [${link.label}](${link.url})`}`, L.fieldValue - (s.text?.length ?? 0) - 1);
  return { name: s.title, lines: [...(s.text === undefined || s.text === '' ? [] : [s.text]), ...items], inline: false };
}

function findingField(f: CardFinding): { name: string; lines: string[]; inline: boolean } {
  return { name: `${SEVERITY_MARK[f.severity]} ${f.title}`, lines: [f.detail, ...f.evidence.map((e) => `↳ ${e}`)], inline: false };
}

function omittedField(names: readonly string[], room: number): APIEmbedField | undefined {
  const name = moreLine(names.length);
  const value = clipWords(names.join(', '), Math.min(L.fieldValue, room - name.length));
  return room - name.length < 10 ? undefined : { name, value };
}
