import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';

/** Names the handlers dispatch on; the definitions below are what `siptriage discord register` uploads. */
export const COMMAND = {
  sip: 'sip',
  triage: 'sip-triage',
  auto: 'sip-auto',
  triageMessage: 'Triage SIP trace',
} as const;

/** Custom ids of components and modals: a prefix, then what the handler needs to redo the work. */
export const CUSTOM_ID = {
  share: 'sip-share:',
  /** A card's follow-up button (a digest's top code): the query it asks. */
  query: 'sip-query:',
  /** The same two buttons when the query does not fit: a token for the query, held by HeldQueries. */
  heldShare: 'sip-share~',
  heldQuery: 'sip-query~',
  triageModal: 'sip-triage-modal:',
  traceField: 'trace',
} as const;

// The query travels back in the Share button's custom id (100 characters at most), so it is capped to fit.
export const MAX_QUERY_OPTION = 100 - CUSTOM_ID.share.length;

const everywhere = {
  integration_types: [ApplicationIntegrationType.GuildInstall],
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
};

/** The application commands, as Discord's bulk-overwrite endpoint takes them. */
export const COMMANDS: readonly RESTPostAPIApplicationCommandsJSONBody[] = [
  {
    type: ApplicationCommandType.ChatInput,
    name: COMMAND.sip,
    description: 'Explain a SIP code or symptom (503, busy, q850 17), or: stats, digest, alerts, auto',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'query',
        description: 'A code, class or words (busy, codec); stats 7d, digest subscribe, alerts, auto off',
        required: true,
        autocomplete: true,
        max_length: MAX_QUERY_OPTION,
      },
      { type: ApplicationCommandOptionType.Boolean, name: 'public', description: 'Post the answer to the channel (default: only you see it)' },
    ],
    ...everywhere,
  },
  {
    type: ApplicationCommandType.ChatInput,
    name: COMMAND.triage,
    description: 'Triage a SIP trace: paste it in a form, or attach a .txt, .log or .pcap file',
    options: [
      { type: ApplicationCommandOptionType.Attachment, name: 'file', description: 'A trace file (.txt, .log) or a capture (.pcap, .pcapng)' },
      { type: ApplicationCommandOptionType.Boolean, name: 'public', description: 'Post the answer to the channel (default: only you see it)' },
    ],
    ...everywhere,
  },
  {
    type: ApplicationCommandType.ChatInput,
    name: COMMAND.auto,
    description: 'Turn automatic triage of pasted SIP traces on or off in this channel',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'mode',
        description: 'on, off, or status to see the setting',
        required: true,
        choices: [
          { name: 'on', value: 'on' },
          { name: 'off', value: 'off' },
          { name: 'status', value: 'status' },
        ],
      },
    ],
    // Changing a channel's behaviour is for the people who manage that channel.
    default_member_permissions: String(PermissionFlagsBits.ManageChannels),
    integration_types: [ApplicationIntegrationType.GuildInstall],
    contexts: [InteractionContextType.Guild],
  },
  { type: ApplicationCommandType.Message, name: COMMAND.triageMessage, ...everywhere },
];
