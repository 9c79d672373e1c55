/**
 * Splits a TCP/TLS byte stream into SIP messages by Content-Length (RFC 3261 §18.3, mandatory on streams).
 * Stops at the first sign the peer is not speaking SIP, or once it has sent more than the limit without
 * finishing a message: a server that answers with megabytes of junk costs us the limit, not the megabytes.
 */
export class StreamFramer {
  #buffer = Buffer.alloc(0);
  #seen = 0;
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  push(chunk: Buffer): { messages: string[]; junk?: { bytes: number; message: string } } {
    this.#seen += chunk.length;
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    const messages: string[] = [];
    for (;;) {
      // CRLF keep-alives between messages (RFC 5626 §3.5.1) are not junk.
      let start = 0;
      while (start < this.#buffer.length && (this.#buffer[start] === 0x0d || this.#buffer[start] === 0x0a)) start++;
      if (start > 0) this.#buffer = this.#buffer.subarray(start);
      if (this.#buffer.length === 0) break;
      const head = this.#buffer.subarray(0, 8).toString('latin1');
      if (!'SIP/2.0 '.startsWith(head.slice(0, Math.min(8, head.length))) && !/^[A-Z]+ /.test(head)) {
        return { messages, junk: { bytes: this.#seen, message: `the server answered with ${describe(this.#seen)} that ${this.#seen > 8 ? 'are' : 'is'} not SIP (starting ${JSON.stringify(printable(head))})` } };
      }
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end === -1) break;
      const headers = this.#buffer.subarray(0, end).toString('utf8');
      const m = /^(?:content-length|l)[ \t]*:[ \t]*(\d+)[ \t]*$/im.exec(headers);
      const length = m === null ? 0 : Number(m[1]);
      const total = end + 4 + length;
      if (total > this.#limit) return { messages, junk: { bytes: this.#seen, message: `the server announced a ${describe(total)} answer, over the ${describe(this.#limit)} a probe reads` } };
      if (this.#buffer.length < total) break;
      messages.push(this.#buffer.subarray(0, total).toString('utf8'));
      this.#buffer = this.#buffer.subarray(total);
    }
    if (this.#buffer.length > this.#limit) {
      return { messages, junk: { bytes: this.#seen, message: `the server sent ${describe(this.#seen)} without finishing a SIP message; a probe reads at most ${describe(this.#limit)}` } };
    }
    return { messages };
  }
}

function describe(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KiB` : `${bytes} bytes`;
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '.');
}
