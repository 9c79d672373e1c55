/**
 * Undoes what Slack does to pasted text (Slack API docs, "Formatting text for app surfaces": escaping and
 * links): &lt; &gt; &amp; entities, <mailto:x|label> and <url|label> link markup, ``` fences. Only applied
 * when the text shows Slack's escaping, because a raw SIP message legitimately contains "<sip:…>".
 */
export function looksSlackEscaped(text: string): boolean {
  return /&lt;|&gt;|&amp;|<mailto:[^>|]+\|/.test(text);
}

export function unescapeSlack(text: string): string {
  return text
    .replace(/^```[a-z]*[ \t]*$/gim, '')
    .replace(/```/g, '')
    .replace(/<((?:mailto|sips?|tel|https?):[^<>|]*)\|([^<>]*)>/g, (_m, url: string, label: string) =>
      url.startsWith('mailto:') ? label : url.startsWith('sip') || url.startsWith('tel') ? url : label,
    )
    .replace(/<((?:sips?|tel|https?|mailto):[^<>|\s]*)>/g, (_m, url: string) => (url.startsWith('mailto:') ? url.slice(7) : url))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
