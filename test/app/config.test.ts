import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';

describe('config', () => {
  it('has working defaults with an empty environment', () => {
    const r = loadConfig({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({ port: 3000, logLevel: 'info', console: 'auto', maxTraceBytes: 2 * 1024 * 1024, slack: undefined, discord: undefined });
    expect(Object.isFrozen(r.config)).toBe(true);
  });

  it('names the variable and the problem in one line', () => {
    const r = loadConfig({ PORT: 'abc' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(/^Invalid PORT: .*\(got "abc"\)$/);
    expect(r.error).not.toContain('\n');
    expect(loadConfig({ LOG_LEVEL: 'loud' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid LOG_LEVEL/) });
    expect(loadConfig({ REDACT_NUMBERS: 'maybe' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid REDACT_NUMBERS/) });
  });

  it('never echoes a secret in an error', () => {
    const r = loadConfig({ SLACK_API_URL: 'xoxb-not-a-url-secret' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).not.toContain('xoxb');
  });

  it('reads the Discord settings, with auto-triage off unless asked for', () => {
    expect(loadConfig({ DISCORD_TOKEN: 't' })).toMatchObject({ ok: true, config: { discord: { token: 't', autoTriage: false } } });
    const on = loadConfig({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '1200000000000000001', DISCORD_API_URL: 'http://127.0.0.1:1/api', DISCORD_AUTO_TRIAGE: 'true' });
    expect(on).toMatchObject({ ok: true, config: { discord: { applicationId: '1200000000000000001', apiUrl: 'http://127.0.0.1:1/api', autoTriage: true } } });
    expect(loadConfig({ DISCORD_AUTO_TRIAGE: 'sometimes' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid DISCORD_AUTO_TRIAGE/) });
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ PORT: '', SLACK_BOT_TOKEN: '  ' })).toMatchObject({ ok: true, config: { port: 3000, slack: undefined } });
  });

  it('reads TRIAGE_WORKERS as auto or a count', () => {
    expect(loadConfig({})).toMatchObject({ ok: true, config: { triageWorkers: 'auto' } });
    expect(loadConfig({ TRIAGE_WORKERS: '0' })).toMatchObject({ ok: true, config: { triageWorkers: 0 } });
    expect(loadConfig({ TRIAGE_WORKERS: 'many' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid TRIAGE_WORKERS/) });
  });

  it('refuses a Socket Mode app token without the bot token', () => {
    expect(loadConfig({ SLACK_APP_TOKEN: 'xapp-1-A-2-x' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid SLACK_BOT_TOKEN: Socket Mode/) });
    expect(loadConfig({ SLACK_APP_TOKEN: 'xapp-1-A-2-x', SLACK_BOT_TOKEN: 'xoxb-1' })).toMatchObject({ ok: true, config: { slack: { appToken: 'xapp-1-A-2-x', signingSecret: '' } } });
  });
});

describe('live ingest config', () => {
  it('leaves HEP, /ingest and alert overrides off by default, with metrics on', () => {
    const r = loadConfig({});
    expect(r.ok && r.config).toMatchObject({
      hep: undefined,
      ingest: undefined,
      metrics: { enabled: true, topPeers: 20 },
      alerts: { windowMs: 300_000, minCount: 10, ratio: 3, timeZone: 'UTC' },
    });
  });

  it('reads the HEP collector, /ingest and alert settings', () => {
    const r = loadConfig({
      HOST: '127.0.0.1',
      HEP_PORT: '9060',
      HEP_PASSWORD: 'capture-pw',
      HEP_CALL_GRACE_SECONDS: '1.5',
      INGEST_TOKEN: 'a-long-enough-ingest-token',
      INGEST_MAX_BYTES: '4096',
      ALERT_QUIET_HOURS: '22-07',
      ALERT_TIMEZONE: 'Europe/Paris',
    });
    expect(r.ok && r.config).toMatchObject({
      hep: { port: 9060, host: '127.0.0.1', password: 'capture-pw', graceMs: 1500, maxOpenCalls: 10_000, queuePackets: 20_000 },
      ingest: { token: 'a-long-enough-ingest-token', maxBytes: 4096 },
      alerts: { quietHours: { from: 22, to: 7 }, timeZone: 'Europe/Paris' },
    });
  });

  it('refuses a short ingest token, bad hours or an unknown time zone, naming the variable and never the token', () => {
    const short = loadConfig({ INGEST_TOKEN: 'short-secret' });
    expect(short).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid INGEST_TOKEN: must be at least 16 characters/) });
    expect(short.ok || short.error.includes('short-secret')).toBe(false);
    expect(loadConfig({ ALERT_QUIET_HOURS: '10pm-7am' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid ALERT_QUIET_HOURS/) });
    expect(loadConfig({ ALERT_TIMEZONE: 'Mars/Olympus' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid ALERT_TIMEZONE/) });
    expect(loadConfig({ HEP_PORT: '70000' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid HEP_PORT/) });
  });

  it('schedules the digest at 09:00 UTC by default, posting only to channels subscribed in chat', () => {
    expect(loadConfig({})).toMatchObject({ ok: true, config: { digest: { cron: '0 9 * * *', timeZone: 'UTC', channels: [] } } });
  });

  it('reads digest channels as ids with or without their workspace, and the schedule in its zone', () => {
    const r = loadConfig({
      DIGEST_CRON: '30 7 * * 1-5',
      DIGEST_TZ: 'Europe/Paris',
      DIGEST_SLACK_CHANNELS: 'C0123ABCD, T0AAAAAAA:G0456EFGH',
      DIGEST_DISCORD_CHANNELS: '123456789012345678,223456789012345678:323456789012345678',
    });
    expect(r.ok && r.config.digest).toEqual({
      cron: '30 7 * * 1-5',
      timeZone: 'Europe/Paris',
      channels: [
        { platform: 'slack', workspace: '', channel: 'C0123ABCD' },
        { platform: 'slack', workspace: 'T0AAAAAAA', channel: 'G0456EFGH' },
        { platform: 'discord', workspace: '', channel: '123456789012345678' },
        { platform: 'discord', workspace: '223456789012345678', channel: '323456789012345678' },
      ],
    });
  });

  it('refuses a bad cron expression, zone or channel id, naming the variable', () => {
    expect(loadConfig({ DIGEST_CRON: 'every morning' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid DIGEST_CRON: not a cron expression/) });
    expect(loadConfig({ DIGEST_CRON: '0 25 * * *' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid DIGEST_CRON/) });
    expect(loadConfig({ DIGEST_TZ: 'Mars/Olympus' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid DIGEST_TZ: not an IANA time zone/) });
    expect(loadConfig({ DIGEST_SLACK_CHANNELS: '#general' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid DIGEST_SLACK_CHANNELS: expected Slack channel ids/) });
    expect(loadConfig({ DIGEST_DISCORD_CHANNELS: '12345' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid DIGEST_DISCORD_CHANNELS/) });
  });
});

describe('store config', () => {
  it('defaults to SQLite in ./data/siptriage.db with 90 days of retention', () => {
    const r = loadConfig({});
    if (!r.ok) throw new Error(r.error);
    expect(r.config.store).toEqual({ kind: 'sqlite', path: 'data/siptriage.db' });
    expect(r.config.retentionDays).toBe(90);
  });

  it('reads PostgreSQL and SQLite URLs and a retention', () => {
    const pg = loadConfig({ DATABASE_URL: 'postgres://bot:pw@db.internal:5433/siptriage?schema=triage&sslmode=require', RETENTION_DAYS: '30' });
    if (!pg.ok) throw new Error(pg.error);
    expect(pg.config.store).toEqual({ kind: 'postgres', url: 'postgres://bot:pw@db.internal:5433/siptriage?sslmode=require', schema: 'triage' });
    expect(pg.config.retentionDays).toBe(30);
    const file = loadConfig({ DATABASE_URL: 'sqlite:/var/lib/siptriage/s.db' });
    expect(file.ok && file.config.store).toEqual({ kind: 'sqlite', path: '/var/lib/siptriage/s.db' });
  });

  it('refuses an unknown database URL or a bad retention in one line, never echoing the URL', () => {
    const r = loadConfig({ DATABASE_URL: 'mysql://root:s3cr3t-pass@db/x' });
    expect(r).toEqual({ ok: false, error: 'Invalid DATABASE_URL: expected postgres://…, postgresql://…, sqlite:PATH, file:PATH or :memory: (got "…")' });
    const schema = loadConfig({ DATABASE_URL: 'postgres://u:s3cr3t-pass@db/x?schema=a;drop' });
    expect(schema.ok ? '' : schema.error).toMatch(/^Invalid DATABASE_URL: schema must be a plain identifier/);
    expect(schema.ok ? '' : schema.error).not.toContain('s3cr3t');
    expect(loadConfig({ RETENTION_DAYS: '0' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid RETENTION_DAYS: /) });
  });
  it('reads the kept-calls settings, with failing calls kept for 7 days by default', () => {
    const d = loadConfig({});
    expect(d.ok && d.config.calls).toMatchObject({ keep: true, keepDays: 7, maxBytesPerDay: 512 * 1024 * 1024, sampleAnswered: 0.01, legRules: [] });
    expect(d.ok && d.config.calls.correlationHeaders).toContain('P-Charging-Vector');
    const r = loadConfig({ CALLS_KEEP: 'off', CALLS_MAX_MB_PER_DAY: '10', CALLS_LEG_RULES: 'suffix:-b2b, prefix:B2B.', CALLS_CORRELATION_HEADERS: 'X-CID, X-Corr-*' });
    expect(r.ok && r.config.calls).toMatchObject({
      keep: false,
      maxBytesPerDay: 10 * 1024 * 1024,
      legRules: [{ kind: 'suffix', text: '-b2b' }, { kind: 'prefix', text: 'B2B.' }],
      correlationHeaders: ['X-CID', 'X-Corr-*'],
    });
    expect(loadConfig({ CALLS_LEG_RULES: 'regex:.*' })).toEqual({ ok: false, error: expect.stringMatching(/^Invalid CALLS_LEG_RULES: expected suffix:TEXT or prefix:TEXT/) });
    expect(loadConfig({ CALLS_SAMPLE_ANSWERED: '2' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid CALLS_SAMPLE_ANSWERED/) });
    expect(loadConfig({ CALLS_CORRELATION_HEADERS: 'X CID' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid CALLS_CORRELATION_HEADERS/) });
  });

  it('reads PUBLIC_URL as an http(s) URL without its trailing slash, and a link secret of 16 characters at least', () => {
    expect(loadConfig({})).toMatchObject({ ok: true, config: { callLinks: {} } });
    expect(loadConfig({ PUBLIC_URL: 'https://siptriage.example.com/', CALLS_LINK_SECRET: 'a link secret of 16+' })).toMatchObject({ ok: true, config: { callLinks: { publicUrl: 'https://siptriage.example.com', secret: 'a link secret of 16+' } } });
    expect(loadConfig({ PUBLIC_URL: 'http://10.0.0.5:3000/siptriage//' })).toMatchObject({ ok: true, config: { callLinks: { publicUrl: 'http://10.0.0.5:3000/siptriage' } } });
    for (const bad of ['siptriage.example.com', 'ftp://siptriage.example.com', 'https://s.example.com/?x=1', 'javascript:alert(1)']) {
      expect(loadConfig({ PUBLIC_URL: bad }), bad).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid PUBLIC_URL/) });
    }
    const short = loadConfig({ CALLS_LINK_SECRET: 'short-secret' });
    expect(short).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid CALLS_LINK_SECRET: must be at least 16/) });
    if (!short.ok) expect(short.error).not.toContain('short-secret');
  });
});
