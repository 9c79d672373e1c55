import { readFileSync } from 'node:fs';
import { MessageFlags, type APIEmbed, type MessageContextMenuCommandInteraction, type REST, type RepliableInteraction } from 'discord.js';
import type { DiscordDeps } from '../../src/adapters/discord/deps.js';
import { discordPoster } from '../../src/adapters/discord/discord-poster.js';
import { HeldQueries } from '../../src/adapters/discord/held-queries.js';
import { Recorder } from '../../src/adapters/discord/record.js';
import { answerSipQuery } from '../../src/adapters/discord/sip-command.js';
import { handleTriageMessage } from '../../src/adapters/discord/triage-command.js';
import type { ChatPoster } from '../../src/core/chat-port.js';
import { fixturePath, type PreviewCase } from './cases.js';
import type { FileHost } from './file-server.js';
import type { DiscordPost, PreviewImage } from './payloads.js';
import { CountedHeldTraces } from './slack-capture.js';
import type { PreviewWorld } from './world.js';

export const DISCORD_CHANNEL = '222222222222222222';
const GUILD = '111111111111111111';

interface Body {
  readonly content?: string;
  readonly embeds?: APIEmbed[];
  readonly components?: Record<string, unknown>[];
  readonly flags?: number;
  readonly files?: readonly { readonly attachment?: Buffer; readonly data?: Buffer; readonly name: string; readonly description?: string }[];
  readonly message_reference?: unknown;
}

function images(body: Body): PreviewImage[] {
  return (body.files ?? []).map((f) => ({ filename: f.name, alt: f.description ?? '', png: new Uint8Array(f.attachment ?? f.data ?? Buffer.alloc(0)) }));
}

function postOf(via: string, body: Body, ephemeral: boolean): DiscordPost {
  return {
    via,
    ephemeral,
    reply: body.message_reference !== undefined,
    ...(body.content === undefined || body.content === '' ? {} : { content: body.content }),
    embeds: body.embeds ?? [],
    components: body.components ?? [],
    images: images(body),
  };
}

/**
 * An interaction as the Discord adapter uses one: replies, deferrals, edits and follow-ups are recorded as
 * the messages the person would see. Everything else about Discord (gateway, REST) is out of the picture.
 */
function interaction(posts: DiscordPost[], extra: Record<string, unknown> = {}): RepliableInteraction {
  let ephemeral = false;
  const i = {
    deferred: false,
    replied: false,
    channelId: DISCORD_CHANNEL,
    guildId: GUILD,
    user: { id: '333333333333333333', username: 'oncall', globalName: 'On-call' },
    channel: { isThread: () => false },
    memberPermissions: { has: () => true },
    inGuild: () => true,
    async deferReply(o: { flags?: number } = {}) {
      i.deferred = true;
      ephemeral = ((o.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
    },
    async reply(body: Body) {
      i.replied = true;
      posts.push(postOf('interaction reply', body, ((body.flags ?? 0) & MessageFlags.Ephemeral) !== 0));
    },
    async editReply(body: Body) {
      i.replied = true;
      const first = posts[0];
      // An edit with files only adds them (the ladder after the text); anything else is the reply itself.
      if (first !== undefined && body.embeds === undefined && body.content === undefined) posts[0] = { ...first, images: [...first.images, ...images(body)] };
      else if (first !== undefined) posts[0] = postOf('interaction reply (edited)', body, first.ephemeral);
      else posts.push(postOf('interaction reply (deferred)', body, ephemeral));
    },
    async followUp(body: Body) {
      posts.push(postOf('follow-up', body, ((body.flags ?? 0) & MessageFlags.Ephemeral) !== 0));
    },
    ...extra,
  };
  return i as unknown as RepliableInteraction;
}

/**
 * Discord's REST API as discord.js's REST client is asked it by the poster (digests, alerts): posts,
 * replies (message_reference) and edits, each message kept in its latest version.
 */
export class DiscordRecorder {
  readonly messages: { id: string; post: DiscordPost }[] = [];
  #id = 0;

  readonly rest = {
    post: async (_route: string, o: { body: Body; files?: Body['files'] }) => {
      const id = String(900000000000000000 + ++this.#id);
      this.messages.push({ id, post: postOf('POST /channels/…/messages', { ...o.body, ...(o.files === undefined ? {} : { files: o.files }) }, false) });
      return { id };
    },
    patch: async (route: string, o: { body: Body; files?: Body['files'] }) => {
      const m = this.messages.find((x) => route.endsWith(`/${x.id}`));
      const post = postOf('PATCH /channels/…/messages/…', { ...o.body, ...(o.files === undefined ? {} : { files: o.files }) }, false);
      if (m !== undefined) m.post = { ...post, reply: m.post.reply, images: post.images.length > 0 ? post.images : m.post.images };
      return {};
    },
  };

  since(from: number): DiscordPost[] {
    return this.messages.slice(from).map((m) => m.post);
  }
}

export interface DiscordSide {
  readonly recorder: DiscordRecorder;
  readonly poster: ChatPoster;
  answer(c: PreviewCase): Promise<DiscordPost[]>;
}

/** The Discord adapter's handlers over the preview world: /sip as a slash command, traces through the message menu. */
export function discordSide(world: PreviewWorld, host: FileHost): DiscordSide {
  const recorder = new DiscordRecorder();
  const queries = new HeldQueries();
  const poster = discordPoster(recorder.rest as unknown as REST, queries);
  const deps: DiscordDeps = {
    engine: world.engine,
    triage: world.triage,
    store: world.store,
    log: world.log,
    recorder: new Recorder(world.store, world.log),
    commands: world.commands('discord'),
    metrics: undefined,
    autoTriage: false,
    attachmentOrigins: [host.origin],
    held: new CountedHeldTraces(),
    queries,
  };
  return {
    recorder,
    poster,
    async answer(c) {
      const posts: DiscordPost[] = [];
      const input = c.input;
      if (input.kind === 'query') {
        await answerSipQuery(deps, interaction(posts), input.query, false);
        return posts;
      }
      if (input.kind === 'paste' || input.kind === 'file') {
        const bytes = readFileSync(fixturePath(input.file));
        const name = input.file.split('/').pop() ?? 'trace.txt';
        const attachments = new Map(input.kind === 'file' ? [['1', { name, url: host.put(name, new Uint8Array(bytes)), size: bytes.byteLength }]] : []);
        const targetMessage = { content: input.kind === 'paste' ? bytes.toString('utf8') : '', attachments };
        await handleTriageMessage(deps, interaction(posts, { targetMessage }) as MessageContextMenuCommandInteraction);
        return posts;
      }
      throw new Error(`${c.id}: ${input.kind} answers are posted by a service, not asked`);
    },
  };
}
