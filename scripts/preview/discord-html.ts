import type { APIEmbed } from 'discord.js';
import { discordToHtml } from './discord-markdown.js';
import { escapeHtml, safeHref } from './html.js';
import type { DiscordPost, PreviewImage } from './payloads.js';

type Obj = Record<string, unknown>;

/** A Discord message as the client draws it: content, embeds with their colour bar, attachments, button rows. */
export function discordPostHtml(post: DiscordPost): string {
  const dataUrl = (name: string): string | undefined => {
    const img = post.images.find((i) => i.filename === name);
    return img === undefined ? undefined : `data:image/png;base64,${Buffer.from(img.png).toString('base64')}`;
  };
  const shownInEmbed = new Set(post.embeds.flatMap((e) => (e.image?.url.startsWith('attachment://') === true ? [e.image.url.slice('attachment://'.length)] : [])));
  const loose = post.images.filter((i) => !shownInEmbed.has(i.filename)).map(attachmentHtml).join('');
  const content = post.content === undefined ? '' : `<div class="blk d-content">${discordToHtml(post.content)}</div>`;
  const rows = post.components.map(rowHtml).join('');
  const ephemeral = post.ephemeral ? '<div class="d-ephemeral">👁 Only you can see this · Dismiss message</div>' : '';
  const reply = post.reply ? '<div class="d-replying">↱ replying to the alert</div>' : '';
  return `
<div class="d-msg" data-via="${escapeHtml(post.via)}">
  ${reply}
  <div class="d-avatar">ST</div>
  <div class="d-main">
    <div class="d-name">siptriage <span class="d-bot">✓ APP</span> <span class="d-time">Today at 03:00</span></div>
    ${content}${post.embeds.map((e) => embedHtml(e, dataUrl)).join('')}${loose}${rows}${ephemeral}
  </div>
</div>`;
}

function attachmentHtml(img: PreviewImage): string {
  return `<figure class="d-attachment blk"><img src="data:image/png;base64,${Buffer.from(img.png).toString('base64')}" alt="${escapeHtml(img.alt)}"></figure>`;
}

function embedHtml(e: APIEmbed, dataUrl: (name: string) => string | undefined): string {
  const colour = `#${(e.color ?? 0x1e1f22).toString(16).padStart(6, '0')}`;
  const href = e.url === undefined ? undefined : safeHref(e.url);
  const title = e.title === undefined ? '' : `<div class="blk d-title">${href === undefined ? discordToHtml(e.title) : `<a href="${href}">${escapeHtml(e.title)}</a>`}</div>`;
  const author = e.author === undefined ? '' : `<div class="blk d-author">${escapeHtml(e.author.name)}</div>`;
  const description = e.description === undefined ? '' : `<div class="blk d-description">${discordToHtml(e.description)}</div>`;
  const fields = (e.fields ?? []).map((f) => `<div class="blk d-field${f.inline === true ? ' d-inline' : ''}"><div class="d-field-name">${discordToHtml(f.name)}</div><div class="d-field-value">${discordToHtml(f.value)}</div></div>`).join('');
  const imageUrl = e.image?.url;
  const src = imageUrl === undefined ? undefined : imageUrl.startsWith('attachment://') ? dataUrl(imageUrl.slice('attachment://'.length)) : undefined;
  const image = imageUrl === undefined ? '' : src === undefined ? `<div class="blk d-image-ph">🖼 ${escapeHtml(imageUrl)}</div>` : `<img class="blk d-image" src="${src}" alt="">`;
  const footer = e.footer === undefined ? '' : `<div class="blk d-footer">${escapeHtml(e.footer.text)}</div>`;
  return `<div class="d-embed" style="border-left-color:${colour}">${author}${title}${description}${fields === '' ? '' : `<div class="d-fields">${fields}</div>`}${image}${footer}</div>`;
}

const BUTTON_STYLE: Readonly<Record<number, string>> = { 1: 'd-primary', 2: 'd-secondary', 3: 'd-success', 4: 'd-danger', 5: 'd-link' };

function rowHtml(row: Obj): string {
  const buttons = ((row['components'] as Obj[] | undefined) ?? []).map((c) => {
    const emoji = (c['emoji'] as { name?: string } | undefined)?.name;
    const label = `${emoji === undefined ? '' : `${escapeHtml(emoji)} `}${escapeHtml(String(c['label'] ?? ''))}`;
    return `<span class="d-btn ${BUTTON_STYLE[Number(c['style'])] ?? 'd-secondary'}">${label}${c['style'] === 5 ? ' ↗' : ''}</span>`;
  });
  return `<div class="blk d-row">${buttons.join('')}</div>`;
}
