import type { Card, CardField } from '../core/card/card.js';
import { ALERTS_USAGE, type AlertsCommand } from '../core/query/alerts-query.js';
import type { ChannelSettings } from '../ports/store.js';
import type { Thresholds } from './spike-rule.js';

export interface AlertsStatus {
  readonly subscribed: boolean;
  readonly thresholds: Thresholds;
  readonly quietHours: { readonly from: number; readonly to: number } | undefined;
  readonly timeZone: string;
  readonly windowMs: number;
  /** Whether settings survive a restart (a store is configured). */
  readonly persistent: boolean;
  readonly baseline: 'history' | 'ewma';
  readonly active: readonly string[];
}

/** The settings patch a command asks for, or undefined when it only reads. */
export function settingsPatch(cmd: AlertsCommand): Partial<ChannelSettings> | undefined {
  switch (cmd.action) {
    case 'subscribe':
      return { alerts: true };
    case 'unsubscribe':
      return { alerts: false };
    case 'threshold':
      if (cmd.reset === true) return { alertMinCount: null, alertRatio: null };
      return { ...(cmd.minCount === undefined ? {} : { alertMinCount: cmd.minCount }), ...(cmd.ratio === undefined ? {} : { alertRatio: cmd.ratio }) };
    case 'quiet':
      return { alertQuietHours: cmd.hours === undefined ? 'off' : `${cmd.hours.from}-${cmd.hours.to}` };
    default:
      return undefined;
  }
}

/** The answer to `/sip alerts …`: what changed, and the channel's alert settings as they now are. */
export function alertsCard(cmd: AlertsCommand, s: AlertsStatus): Card {
  if (cmd.action === 'invalid') {
    return { kind: 'usage', title: 'siptriage: alerts command not understood', summary: cmd.problem, tone: 'neutral', fields: [], sections: [{ title: 'Try', items: [...ALERTS_USAGE] }], links: [], isError: true };
  }
  const minutes = Math.round(s.windowMs / 60_000);
  const fields: CardField[] = [
    { label: 'Alerts here', value: s.subscribed ? 'on' : 'off', inline: true },
    { label: 'Threshold', value: `${s.thresholds.minCount} failures in ${minutes} min and ${s.thresholds.ratio}× usual`, inline: true },
    { label: 'Quiet hours', value: s.quietHours === undefined ? 'none' : `${pad(s.quietHours.from)}:00-${pad(s.quietHours.to)}:00 ${s.timeZone}`, inline: true },
    { label: 'Usual rate from', value: s.baseline === 'history' ? 'same hour over the last 7 days' : 'recent average (too little history yet)', inline: true },
  ];
  const notes: string[] = [];
  if (!s.persistent && settingsPatch(cmd) !== undefined) notes.push('No database is configured: this setting lasts until siptriage restarts.');
  return {
    kind: 'notice',
    title: title(cmd, s),
    summary: s.active.length === 0 ? 'Nothing is spiking right now.' : `Spiking now: ${s.active.join(', ')}.`,
    tone: s.active.length > 0 ? 'danger' : 'info',
    fields,
    sections: [{ title: 'Commands', items: [...ALERTS_USAGE] }],
    links: [],
    ...(notes.length === 0 ? {} : { footer: notes.join(' ') }),
  };
}

function title(cmd: AlertsCommand, s: AlertsStatus): string {
  switch (cmd.action) {
    case 'subscribe':
      return 'Spike alerts will be posted here';
    case 'unsubscribe':
      return 'Spike alerts are off here';
    case 'threshold':
      return 'Alert threshold updated';
    case 'quiet':
      return s.quietHours === undefined ? 'No quiet hours here' : 'Quiet hours set';
    default:
      return 'Spike alerts';
  }
}

function pad(h: number): string {
  return String(h).padStart(2, '0');
}

/** The private answer to an alert's Acknowledge or Mute button; the alert itself shows it to everyone. */
export function incidentActionCard(cmd: { readonly action: 'ack' | 'mute'; readonly minutes?: number }, incident: { readonly ack?: { readonly by: string } }, by: string): Card {
  const title =
    cmd.action === 'ack'
      ? incident.ack !== undefined && incident.ack.by !== by
        ? `Already acknowledged by ${incident.ack.by}`
        : 'Acknowledged: the alert now shows your name'
      : `Muted for ${cmd.minutes !== undefined && cmd.minutes % 60 === 0 ? `${cmd.minutes / 60} h` : `${cmd.minutes ?? 60} min`}: no edits or new alerts for these failures here until then`;
  return { kind: 'notice', title, summary: '', tone: 'info', fields: [], sections: [], links: [] };
}

/** A button pressed on an alert that is over, or from before a restart (incidents live in memory). */
export function incidentGoneCard(): Card {
  return { kind: 'notice', title: 'That alert is over', summary: 'It has cleared, or siptriage restarted since it was posted. `/sip alerts` shows what is spiking now.', tone: 'info', fields: [], sections: [], links: [] };
}
