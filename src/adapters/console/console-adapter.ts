import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Card } from '../../core/card/card.js';
import { renderCardText } from '../../core/card/render-text.js';
import type { OutgoingMessage } from '../../core/chat-port.js';
import { containsSip, type Engine } from '../../core/engine.js';
import { buildLadder } from '../../core/ladder/build-ladder.js';
import { renderLadderText } from '../../core/ladder/render-ladder-text.js';
import type { AlertsCommand } from '../../core/query/alerts-query.js';
import { parseQuery } from '../../core/query/parse-query.js';

/** What the console needs from spike alerts: answer `/sip alerts …`, and print alerts once subscribed. */
export interface ConsoleAlerts {
  command(where: { readonly console: (m: OutgoingMessage) => void }, cmd: AlertsCommand): Promise<Card>;
}

export interface ConsoleOptions {
  readonly input: Readable;
  readonly output: Writable;
  readonly color: boolean;
  /** A paste arrives as many lines at once; lines closer together than this belong to one paste. */
  readonly pasteWindowMs?: number;
  readonly alerts?: ConsoleAlerts;
  /** Called once per command served ("code", "triage", "alerts", …), for the chat-commands counter. */
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
        this.#flush();
        resolve();
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
      const answer = this.#engine.triage(text);
      this.#show(answer.summary);
      for (const card of answer.calls) this.#show(card);
      // The call flow of what failed, under the cards, as sngrep would draw it.
      const ladder = buildLadder(answer.report, { failingOnly: true, maxArrows: LADDER_ARROWS });
      if (ladder.calls.length > 0) this.#write(`${renderLadderText(ladder, { color: this.#options.color })}\n\n`);
    } else {
      for (const line of lines) {
        const q = line.trim();
        if (q === '') continue;
        if (q === 'quit' || q === 'exit') {
          this.#rl?.close();
          return;
        }
        const query = parseQuery(q);
        this.#options.onCommand?.(query.kind);
        if (query.kind === 'alerts' && this.#options.alerts !== undefined) {
          this.#alertsCommand(query.command);
          continue;
        }
        this.#show(this.#engine.explain(q));
      }
    }
    this.#rl?.prompt();
  }

  // Alerts answer asynchronously (settings may live in a store); once subscribed, alerts print here too.
  #alertsCommand(cmd: AlertsCommand): void {
    const print = (m: OutgoingMessage): void => {
      for (const card of m.cards) this.#show(card);
    };
    this.#options.alerts
      ?.command({ console: print }, cmd)
      .then((card) => this.#show(card))
      .catch((err: unknown) => this.#write(`\nalerts: ${err instanceof Error ? err.message : String(err)}\n`))
      .finally(() => this.#rl?.prompt());
  }

  #show(card: Card): void {
    this.#write(`\n${renderCardText(card, { color: this.#options.color, width: 100 })}\n\n`);
  }

  #write(text: string): void {
    this.#options.output.write(text);
  }
}
