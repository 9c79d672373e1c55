import { escapeHtml } from './html.js';
import type { PreviewImage, SlackPost } from './payloads.js';
import { mrkdwnToHtml } from './slack-mrkdwn.js';

type Obj = Record<string, unknown>;

/** Block Kit as Slack draws it in a message: one function per block type, unknown types flagged in red. */
export function slackPostHtml(post: SlackPost): string {
  const blocks = post.blocks.map(blockHtml).join('');
  // Without blocks Slack shows the text; with them the text is only the notification.
  const body = post.blocks.length === 0 && post.text !== '' ? `<div class="blk">${mrkdwnToHtml(post.text)}</div>` : blocks;
  const images = post.images.map(imageHtml).join('');
  const badge = post.ephemeral ? '<div class="s-ephemeral">👁 Only visible to you</div>' : '';
  return `
<div class="s-msg${post.inThread ? ' s-thread' : ''}" data-via="${escapeHtml(post.via)}">
  ${post.inThread ? '<div class="s-thread-label">in thread</div>' : ''}
  <div class="s-avatar">ST</div>
  <div class="s-main">
    ${badge}
    <div class="s-name">siptriage <span class="s-app">APP</span> <span class="s-time">3:00 AM</span></div>
    ${body}${images}
  </div>
</div>`;
}

function imageHtml(img: PreviewImage): string {
  const src = `data:image/png;base64,${Buffer.from(img.png).toString('base64')}`;
  return `<figure class="s-file blk"><figcaption>${escapeHtml(img.title ?? img.filename)}</figcaption><img src="${src}" alt="${escapeHtml(img.alt)}"></figure>`;
}

function text(t: unknown): string {
  if (typeof t !== 'object' || t === null) return '';
  const o = t as Obj;
  const s = String(o['text'] ?? '');
  return o['type'] === 'mrkdwn' ? mrkdwnToHtml(s) : escapeHtml(s).replace(/\n/g, '<br>');
}

function blockHtml(b: Obj): string {
  switch (b['type']) {
    case 'header':
      return `<div class="blk s-header">${text(b['text'])}</div>`;
    case 'divider':
      return '<hr class="blk s-divider">';
    case 'section': {
      const fields = (b['fields'] as unknown[] | undefined) ?? [];
      const accessory = b['accessory'] === undefined ? '' : `<div class="s-accessory">${elementHtml(b['accessory'] as Obj)}</div>`;
      const main = b['text'] === undefined ? '' : `<div class="s-text">${text(b['text'])}</div>`;
      const grid = fields.length === 0 ? '' : `<div class="s-fields">${fields.map((f) => `<div class="s-field">${text(f)}</div>`).join('')}</div>`;
      return `<div class="blk s-section"><div class="s-section-body">${main}${grid}</div>${accessory}</div>`;
    }
    case 'context':
      return `<div class="blk s-context">${((b['elements'] as Obj[] | undefined) ?? []).map((e) => (e['type'] === 'image' ? '<span class="s-ctx-img"></span>' : `<span>${text(e)}</span>`)).join('')}</div>`;
    case 'actions':
      return `<div class="blk s-actions">${((b['elements'] as Obj[] | undefined) ?? []).map(elementHtml).join('')}</div>`;
    case 'image':
      // Block images load from a URL; the page fetches nothing, so the alt text stands in.
      return `<div class="blk s-image-ph">🖼 ${escapeHtml(String(b['alt_text'] ?? 'image'))}</div>`;
    default:
      return `<div class="blk s-unknown">Unknown block type: ${escapeHtml(String(b['type']))}</div>`;
  }
}

function elementHtml(e: Obj): string {
  if (e['type'] === 'button') {
    const style = e['style'] === 'primary' ? ' s-primary' : e['style'] === 'danger' ? ' s-danger' : '';
    const confirm = e['confirm'] === undefined ? '' : ' title="asks for confirmation"';
    return `<span class="s-btn${style}"${confirm}>${text(e['text'])}</span>`;
  }
  if (e['type'] === 'overflow') return '<span class="s-btn">⋮</span>';
  if (e['type'] === 'static_select') return `<span class="s-btn">${text(e['placeholder'])} ▾</span>`;
  return `<span class="s-unknown">${escapeHtml(String(e['type']))}</span>`;
}
