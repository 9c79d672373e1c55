import type Database from 'better-sqlite3';

/** Every statement the SQLite store runs more than once, prepared once per connection. */
export interface SqliteStatements {
  readonly insertEvent: Database.Statement;
  readonly addRollup: Database.Statement;
  readonly addCodeRollup: Database.Statement;
  readonly insertQuery: Database.Statement;
  readonly getSettings: Database.Statement;
  readonly putSettings: Database.Statement;
  readonly digestSubscribers: Database.Statement;
  readonly alertSubscribers: Database.Statement;
  readonly info: Database.Statement;
  readonly claim: Database.Statement;
  readonly complete: Database.Statement;
  readonly release: Database.Statement;
  readonly pruneEvents: Database.Statement;
  readonly pruneRollups: Database.Statement;
  readonly pruneCodeRollups: Database.Statement;
  readonly pruneQueries: Database.Statement;
  readonly pruneClaims: Database.Statement;
}

export function sqliteStatements(db: Database.Database): SqliteStatements {
  return {
    insertEvent: db.prepare(
      `INSERT INTO events (call_key, call_id_hash, time, kind, code, method, peer, product, q850, findings, surface, workspace, channel)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (call_key) DO NOTHING`,
    ),
    addRollup: db.prepare(
      `INSERT INTO hourly (hour, kind, code, method, peer, count) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (hour, kind, code, method, peer) DO UPDATE SET count = count + excluded.count`,
    ),
    addCodeRollup: db.prepare(
      `INSERT INTO hourly_codes (hour, kind, code, method, count) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (hour, kind, code, method) DO UPDATE SET count = count + excluded.count`,
    ),
    insertQuery: db.prepare('INSERT INTO queries (time, surface, kind) VALUES (?, ?, ?)'),
    getSettings: db.prepare(
      'SELECT auto_triage, digest, alerts, alert_min_count, alert_ratio, alert_quiet_hours FROM channel_settings WHERE platform = ? AND workspace = ? AND channel = ?',
    ),
    putSettings: db.prepare(
      `INSERT INTO channel_settings (platform, workspace, channel, auto_triage, digest, alerts, alert_min_count, alert_ratio, alert_quiet_hours, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (platform, workspace, channel) DO UPDATE SET auto_triage = excluded.auto_triage, digest = excluded.digest,
         alerts = excluded.alerts, alert_min_count = excluded.alert_min_count, alert_ratio = excluded.alert_ratio,
         alert_quiet_hours = excluded.alert_quiet_hours, updated_at = excluded.updated_at`,
    ),
    digestSubscribers: db.prepare('SELECT platform, workspace, channel FROM channel_settings WHERE digest = 1 ORDER BY platform, workspace, channel'),
    alertSubscribers: db.prepare('SELECT platform, workspace, channel FROM channel_settings WHERE alerts = 1 ORDER BY platform, workspace, channel'),
    info: db.prepare('SELECT (SELECT MIN(created_at) FROM schema_version) AS created_at, (SELECT MAX(version) FROM schema_version) AS version'),
    // One statement, under SQLite's write lock: a new claim, or a takeover of a released or expired one.
    // The owner of a live claim may claim again (renewing its lease); anyone else gets no row back.
    claim: db.prepare(
      `INSERT INTO digest_claims (destination, period, owner, state, lease_until, created_at, updated_at)
       VALUES (@destination, @period, @owner, 'claimed', @leaseUntil, @now, @now)
       ON CONFLICT (destination, period) DO UPDATE SET owner = excluded.owner, state = 'claimed', lease_until = excluded.lease_until,
         message_id = NULL, updated_at = excluded.updated_at
       WHERE digest_claims.state = 'released'
          OR (digest_claims.state = 'claimed' AND (digest_claims.lease_until <= excluded.updated_at OR digest_claims.owner = excluded.owner))
       RETURNING owner`,
    ),
    // A claim whose lease ran out is still its owner's to complete until someone else takes it over.
    complete: db.prepare(
      `UPDATE digest_claims SET state = 'posted', message_id = ?, updated_at = ?
       WHERE destination = ? AND period = ? AND owner = ? AND state IN ('claimed', 'posted')`,
    ),
    release: db.prepare(`UPDATE digest_claims SET state = 'released', updated_at = ? WHERE destination = ? AND period = ? AND owner = ? AND state = 'claimed'`),
    pruneEvents: db.prepare('DELETE FROM events WHERE time < ?'),
    // Only hours that ended before the cut: a roll-up hour is whole or kept.
    pruneRollups: db.prepare('DELETE FROM hourly WHERE hour <= ?'),
    pruneCodeRollups: db.prepare('DELETE FROM hourly_codes WHERE hour <= ?'),
    pruneQueries: db.prepare('DELETE FROM queries WHERE time < ?'),
    pruneClaims: db.prepare("DELETE FROM digest_claims WHERE created_at < ? AND state <> 'claimed'"),
  };
}
