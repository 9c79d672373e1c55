import type { types } from '@slack/bolt';
import type { Card, CardAction, CardFinding, CardSection, Tone } from '../../core/card/card.js';
import { linkedItems } from '../../core/card/item-links.js';
import { CLASS_EMOJI } from '../../core/card/labels.js';
import { SEVERITY_MARK } from '../../core/card/render-text.js';
import { cutLine, cutLines, escapeMrkdwn, fitItems, plainLine, SLACK_LIMITS } from './block-text.js';

export type KnownBlock = types.KnownBlock;
export type ActionsBlock = types.ActionsBlock;

/** A card's follow-up buttons: action_id is this prefix and the button's index, the value is the query. */
export const ACTION_QUERY_PREFIX = 'sip_query:';

/** What every siptriage Slack message is: blocks plus the notification text Slack shows where blocks cannot go. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

export interface RenderExtras {
  /** mrkdwn context lines we write ourselves ("Shared by <@U…>"): not escaped, so never put user text here. */
  readonly context?: readonly string[];
  /** Buttons under the card. */
  readonly actions?: ActionsBlock;
}

// Cards without a code (triage summaries, search, usage) are marked by tone, with the class emoji where the
// tone stands for a class, so a summary whose worst failure is a 5xx carries the same mark as a 5xx card.
const TONE_EMOJI: Readonly<Record<Tone, string>> = {
  info: 'ℹ️',
  success: CLASS_EMOJI[2] ?? '✅',
  redirect: CLASS_EMOJI[3] ?? '↪️',
  warning: CLASS_EMOJI[4] ?? '⚠️',
  danger: CLASS_EMOJI[5] ?? '🔥',
  critical: CLASS_EMOJI[6] ?? '⛔',
  neutral: '📋',
};

export function cardEmoji(card: Card): string {
  const byClass = card.code === undefined ? undefined : CLASS_EMOJI[Math.floor(card.code / 100)];
  return byClass ?? TONE_EMOJI[card.tone];
}

/** A card as Block Kit, within Slack's limits whatever its length, with a plain notification text. */
export function renderCard(card: Card, extras: RenderExtras = {}): SlackMessage {
  const tail: KnownBlock[] = [];
  const context = extras.context ?? [];
  if (card.footer !== undefined || context.length > 0) {
    const elements = [
      ...context.map((c) => mrkdwn(cutLine(c, SLACK_LIMITS.text))),
      ...(card.footer === undefined ? [] : [mrkdwn(cutLines(escapeMrkdwn(card.footer), SLACK_LIMITS.text))]),
    ].slice(0, SLACK_LIMITS.contextElements);
    tail.push({ type: 'context', elements });
  }
  const followUps = cardActionsBlocks(card.actions);
  const [first] = followUps;
  // The caller's buttons (Share) join the first row of follow-ups when there is room: one block fewer on the first screen.
  if (extras.actions !== undefined && first !== undefined && first.elements.length + extras.actions.elements.length <= SLACK_LIMITS.actionsElements) {
    followUps[0] = { ...first, elements: [...first.elements, ...extras.actions.elements] };
    tail.push(...followUps);
  } else {
    tail.push(...followUps);
    if (extras.actions !== undefined) tail.push(extras.actions);
  }

  const body = bodyBlocks(card);
  const room = SLACK_LIMITS.blocks - 1 - tail.length;
  let shown = body;
  if (body.length > room) {
    // One block is kept free for saying what was left out.
    shown = body.slice(0, room - 1);
    shown.push({ type: 'context', elements: [mrkdwn(`…and ${body.length - shown.length} more sections not shown (Slack allows ${SLACK_LIMITS.blocks} blocks)`)] });
  }
  const header: KnownBlock = { type: 'header', text: { type: 'plain_text', text: plainLine(`${cardEmoji(card)} ${card.title}`, SLACK_LIMITS.header), emoji: true } };
  return { text: fallbackText(card), blocks: [header, ...shown, ...tail] };
}

/** The notification text: the card's headline, or title and one-line summary; escaped, short. */
export function fallbackText(card: Card): string {
  const line = card.headline ?? (card.summary === '' ? card.title : `${card.title}: ${card.summary}`);
  return escapeMrkdwn(plainLine(line, SLACK_LIMITS.fallbackText - 50));
}

function bodyBlocks(card: Card): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (card.summary !== '') blocks.push(section(cutLines(escapeMrkdwn(card.summary), SLACK_LIMITS.text)));
  const inline = card.fields.filter((f) => f.inline === true && f.value !== '');
  for (let i = 0; i < inline.length; i += SLACK_LIMITS.fields) {
    blocks.push({
      type: 'section',
      fields: inline.slice(i, i + SLACK_LIMITS.fields).map((f) => mrkdwn(cutLines(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, SLACK_LIMITS.fieldText))),
    });
  }
  for (const f of card.fields.filter((x) => x.inline !== true && x.value !== '')) {
    blocks.push(section(cutLines(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, SLACK_LIMITS.text)));
  }
  if (card.findings !== undefined && card.findings.length > 0) blocks.push(findingsBlock(card.findings));
  for (const s of card.sections) blocks.push(...sectionBlocks(s));
  if (card.links.length > 0) {
    // URLs come from our own knowledge data (rfc-editor.org); only the label needs escaping.
    blocks.push(section(fitItems(card.links.map((l) => `<${l.url}|${escapeMrkdwn(l.label).replace(/\|/g, '/')}>`), SLACK_LIMITS.text)));
  }
  return blocks;
}

/**
 * A card's actions as buttons, each asking its query as /sip would: the parts of the answer and other
 * follow-ups in one row, related codes in a second. A query too long for a button value is left out rather
 * than cut (a cut query asks something else); past 25, Slack's limit per block, too. Action ids run on
 * across the rows, so each is unique in the message.
 */
export function cardActionsBlocks(actions: readonly CardAction[] | undefined): ActionsBlock[] {
  const fitting = (actions ?? []).filter((a) => a.query.trim() !== '' && a.query.length <= SLACK_LIMITS.buttonValue);
  const rows = [fitting.filter((a) => a.role !== 'related'), fitting.filter((a) => a.role === 'related')];
  let n = 0;
  const blocks: ActionsBlock[] = [];
  for (const row of rows) {
    const shown = row.slice(0, SLACK_LIMITS.actionsElements);
    if (shown.length === 0) continue;
    blocks.push({
      type: 'actions',
      elements: shown.map((a) => ({
        type: 'button',
        action_id: `${ACTION_QUERY_PREFIX}${n++}`,
        text: { type: 'plain_text', text: plainLine(a.label === '' ? a.query : a.label, SLACK_LIMITS.buttonText) },
        value: a.query,
      })),
    });
  }
  return blocks;
}

function findingsBlock(findings: readonly CardFinding[]): KnownBlock {
  const items = findings.map((f) => {
    const evidence = f.evidence.map((e) => `      ↳ \`${escapeMrkdwn(e.replace(/`/g, "'"))}\``);
    return [`${SEVERITY_MARK[f.severity]} *${escapeMrkdwn(f.title)}*`, escapeMrkdwn(f.detail), ...evidence].join('\n');
  });
  const head = '*Findings*\n';
  return section(head + fitItems(items, SLACK_LIMITS.text - head.length));
}

/**
 * A section as one block, or as several when it is longer than one text object takes: a part opened on its
 * own is shown whole, never cut to "…and 2 more". Only an item longer than a whole block is cut.
 */
function sectionBlocks(s: CardSection): KnownBlock[] {
  const head = `*${escapeMrkdwn(s.title)}*`;
  const prose = s.text === undefined || s.text === '' ? '' : `\n${escapeMrkdwn(s.text)}`;
  const bullet = (i: number): string => (s.ordered === true ? `${i + 1}.` : '•');
  // Links ride along while the items fit one text object; past that they go before any item would be cut.
  const items = linkedItems(s, (item, i, link) => `${bullet(i)} ${escapeMrkdwn(item)}${link === undefined ? '' : ` <${escapeMrkdwn(link.url)}|${escapeMrkdwn(link.label)}>`}`, SLACK_LIMITS.text - head.length - 1).map((line, i) =>
    line.length > SLACK_LIMITS.text ? cutLines(`${bullet(i)} ${escapeMrkdwn(s.items[i] ?? '')}`, SLACK_LIMITS.text) : line,
  );
  if (prose === '' && items.length === 0) return [];
  const blocks: KnownBlock[] = [];
  let current = cutLines(`${head}${prose}`, items.length === 0 ? SLACK_LIMITS.text : Math.floor(SLACK_LIMITS.text / 2));
  for (const item of items) {
    if (current.length + 1 + item.length > SLACK_LIMITS.text) {
      blocks.push(section(current));
      current = item;
    } else current = `${current}\n${item}`;
  }
  blocks.push(section(current));
  return blocks;
}

function section(text: string): KnownBlock {
  return { type: 'section', text: mrkdwn(text) };
}

function mrkdwn(text: string): types.MrkdwnElement {
  // Slack rejects empty text objects as well as long ones.
  return { type: 'mrkdwn', text: text === '' ? ' ' : text };
}

/**
 * Several cards in one message (digests, alerts), divided, still within 50 blocks: cards that do not fit are
 * counted in a closing line rather than sent.
 */
export function renderCards(cards: readonly Card[], text: string): SlackMessage {
  const blocks: KnownBlock[] = [];
  let shown = 0;
  for (const card of cards) {
    const next = renderCard(card).blocks;
    const divider = blocks.length === 0 ? 0 : 1;
    // One block stays free for the "…and N more" line.
    if (blocks.length + divider + next.length > SLACK_LIMITS.blocks - 1) break;
    if (divider === 1) blocks.push({ type: 'divider' });
    blocks.push(...next);
    shown += 1;
  }
  if (shown < cards.length) {
    const rest = cards.length - shown;
    blocks.push({ type: 'context', elements: [mrkdwn(`…and ${rest} more card${rest === 1 ? '' : 's'} not shown (Slack allows ${SLACK_LIMITS.blocks} blocks)`)] });
  }
  return { text: escapeMrkdwn(plainLine(text, SLACK_LIMITS.fallbackText)), blocks };
}
