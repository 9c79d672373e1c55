/** HTML text escaping for everything the page prints: payload text is data, never markup. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Only http(s) links become anchors; anything else (javascript:, data:) is shown as text. */
export function safeHref(url: string): string | undefined {
  return /^https?:\/\//i.test(url) ? escapeHtml(url) : undefined;
}

/**
 * Inline emphasis shared by both platforms' markdown, applied to text already HTML-escaped and free of code
 * spans: `open`/`close` delimiters are matched only at word edges, as Slack and Discord match them.
 */
export function emphasis(html: string, delimiter: string, tag: string): string {
  const d = delimiter.replace(/[*_~]/g, (c) => `\\${c}`);
  const re = new RegExp(`(^|[\\s(>\\[])${d}(?=\\S)([^\\n]*?\\S)${d}(?=$|[\\s).,:;!?<\\]])`, 'g');
  return html.replace(re, (_m, pre: string, inner: string) => `${pre}<${tag}>${inner}</${tag}>`);
}
