// What the Discord surface reads from the service config; app maps DISCORD_* onto it.

export interface DiscordConfig {
  readonly token: string;
  readonly applicationId?: string;
  readonly apiUrl?: string;
  /** Triage of traces pasted in channels: needs the privileged Message Content intent. */
  readonly autoTriage: boolean;
}

export interface DiscordSurfaceConfig {
  readonly discord: DiscordConfig | undefined;
}
