import { HIGHLIGHT_TEXT, offsetText } from './ladder-layout.js';
import type { Ladder } from './ladder-model.js';

/**
 * The ladder as Mermaid sequenceDiagram text (mermaid.js.org/syntax/sequenceDiagram.html), for pasting into
 * a ticket, a wiki or GitHub. Requests are solid arrows, responses dotted; the failing exchange sits in a
 * red `rect`. Calls share the participants, in order of first appearance, and are separated by notes.
 */
export function renderLadderMermaid(ladder: Ladder): string {
  const out = ['sequenceDiagram'];
  const ids = new Map<string, string>();
  const participant = (address: string, product: string | undefined): string => {
    let id = ids.get(address);
    if (id === undefined) {
      id = `H${ids.size + 1}`;
      ids.set(address, id);
      out.push(`  participant ${id} as ${safe(product === undefined ? address : `${product} ${address}`)}`);
    }
    return id;
  };
  const body: string[] = [];
  ladder.calls.forEach((call, c) => {
    const cols = call.hosts.map((h) => participant(h.address, h.product));
    const span = cols.length > 1 ? `${cols[0]},${cols[cols.length - 1]}` : (cols[0] ?? 'H1');
    body.push(`  Note over ${span}: ${safe(`Call ${c + 1} of ${ladder.calls.length}: ${call.title}, Call-ID ${call.callId}`)}`);
    for (const arrow of call.arrows) {
      const from = cols[arrow.from] ?? 'H1';
      const to = cols[arrow.to] ?? 'H1';
      const notes = [arrow.retransmission ? 'retransmission' : '', arrow.highlight === undefined ? '' : HIGHLIGHT_TEXT[arrow.highlight]].filter((t) => t !== '');
      const time = offsetText(arrow);
      const label = `${time === '' ? '' : `${time} `}${arrow.label}${notes.length === 0 ? '' : ` (${notes.join(', ')})`}`;
      const line = `  ${from}${arrow.kind === 'request' ? '->>' : '-->>'}${to}: ${safe(label)}`;
      if (arrow.highlight === undefined) body.push(line);
      else body.push('  rect rgb(253, 236, 234)', `  ${line}`, '  end');
    }
    if (call.omittedArrows > 0) body.push(`  Note over ${span}: ${call.omittedArrows} more messages in this call not shown`);
  });
  if (ladder.note !== undefined) body.push(`  %% ${safe(ladder.note)}`);
  return `${[...out, ...body].join('\n')}\n`;
}

// Mermaid reads ';' as a statement end and '#…;' as an entity; line breaks would end the statement.
function safe(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[#;]/g, (c) => (c === '#' ? '#35;' : '#59;'));
}
