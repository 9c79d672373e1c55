/**
 * Slack's Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks): a message holds at most 50
 * blocks; a text object at most 3000 characters; a header's plain text 150; a section at most 10 fields of
 * 2000 characters; a context block 10 elements; an actions block 25 elements; a button label 75 characters and its
 * value 2000. Anything
 * over is an `invalid_blocks` API error, so the renderer cuts before Slack would refuse.
 */
export const SLACK_LIMITS = {
  blocks: 50,
  text: 3000,
  header: 150,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  /** Elements in one actions block, and the length of an action_id. */
  actionsElements: 25,
  actionId: 255,
  /** Our own cap for the notification `text`: Slack truncates at 40,000, a notification shows far less. */
  fallbackText: 1000,
} as const;

/** mrkdwn treats &, < and > as control characters (links, mentions); everything we echo is escaped first. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts one line to `max` characters at a word boundary where there is one, never inside an entity or a surrogate pair. */
export function cutLine(line: string, max: number): string {
  if (line.length <= max) return line;
  const room = Math.max(1, max - 1);
  let end = room;
  const space = line.lastIndexOf(' ', room);
  if (space > room * 0.6) end = space;
  const amp = line.lastIndexOf('&', end);
  if (amp !== -1 && amp > end - 5 && !line.slice(amp, end).includes(';')) end = amp;
  const code = line.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${line.slice(0, end).trimEnd()}…`;
}

/**
 * Joins items (each possibly several lines) into at most `max` characters. When they do not all fit, whole
 * items are kept while there is room and the rest become "…and N more"; a single item longer than the limit is
 * cut at a line boundary (or, for one huge line, a word boundary).
 */
export function fitItems(items: readonly string[], max: number, separator = '\n'): string {
  const all = items.join(separator);
  if (all.length <= max) return all;
  const kept: string[] = [];
  let used = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] ?? '';
    const rest = items.length - i - 1;
    const suffix = rest > 0 ? `${separator}…and ${rest} more` : '';
    const sep = kept.length === 0 ? 0 : separator.length;
    if (used + sep + item.length + suffix.length <= max) {
      kept.push(item);
      used += sep + item.length;
      continue;
    }
    const moreText = `…and ${items.length - i} more`;
    const room = max - used - sep - separator.length - moreText.length;
    // The first item that does not fit is shown cut when a useful part of it fits; the rest are counted.
    if (room >= 80) {
      kept.push(cutLines(item, room));
      const after = items.length - i - 1;
      return after > 0 ? `${kept.join(separator)}${separator}…and ${after} more` : kept.join(separator);
    }
    return kept.length === 0 ? cutLines(item, max) : `${kept.join(separator)}${separator}${moreText}`;
  }
  return kept.join(separator);
}

/** Keeps whole lines of `text` within `max`, saying how many were left out; one overlong line is cut. */
export function cutLines(text: string, max: number): string {
  if (text.length <= max) return text;
  const lines = text.split('\n');
  const kept: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const rest = lines.length - i;
    const suffix = `\n…and ${rest} more line${rest === 1 ? '' : 's'}`;
    const sep = kept.length === 0 ? 0 : 1;
    if (used + sep + line.length + (i === lines.length - 1 ? 0 : suffix.length) > max) {
      if (kept.length === 0) return cutLine(line, max);
      return `${kept.join('\n')}${suffix}`;
    }
    kept.push(line);
    used += sep + line.length;
  }
  return kept.join('\n');
}

/** Plain text that must fit a limit (headers, button labels): one line, cut with an ellipsis. */
export function plainLine(text: string, max: number): string {
  return cutLine(text.replace(/\s+/g, ' ').trim(), max);
}
