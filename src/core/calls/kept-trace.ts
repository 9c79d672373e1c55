/** A message as kept: capture time, addresses ("host:port") when known, and the text as sent. */
export interface KeptTraceMessage {
  readonly time: number;
  readonly src: string | null;
  readonly dst: string | null;
  readonly raw: string;
}

/**
 * Kept messages as a trace text the readers take back with their capture times and addresses: sngrep's text
 * export layout ("2026/11/25 10:41:00.000112 192.0.2.10:5060 -> 198.51.100.5:5060", then the message), in
 * time order. A message without addresses is written bare (read as a raw paste). Opening a kept call this
 * way gives the same triage, ladder and share bundle as pasting that trace.
 */
export function keptTraceText(messages: readonly KeptTraceMessage[]): string {
  return [...messages]
    .sort((a, b) => a.time - b.time)
    .map((m) => {
      const body = m.raw.replace(/\r?\n/g, '\r\n');
      if (m.src === null || m.dst === null) return body;
      return `${stamp(m.time)} ${m.src} -> ${m.dst}\n${body}`;
    })
    .join('\n\n');
}

function stamp(ms: number): string {
  const d = new Date(Math.floor(ms));
  const iso = d.toISOString();
  const micros = String(Math.min(999_999, Math.round((ms - Math.floor(ms / 1000) * 1000) * 1000))).padStart(6, '0');
  return `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)} ${iso.slice(11, 19)}.${micros}`;
}
