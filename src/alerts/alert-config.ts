// The settings spike alerts run with. Declared here, by the feature that reads them, so alerts never import
// app/config.ts; app maps ALERT_* onto this shape.

export interface AlertConfig {
  readonly windowMs: number;
  readonly minCount: number;
  readonly ratio: number;
  /** [from, to) hours of the day when nothing is posted; alerts still track and post once the hours end. */
  readonly quietHours?: { readonly from: number; readonly to: number };
  readonly timeZone: string;
}

/** "22-07" → { from: 22, to: 7 }. The format is checked where the text is accepted (the env schema, the chat command). */
export function parseHours(text: string): { from: number; to: number } {
  const [from = 0, to = 0] = text.split('-').map(Number);
  return { from, to };
}
