import { emphasis, escapeHtml, safeHref } from './html.js';

/**
 * Slack mrkdwn as Slack draws it (docs.slack.dev/messaging/formatting-message-text): ``` blocks, `code`,
 * *bold*, _italic_, ~strike~, > quotes, <url|label> links, <@U…> mentions, and the three entities Slack
 * escapes (&amp; &lt; &gt;), which are shown as the characters they stand for.
 */
export function mrkdwnToHtml(text: string): string {
  const parts = text.split(/```/);
  return parts
    .map((part, i) => (i % 2 === 1 && i < parts.length - 1 ? `<pre class="code-block">${escapeHtml(unescapeSlack(part.replace(/^\n/, '')))}</pre>` : lines(part)))
    .join('');
}

function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function lines(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const quote = /^&gt;\s?/.exec(line);
      return quote === null ? inline(line) : `<span class="quote">${inline(line.slice(quote[0].length))}</span>`;
    })
    .join('<br>');
}

function inline(line: string): string {
  // Code spans first: nothing inside them is formatted.
  return line
    .split(/(`[^`\n]+`)/)
    .map((seg) => (seg.length > 2 && seg.startsWith('`') && seg.endsWith('`') ? `<code>${escapeHtml(unescapeSlack(seg.slice(1, -1)))}</code>` : formatted(seg)))
    .join('');
}

function formatted(seg: string): string {
  const out: string[] = [];
  let last = 0;
  // Slack's angle-bracket markup: links, mentions, channels, special mentions.
  for (const m of seg.matchAll(/<([^<>]+)>/g)) {
    out.push(styled(escapeHtml(unescapeSlack(seg.slice(last, m.index)))));
    out.push(markup(m[1] ?? ''));
    last = (m.index ?? 0) + m[0].length;
  }
  out.push(styled(escapeHtml(unescapeSlack(seg.slice(last)))));
  return out.join('');
}

function markup(inner: string): string {
  const [target = '', label] = inner.split('|', 2);
  if (target.startsWith('@')) return `<span class="mention">@${escapeHtml(label ?? target.slice(1))}</span>`;
  if (target.startsWith('#')) return `<span class="mention">#${escapeHtml(label ?? target.slice(1))}</span>`;
  if (target.startsWith('!')) return `<span class="mention">@${escapeHtml(target.slice(1))}</span>`;
  const href = safeHref(target);
  const shown = styled(escapeHtml(unescapeSlack(label ?? target)));
  return href === undefined ? shown : `<a href="${href}">${shown}</a>`;
}

function styled(html: string): string {
  return emphasis(emphasis(emphasis(html, '*', 'b'), '_', 'i'), '~', 's');
}
