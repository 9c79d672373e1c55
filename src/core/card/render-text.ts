import type { Card, Tone } from './card.js';

export interface TextOptions {
  /** ANSI colours for a terminal; off for pipes and files. */
  readonly color?: boolean;
  readonly width?: number;
}

const ANSI: Readonly<Record<Tone, string>> = {
  neutral: '\x1b[1m',
  info: '\x1b[1;36m',
  success: '\x1b[1;32m',
  redirect: '\x1b[1;34m',
  warning: '\x1b[1;33m',
  danger: '\x1b[1;31m',
  critical: '\x1b[1;35m',
};
const RESET = '\x1b[0m';
export const SEVERITY_MARK = { error: '✖', warning: '▲', info: '•' } as const;
const DIM = '\x1b[2m';

/** Renders a card as plain text for the terminal and the console adapter. */
export function renderCardText(card: Card, options: TextOptions = {}): string {
  const color = options.color ?? false;
  const width = options.width ?? 100;
  const paint = (style: string, text: string): string => (color ? `${style}${text}${RESET}` : text);
  const out: string[] = [];
  out.push(paint(ANSI[card.tone], card.title));
  out.push(...wrap(card.summary, width));
  const inline = card.fields.filter((f) => f.inline);
  const block = card.fields.filter((f) => !f.inline);
  if (inline.length > 0) {
    out.push('');
    const labelWidth = Math.max(...inline.map((f) => f.label.length));
    for (const f of inline) out.push(`${paint('\x1b[1m', f.label.padEnd(labelWidth))}  ${f.value}`);
  }
  for (const f of block) {
    out.push('', paint('\x1b[1m', f.label));
    for (const line of f.value.split('\n')) out.push(...wrap(line, width, '  '));
  }
  if (card.findings !== undefined && card.findings.length > 0) {
    out.push('', paint('\x1b[1m', 'Findings'));
    for (const f of card.findings) {
      out.push(`  ${SEVERITY_MARK[f.severity]} ${paint(f.severity === 'error' ? ANSI.danger : f.severity === 'warning' ? ANSI.warning : '', f.title)}`);
      out.push(...wrap(f.detail, width, '      '));
      for (const e of f.evidence) out.push(paint(DIM, `      ↳ ${e}`));
    }
  }
  for (const s of card.sections) {
    out.push('', paint('\x1b[1m', s.title));
    if (s.text !== undefined) out.push(...wrap(s.text, width, '  '));
    s.items.forEach((item, i) => {
      const bullet = s.ordered ? `${i + 1}. ` : '- ';
      const link = s.itemLinks?.[i];
      // The URL on its own line, never wrapped: a terminal makes it clickable only whole.
      const lines = [...wrap(item, width - 2 - bullet.length), ...(link === undefined ? [] : [`${link.label}: ${link.url}`])];
      lines.forEach((line, j) => out.push(`  ${j === 0 ? bullet : ' '.repeat(bullet.length)}${line}`));
    });
  }
  if (card.links.length > 0) {
    out.push('');
    for (const l of card.links) out.push(`${l.label}: ${l.url}`);
  }
  // Follow-up questions: where a chat shows buttons, the terminal shows the command to type.
  if (card.actions !== undefined && card.actions.length > 0) {
    out.push('');
    const parts = card.actions.filter((a) => a.role === 'section');
    const related = card.actions.filter((a) => a.role === 'related');
    // The parts of an answer and its related codes are one line each, the command to type for every one.
    if (parts.length > 0) out.push(...wrapItems('More:', parts.map((a) => `/sip ${a.query}`), width));
    if (related.length > 0) out.push(...wrapItems('Related:', [...related.map((a) => `/sip ${a.query} (${a.label.replace(/^\d+ /, '')})`)], width));
    for (const a of card.actions.filter((x) => x.role === undefined)) out.push(`→ /sip ${a.query}${a.label === a.query ? '' : paint(DIM, `  (${a.label})`)}`);
  }
  if (card.footer !== undefined) out.push('', paint(DIM, card.footer));
  return out.join('\n');
}

/** "More: a · b · c" wrapped between items, never inside one (a command is copied whole). */
function wrapItems(head: string, items: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let current = head;
  for (const item of items) {
    const sep = current === head ? ' ' : ' · ';
    if (current !== head && current.length + sep.length + item.length > width) {
      lines.push(`${current} ·`);
      current = `  ${item}`;
    } else current = `${current}${sep}${item}`;
  }
  lines.push(current);
  return lines;
}

/** Greedy word wrap; words longer than the width (URLs, Call-IDs) stay whole. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    if (current !== '' && indent.length + current.length + 1 + word.length > width) {
      lines.push(indent + current);
      current = word;
    } else current = current === '' ? word : `${current} ${word}`;
  }
  if (current !== '' || lines.length === 0) lines.push(indent + current);
  return lines;
}
