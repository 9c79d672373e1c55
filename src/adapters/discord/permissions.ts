import { GatewayIntentBits, PermissionFlagsBits } from 'discord.js';

/**
 * The bot permissions the invite asks for, and why each is needed. Interaction replies need none; these
 * cover auto-triage threads and the digest/alert poster.
 */
export const BOT_PERMISSIONS = [
  ['ViewChannel', PermissionFlagsBits.ViewChannel, 'see the channels it answers in'],
  ['SendMessages', PermissionFlagsBits.SendMessages, 'post digests and alerts'],
  ['SendMessagesInThreads', PermissionFlagsBits.SendMessagesInThreads, 'answer inside the triage thread'],
  ['CreatePublicThreads', PermissionFlagsBits.CreatePublicThreads, 'open a thread on a pasted trace'],
  ['EmbedLinks', PermissionFlagsBits.EmbedLinks, 'show cards as embeds'],
  ['AttachFiles', PermissionFlagsBits.AttachFiles, 'attach chart images to digests'],
] as const;

export const BOT_PERMISSION_BITS: bigint = BOT_PERMISSIONS.reduce((bits, [, bit]) => bits | bit, 0n);

/** The OAuth2 URL that adds the bot to a server with exactly these permissions and its commands. */
export function inviteUrl(applicationId: string): string {
  const params = new URLSearchParams({ client_id: applicationId, scope: 'bot applications.commands', permissions: BOT_PERMISSION_BITS.toString() });
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}

/**
 * Gateway intents: Guilds for channel and thread state. Auto-triage also needs GuildMessages and the
 * privileged MessageContent intent, which must be switched on in the developer portal (Bot → Privileged
 * Gateway Intents) and, past 100 servers, approved by Discord; without it the gateway closes with 4014.
 */
export function gatewayIntents(autoTriage: boolean): number {
  const base = GatewayIntentBits.Guilds;
  return autoTriage ? base | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent : base;
}
