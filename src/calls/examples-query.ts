const DAY_MS = 86_400_000;

/**
 * The `/sip calls` query behind an alert's Example calls button: the three latest kept calls with the
 * incident's code and peer up to `now`. Drawn at each evaluation, so a resolved alert keeps the query of its
 * last active view: the calls behind the spike, not the ones that came after, for as long as they are kept.
 */
export function examplesQuery(incident: { readonly code?: number; readonly peer?: string; readonly since: number; readonly now: number }): string {
  const words = ['calls', 'examples'];
  if (incident.code !== undefined) words.push(String(incident.code));
  if (incident.peer !== undefined && /^[A-Za-z0-9.:[\]-]{1,255}$/.test(incident.peer)) words.push(incident.peer);
  // The period reaches back to the incident's start, and a little before it, however long it lasted.
  const age = incident.now - incident.since;
  words.push(age < 3_600_000 - 600_000 ? '1h' : age < DAY_MS - 3_600_000 ? '24h' : '7d', 'before', String(Math.floor(incident.now) + 1));
  return words.join(' ');
}
