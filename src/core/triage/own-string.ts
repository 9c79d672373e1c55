/**
 * A copy of a string that holds only its own characters. A header value parsed out of a message is a slice
 * that keeps the whole message text (V8 sliced strings) alive: held for many calls after they were judged,
 * that is every message of a capture, which streaming exists to let go. A JSON round trip always allocates a
 * flat string.
 */
export function ownString(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}
