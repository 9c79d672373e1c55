// What the console surface reads from the service config: CONSOLE, and whether a chat platform is configured
// (in auto mode the console stays off when one is).

export interface ConsoleSurfaceConfig {
  readonly console: 'auto' | 'on' | 'off';
  readonly slack: object | undefined;
  readonly discord: object | undefined;
}
