import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Card } from '../../core/card/card.js';
import { renderCardText } from '../../core/card/render-text.js';
import type { OutgoingMessage } from '../../core/chat-port.js';
import { containsSip, type Engine } from '../../core/engine.js';
import { buildLadder } from '../../core/ladder/build-ladder.js';
import { renderLadderText } from '../../core/ladder/render-ladder-text.js';
import { parseQuery } from '../../core/query/parse-query.js';
import { channelCommand, type ChannelCommand, type ChannelCommands } from '../../commands/channel-commands.js';
import { knowledgeAnswer } from '../../commands/knowledge-answer.js';

export interface ConsoleOptions {
  readonly input: Readable;
  readonly output: Writable;
  readonly color: boolean;
  /** A paste arrives as many lines at once; lines closer together than this belong to one paste. */
  readonly pasteWindowMs?: number;
  /** Answers `/sip alerts|stats|digest|auto …` (and counts them); spike alerts then print here as they happen. */
  readonly commands?: ChannelCommands;
  /** Called once per command the console answers itself ("code", "triage", …), for the chat-commands counter. */
  readonly onCommand?: (kind: string) => void;
}

const PROMPT = 'siptriage> ';
const LADDER_ARROWS = 60;
const BANNER = 'siptriage console: type /sip 503, /sip busy, /sip help, or paste a SIP trace. Ctrl-D to quit.';

/**
 * The bot without a chat platform (after Hubot's shell adapter): the same queries and pastes, answered in
 * the terminal. Lines are gathered for a moment so that a pasted trace is triaged as one.
 */
export class ConsoleAdapter {
  readonly #engine: Engine;
  readonly #options: ConsoleOptions;
  #rl: Interface | undefined;
  #buffer: string[] = [];
  #timer: NodeJS.Timeout | undefined;
  #closed: Promise<void> | undefined;
  #ended = false;
  // Channel commands answer asynchronously; input that ends (a pipe, Ctrl-D) must not cut their answers off.
  readonly #pending = new Set<Promise<void>>();

  constructor(engine: Engine, options: ConsoleOptions) {
    this.#engine = engine;
    this.#options = options;
  }

  /** Starts reading; the promise settles when the input ends or stop() is called. */
  start(): Promise<void> {
    const rl = createInterface({ input: this.#options.input, output: this.#options.output, prompt: PROMPT, terminal: false });
    this.#rl = rl;
    this.#write(`${BANNER}\n`);
    rl.prompt();
    rl.on('line', (line) => this.#onLine(line));
    this.#closed = new Promise((resolve) => {
      rl.on('close', () => {
        this.#ended = true;
        this.#flush();
        void Promise.allSettled([...this.#pending]).then(() => resolve());
      });
    });
    return this.#closed;
  }

  async stop(): Promise<void> {
    this.#rl?.close();
    await this.#closed;
  }

  #onLine(line: string): void {
    this.#buffer.push(line);
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#flush(), this.#options.pasteWindowMs ?? 120);
  }

  #flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const lines = this.#buffer;
    this.#buffer = [];
    if (lines.length === 0) return;
    const text = lines.join('\n');
    if (containsSip(text)) {
      this.#options.onCommand?.('triage');
      this.#triage(text);
    } else {
      for (const line of lines) {
        const q = line.trim();
        if (q === '') continue;
        if (q === 'quit' || q === 'exit') {
          this.#rl?.close();
          return;
        }
        const query = parseQuery(q);
        const channel = channelCommand(query);
        if (channel !== undefined && this.#options.commands !== undefined) {
          this.#channelCommand(channel);
          continue;
        }
        this.#options.onCommand?.(query.kind);
        this.#show(knowledgeAnswer(this.#engine, q));
      }
    }
    this.#prompt();
  }

  #prompt(): void {
    if (!this.#ended) this.#rl?.prompt();
  }

  // Answered asynchronously (they read the store); once alerts are subscribed, they print here too.
  #channelCommand(command: ChannelCommand): void {
    const commands = this.#options.commands;
    if (commands === undefined) return;
    const answered = commands
      .answer({ console: (m) => this.#print(m) }, command)
      // A kept call opened (/sip calls open ID) is answered as if its trace had been pasted.
      .then((answer) => (answer.trace === undefined ? this.#print(answer.message) : this.#triage(answer.trace.text)))
      .catch((err: unknown) => this.#write(`\n${command.kind}: ${err instanceof Error ? err.message : String(err)}\n`))
      .finally(() => {
        this.#pending.delete(answered);
        this.#prompt();
      });
    this.#pending.add(answered);
  }

  #triage(text: string): void {
    const answer = this.#engine.triage(text);
    this.#show(answer.summary);
    for (const card of answer.calls) this.#show(card);
    // The call flow of what failed, under the cards, as sngrep would draw it.
    const ladder = buildLadder(answer.report, { failingOnly: true, maxArrows: LADDER_ARROWS });
    if (ladder.calls.length > 0) this.#write(`${renderLadderText(ladder, { color: this.#options.color })}\n\n`);
  }

  #print(message: OutgoingMessage): void {
    for (const card of message.cards) this.#show(card);
    // A terminal shows no picture; its description says what the chart holds.
    if (message.image !== undefined) this.#write(`(chart ${message.image.filename}: ${message.image.alt})\n\n`);
  }

  #show(card: Card): void {
    this.#write(`\n${renderCardText(card, { color: this.#options.color, width: 100 })}\n\n`);
  }

  #write(text: string): void {
    this.#options.output.write(text);
  }
}
