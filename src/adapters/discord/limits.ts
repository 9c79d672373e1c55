/**
 * Discord's message and embed limits (discord.com/developers/docs/resources/message#embed-object-embed-limits,
 * and the create-message and interaction-response docs). A payload over any of them is rejected with a 400,
 * so the renderer cuts content to fit before anything is sent.
 */
export const DISCORD_LIMITS = {
  embedsPerMessage: 10,
  fieldsPerEmbed: 25,
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  /** Sum of every title, description, field name and value, footer and author name in one message. */
  embedTotal: 6000,
  content: 2000,
  /** Custom ids of buttons and modals. */
  customId: 100,
  /** Message components: action rows per message, buttons per row, characters in a button label. */
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  /** Autocomplete choices per response, and the length of a choice name and value. */
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  threadName: 100,
  modalParagraph: 4000,
} as const;
