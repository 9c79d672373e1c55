/**
 * Gateway and REST payloads shaped as Discord's API v10 documents them (discord.com/developers/docs):
 * READY, GUILD_CREATE, interactions of each type, messages, threads. Ids are snowflake-shaped strings.
 */
let counter = 1_300_000_000_000_000_000n;
export const nextId = (): string => String(++counter);

export const FAKE = {
  token: 'fake-bot-token.XXXX.YYYY',
  appId: '1200000000000000001',
  botId: '1200000000000000001',
  guildId: '1200000000000000100',
  channelId: '1200000000000000200',
  userId: '1200000000000000300',
  otherBotId: '1200000000000000400',
  commandIds: { sip: '1200000000000000501', triage: '1200000000000000502', auto: '1200000000000000503', menu: '1200000000000000504' },
} as const;

const NOW = '2026-11-25T12:00:00.000000+00:00';
// Everything a guild admin has: permission checks are Discord's job, not the fake's.
const ALL_PERMISSIONS = '2251799813685247';

export const botUser = { id: FAKE.botId, username: 'siptriage', discriminator: '0', global_name: null, avatar: null, bot: true };
export const humanUser = { id: FAKE.userId, username: 'oncall', discriminator: '0', global_name: 'On-call engineer', avatar: null };
export const otherBot = { id: FAKE.otherBotId, username: 'otherbot', discriminator: '0', global_name: null, avatar: null, bot: true };

function member(user: object): object {
  return { user, roles: [], joined_at: NOW, deaf: false, mute: false, flags: 0, pending: false, nick: null, avatar: null, premium_since: null, permissions: ALL_PERMISSIONS };
}

export function readyPayload(gatewayUrl: string): object {
  return {
    v: 10,
    user: botUser,
    guilds: [{ id: FAKE.guildId, unavailable: true }],
    session_id: `session-${nextId()}`,
    resume_gateway_url: gatewayUrl,
    shard: [0, 1],
    application: { id: FAKE.appId, flags: 0 },
  };
}

export const textChannel = {
  id: FAKE.channelId,
  type: 0,
  guild_id: FAKE.guildId,
  name: 'voip-support',
  position: 0,
  permission_overwrites: [],
  nsfw: false,
  parent_id: null,
  topic: null,
  last_message_id: null,
  rate_limit_per_user: 0,
};

export function guildCreate(): object {
  return {
    id: FAKE.guildId,
    name: 'VoIP Operators',
    icon: null,
    owner_id: FAKE.userId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [{ id: FAKE.guildId, name: '@everyone', permissions: ALL_PERMISSIONS, position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    joined_at: NOW,
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [member(botUser), member(humanUser)],
    channels: [textChannel],
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
  };
}

export function threadChannel(parentId: string, messageId: string, name: string): object {
  return {
    id: messageId, // Discord gives a thread started from a message that message's id.
    type: 11,
    guild_id: FAKE.guildId,
    parent_id: parentId,
    owner_id: FAKE.botId,
    name,
    last_message_id: null,
    rate_limit_per_user: 0,
    message_count: 0,
    member_count: 1,
    thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: NOW, locked: false },
    total_message_sent: 0,
  };
}

/** The message Discord returns for a post or an edit: the body echoed back with the fields it adds. */
export function messageObject(channelId: string, body: any, id: string = nextId()): object {
  return {
    id,
    channel_id: channelId,
    author: botUser,
    content: body.content ?? '',
    timestamp: NOW,
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: body.embeds ?? [],
    components: body.components ?? [],
    pinned: false,
    type: 0,
    flags: body.flags ?? 0,
  };
}

/** A message someone posted in the guild's text channel. */
export function userMessage(content: string, options: { attachments?: object[]; author?: object; channelId?: string } = {}): any {
  const author = options.author ?? humanUser;
  return {
    id: nextId(),
    channel_id: options.channelId ?? FAKE.channelId,
    guild_id: FAKE.guildId,
    author,
    member: member(author),
    content,
    timestamp: NOW,
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: options.attachments ?? [],
    embeds: [],
    components: [],
    pinned: false,
    type: 0,
    flags: 0,
  };
}

function interaction(type: number, data: object | undefined, extra: object = {}): any {
  return {
    id: nextId(),
    application_id: FAKE.appId,
    type,
    ...(data === undefined ? {} : { data }),
    guild_id: FAKE.guildId,
    channel_id: FAKE.channelId,
    channel: textChannel,
    member: member(humanUser),
    token: `interaction-token-${nextId()}`,
    version: 1,
    app_permissions: ALL_PERMISSIONS,
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': FAKE.guildId },
    context: 0,
    attachment_size_limit: 10 * 1024 * 1024,
    ...extra,
  };
}

const APPLICATION_COMMAND = 2;
const MESSAGE_COMPONENT = 3;
const AUTOCOMPLETE = 4;
const MODAL_SUBMIT = 5;

export function chatInput(name: string, options: object[] = [], resolved?: object): any {
  const id = name === 'sip' ? FAKE.commandIds.sip : name === 'sip-triage' ? FAKE.commandIds.triage : FAKE.commandIds.auto;
  return interaction(APPLICATION_COMMAND, { id, name, type: 1, options, ...(resolved === undefined ? {} : { resolved }) });
}

export function autocomplete(typed: string): any {
  return interaction(AUTOCOMPLETE, { id: FAKE.commandIds.sip, name: 'sip', type: 1, options: [{ name: 'query', type: 3, value: typed, focused: true }] });
}

export function modalSubmit(customId: string, trace: string): any {
  return interaction(MODAL_SUBMIT, {
    custom_id: customId,
    components: [{ type: 18, id: 1, component: { type: 4, id: 2, custom_id: 'trace', value: trace } }],
  });
}

export function messageMenu(target: any): any {
  return interaction(APPLICATION_COMMAND, {
    id: FAKE.commandIds.menu,
    name: 'Triage SIP trace',
    type: 3,
    target_id: target.id,
    resolved: { messages: { [target.id]: target } },
  });
}

export function buttonClick(customId: string, message: object): any {
  return interaction(MESSAGE_COMPONENT, { custom_id: customId, component_type: 2 }, { message });
}
