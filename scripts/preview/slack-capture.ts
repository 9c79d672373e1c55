import { readFileSync } from 'node:fs';
import type { webApi } from '@slack/bolt';
import { HeldTraces, type HeldTrace } from '../../src/adapters/held-traces.js';
import { answerQuery } from '../../src/adapters/slack/answer-query.js';
import { slackChatPoster } from '../../src/adapters/slack/chat-poster.js';
import { ReplyMap, SeenEvents } from '../../src/adapters/slack/reply-map.js';
import type { SlackDeps } from '../../src/adapters/slack/slack-deps.js';
import { answerInThread } from '../../src/adapters/slack/thread-answer.js';
import type { ChatPoster } from '../../src/core/chat-port.js';
import { fixturePath, type PreviewCase } from './cases.js';
import type { FileHost } from './file-server.js';
import type { PreviewImage, SlackPost } from './payloads.js';
import type { PreviewWorld } from './world.js';

export const SLACK_CHANNEL = 'C0ONCALL1';
const TEAM = 'T0PREVIEW';
const USER = 'U0ONCALL1';

/** Held traces with ids counted rather than random, so a button's value is the same on every run. */
export class CountedHeldTraces extends HeldTraces {
  #n = 0;
  override hold(held: HeldTrace): string | undefined {
    return super.hold(held) === undefined ? undefined : `held${String(++this.#n).padStart(8, '0')}`;
  }
}

interface Recorded {
  ts: string;
  post: SlackPost;
}

/**
 * Slack's Web API as far as siptriage calls it, recording each message by its ts: an update replaces the
 * message it names, as Slack shows only the latest version; a file upload is a message of its own.
 */
export class SlackRecorder {
  readonly messages: Recorded[] = [];
  readonly files = new Map<string, Record<string, unknown>>();
  #ts = 0;

  readonly client = {
    chat: {
      postMessage: async (a: Record<string, unknown>) => ({ ok: true, ts: this.#add('chat.postMessage', a, false) }),
      postEphemeral: async (a: Record<string, unknown>) => ({ ok: true, message_ts: this.#add('chat.postEphemeral', a, true) }),
      update: async (a: Record<string, unknown>) => {
        const m = this.messages.find((x) => x.ts === a['ts']);
        if (m !== undefined) m.post = { ...m.post, via: 'chat.update', text: String(a['text'] ?? ''), blocks: (a['blocks'] as SlackPost['blocks'] | undefined) ?? [] };
        return { ok: true, ts: a['ts'] };
      },
    },
    files: { info: async (a: { file: string }) => ({ ok: true, file: this.files.get(a.file) }) },
    filesUploadV2: async (a: Record<string, unknown>) => {
      const image: PreviewImage = {
        filename: String(a['filename'] ?? 'file.png'),
        ...(typeof a['title'] === 'string' ? { title: a['title'] } : {}),
        alt: String(a['alt_text'] ?? ''),
        png: new Uint8Array(a['file'] as Buffer),
      };
      this.#push({ via: 'filesUploadV2', ephemeral: false, inThread: a['thread_ts'] !== undefined, text: '', blocks: [], images: [image] });
      return { ok: true, files: [] };
    },
  };

  /** The messages recorded since `from`, in the order they were first posted, as they now read. */
  since(from: number): SlackPost[] {
    return this.messages.slice(from).map((m) => m.post);
  }

  #add(via: string, a: Record<string, unknown>, ephemeral: boolean): string {
    return this.#push({ via, ephemeral, inThread: a['thread_ts'] !== undefined, text: String(a['text'] ?? ''), blocks: (a['blocks'] as SlackPost['blocks'] | undefined) ?? [], images: [] });
  }

  #push(post: SlackPost): string {
    const ts = `1764903600.${String(++this.#ts).padStart(6, '0')}`;
    this.messages.push({ ts, post });
    return ts;
  }
}

export interface SlackSide {
  readonly recorder: SlackRecorder;
  readonly poster: ChatPoster;
  answer(c: PreviewCase): Promise<SlackPost[]>;
}

/** The Slack adapter's handlers over the preview world, with Slack itself recorded at the Web API. */
export function slackSide(world: PreviewWorld, host: FileHost): SlackSide {
  const recorder = new SlackRecorder();
  const client = recorder.client as unknown as webApi.WebClient;
  const poster = slackChatPoster(client, world.log);
  const deps: SlackDeps = {
    engine: world.engine,
    triage: world.triage,
    store: world.store,
    log: world.log,
    commands: world.commands('slack'),
    metrics: undefined,
    poster,
    client,
    botToken: 'xoxb-preview',
    botUserId: 'U0SIPTRIAGE',
    botId: undefined,
    maxBytes: world.config.maxTraceBytes,
    maxCaptureBytes: world.config.maxCaptureBytes,
    apiUrl: `${host.origin}/api/`,
    replies: new ReplyMap(),
    seen: new SeenEvents(),
    held: new CountedHeldTraces(),
    track: () => undefined,
  };
  let pastes = 0;
  // Each paste is its own message: answers are keyed by the pasted message's ts.
  const pasteTs = (): string => `1764903500.${String(++pastes).padStart(6, '0')}`;
  return {
    recorder,
    poster,
    async answer(c) {
      const from = recorder.messages.length;
      const input = c.input;
      if (input.kind === 'query') {
        const responses: SlackPost[] = [];
        await answerQuery(deps, {
          text: input.query,
          public: false,
          user: USER,
          userName: 'oncall',
          ref: { platform: 'slack', workspace: TEAM, channel: SLACK_CHANNEL },
          respond: async (body) => {
            const b = body as { response_type?: string; text?: string; blocks?: SlackPost['blocks'] };
            responses.push({ via: 'response_url', ephemeral: b.response_type !== 'in_channel', inThread: false, text: b.text ?? '', blocks: b.blocks ?? [], images: [] });
          },
        });
        return [...responses, ...recorder.since(from)];
      }
      if (input.kind === 'paste') {
        // The Events API delivers message text with &, < and > escaped; the service reads it that way.
        const text = readFileSync(fixturePath(input.file), 'utf8').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
        await answerInThread(deps, { team: TEAM, channel: SLACK_CHANNEL, ts: pasteTs(), threadTs: undefined, content: { text, files: [] } }, 'auto');
        return recorder.since(from);
      }
      if (input.kind === 'file') {
        const bytes = new Uint8Array(readFileSync(fixturePath(input.file)));
        const name = input.file.split('/').pop() ?? 'capture.pcap';
        const id = `F0${recorder.files.size + 1}`;
        recorder.files.set(id, { id, name, size: bytes.byteLength, url_private_download: host.put(name, bytes) });
        await answerInThread(deps, { team: TEAM, channel: SLACK_CHANNEL, ts: pasteTs(), threadTs: undefined, content: { text: '', files: [{ id, name }] } }, 'auto');
        return recorder.since(from);
      }
      throw new Error(`${c.id}: ${input.kind} answers are posted by a service, not asked`);
    },
  };
}
