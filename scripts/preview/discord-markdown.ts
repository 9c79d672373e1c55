import { emphasis, escapeHtml, safeHref } from './html.js';

/**
 * Discord's markdown as it draws it in embeds and message content: ``` blocks, `code`, **bold**, *italic*,
 * _italic_, __underline__, ~~strike~~, > quotes, # headings, [label](url) masked links and bare URLs.
 */
export function discordToHtml(text: string): string {
  const parts = text.split(/```/);
  return parts
    .map((part, i) => (i % 2 === 1 && i < parts.length - 1 ? `<pre class="code-block">${escapeHtml(part.replace(/^[a-z]*\n/, ''))}</pre>` : lines(part)))
    .join('');
}

function lines(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const heading = /^(#{1,3}) (.*)$/.exec(line);
      if (heading !== null) return `<span class="h${heading[1]?.length ?? 1}">${inline(heading[2] ?? '')}</span>`;
      const quote = /^> /.exec(line);
      return quote === null ? inline(line) : `<span class="quote">${inline(line.slice(2))}</span>`;
    })
    .join('<br>');
}

function inline(line: string): string {
  return line
    .split(/(`[^`\n]+`)/)
    .map((seg) => (seg.length > 2 && seg.startsWith('`') && seg.endsWith('`') ? `<code>${escapeHtml(seg.slice(1, -1))}</code>` : formatted(seg)))
    .join('');
}

function formatted(seg: string): string {
  const out: string[] = [];
  let last = 0;
  for (const m of seg.matchAll(/\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)|<(https?:\/\/[^>\s]+)>|(https?:\/\/[^\s<>)]+)/g)) {
    out.push(styled(escapeHtml(seg.slice(last, m.index))));
    const url = m[2] ?? m[3] ?? m[4] ?? '';
    const label = m[1] ?? url;
    const href = safeHref(url);
    out.push(href === undefined ? escapeHtml(m[0]) : `<a href="${href}">${styled(escapeHtml(label))}</a>`);
    last = (m.index ?? 0) + m[0].length;
  }
  out.push(styled(escapeHtml(seg.slice(last))));
  return out.join('');
}

function styled(html: string): string {
  let h = html.replace(/\*\*(?=\S)([^\n]*?\S)\*\*/g, '<b>$1</b>').replace(/__(?=\S)([^\n]*?\S)__/g, '<u>$1</u>').replace(/~~(?=\S)([^\n]*?\S)~~/g, '<s>$1</s>');
  h = emphasis(h, '*', 'i');
  return emphasis(h, '_', 'i');
}
