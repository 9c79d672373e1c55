/**
 * The one log line for a Discord that cannot be used: what went wrong in words an operator can act on,
 * never the token. Codes are discord.js's error codes and the gateway's close reasons.
 */
export function loginFailure(err: unknown, apiUrl: string | undefined): string {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  const off = 'Discord is off; the rest of siptriage keeps running';
  if (code === 'TokenInvalid') return `Discord rejected DISCORD_TOKEN (401 Unauthorized): ${off}`;
  if (/disallowed intents/i.test(message)) {
    return `Discord refused the Message Content intent (gateway close 4014): enable it under Bot → Privileged Gateway Intents, or set DISCORD_AUTO_TRIAGE=false. ${off}`;
  }
  if (/authentication failed/i.test(message)) return `Discord's gateway rejected DISCORD_TOKEN (close 4004): ${off}`;
  if (code === 'TIMEOUT') return `Discord did not become ready (${message}): ${off}`;
  return `Discord could not be reached at ${apiUrl ?? 'https://discord.com/api'} (${message}): ${off}`;
}
