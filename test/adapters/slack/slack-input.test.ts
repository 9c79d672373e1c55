import { describe, expect, it } from 'vitest';
import { parseSipCommand } from '../../../src/adapters/slack/command-sip.js';
import { isTraceFile, trustedFileUrl } from '../../../src/adapters/slack/trace-intake.js';

describe('reading Slack input', () => {
  it('parses /sip: the query, and public at the end', () => {
    expect(parseSipCommand(' 503 ')).toEqual({ query: '503', public: false });
    expect(parseSipCommand('busy here PUBLIC')).toEqual({ query: 'busy here', public: true });
    expect(parseSipCommand('public')).toEqual({ query: 'public', public: false });
    expect(parseSipCommand('stats 7d public')).toEqual({ query: 'stats 7d', public: true });
    // auto, stats, digest and alerts are read by the core query parser, like every other query.
    expect(parseSipCommand('auto off')).toEqual({ query: 'auto off', public: false });
  });

  it('sends the bot token only to Slack hosts or the configured API host', () => {
    expect(trustedFileUrl('https://files.slack.com/files-pri/T1-F1/download/a.log', undefined)).toBe(true);
    expect(trustedFileUrl('https://files.slack-gov.com/files-pri/T1-F1/a.log', undefined)).toBe(true);
    expect(trustedFileUrl('http://files.slack.com/a.log', undefined)).toBe(false);
    expect(trustedFileUrl('https://slack.com.evil.example/a.log', undefined)).toBe(false);
    expect(trustedFileUrl('https://evil.example/?files.slack.com', undefined)).toBe(false);
    expect(trustedFileUrl('http://127.0.0.1:9999/files/F1', 'http://127.0.0.1:9999/api/')).toBe(true);
    expect(trustedFileUrl('http://127.0.0.1:9998/files/F1', 'http://127.0.0.1:9999/api/')).toBe(false);
    expect(trustedFileUrl('not a url', undefined)).toBe(false);
  });

  it('takes text logs, snippets and captures as traces, and nothing else', () => {
    for (const name of ['a.log', 'b.TXT', 'c.pcap', 'd.pcapng', 'e.cap', 'f.sip']) expect(isTraceFile({ id: 'F', name })).toBe(true);
    expect(isTraceFile({ id: 'F', name: 'Untitled', mode: 'snippet' })).toBe(true);
    expect(isTraceFile({ id: 'F', name: 'diagram.png', filetype: 'png' })).toBe(false);
    expect(isTraceFile({ id: 'F', name: 'report.pdf' })).toBe(false);
  });
});
