// What the Slack surface reads from the service config; app maps SLACK_* and the trace limits onto it.

export interface SlackConfig {
  readonly botToken: string;
  readonly signingSecret: string;
  /** Socket Mode when set; otherwise Events API over HTTP on the shared server. */
  readonly appToken?: string;
  readonly apiUrl?: string;
}

export interface SlackSurfaceConfig {
  readonly slack: SlackConfig | undefined;
  readonly maxTraceBytes: number;
  readonly maxCaptureBytes: number;
}
