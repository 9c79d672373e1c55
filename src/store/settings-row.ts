import { DEFAULT_CHANNEL_SETTINGS, type ChannelSettings } from '../ports/store.js';
import { bounded } from './event-row.js';

/** channel_settings as either engine returns it (SQLite gives 0/1, PostgreSQL booleans; pg may give numerics as strings). */
export interface SettingsRow {
  readonly auto_triage: number | boolean;
  readonly digest: number | boolean;
  readonly alerts: number | boolean;
  readonly alert_min_count: number | string | null;
  readonly alert_ratio: number | string | null;
  readonly alert_quiet_hours: string | null;
}

/** Settings with every field present: null alert fields mean "the configured default". */
export interface FullSettings extends ChannelSettings {
  readonly alertMinCount: number | null;
  readonly alertRatio: number | null;
  readonly alertQuietHours: string | null;
}

/** A channel never configured has the defaults. */
export function settingsRow(row: SettingsRow | undefined): ChannelSettings {
  if (row === undefined) return DEFAULT_CHANNEL_SETTINGS;
  return {
    autoTriage: Boolean(row.auto_triage),
    digest: Boolean(row.digest),
    alerts: Boolean(row.alerts),
    alertMinCount: row.alert_min_count === null ? null : Number(row.alert_min_count),
    alertRatio: row.alert_ratio === null ? null : Number(row.alert_ratio),
    alertQuietHours: row.alert_quiet_hours,
  };
}

/**
 * `current` with `patch` applied. Fields the patch leaves out (or sets to undefined) keep their value; a
 * value of the wrong type or out of range is ignored rather than stored.
 */
export function settingsPatch(current: ChannelSettings, patch: Partial<ChannelSettings>): FullSettings {
  const flag = (v: unknown, was: boolean): boolean => (typeof v === 'boolean' ? v : was);
  const minCount = patch.alertMinCount;
  const ratio = patch.alertRatio;
  const quiet = patch.alertQuietHours;
  return {
    autoTriage: flag(patch.autoTriage, current.autoTriage),
    digest: flag(patch.digest, current.digest),
    alerts: flag(patch.alerts, current.alerts),
    alertMinCount:
      minCount === null || (Number.isInteger(minCount) && (minCount as number) >= 1 && (minCount as number) <= 1_000_000_000)
        ? (minCount ?? null)
        : (current.alertMinCount ?? null),
    alertRatio: ratio === null || (Number.isFinite(ratio) && (ratio as number) > 0 && (ratio as number) <= 1e6) ? (ratio ?? null) : (current.alertRatio ?? null),
    alertQuietHours: quiet === null ? null : typeof quiet === 'string' ? bounded(quiet, 16) : (current.alertQuietHours ?? null),
  };
}
