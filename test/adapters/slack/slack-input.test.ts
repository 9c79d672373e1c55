import { describe, expect, it } from 'vitest';
import { parseSipCommand } from '../../../src/adapters/slack/command-sip.js';
import { isTraceFile, trustedFileUrl } from '../../../src/adapters/slack/trace-intake.js';

describe('reading Slack input', () => {
  it('parses /sip: queries, public, auto', () => {
    expect(parseSipCommand(' 503 ')).toEqual({ kind: 'query', query: '503', public: false });
    expect(parseSipCommand('busy here PUBLIC')).toEqual({ kind: 'query', query: 'busy here', public: true });
    expect(parseSipCommand('public')).toEqual({ kind: 'query', query: 'public', public: false });
    expect(parseSipCommand('auto off')).toEqual({ kind: 'auto', value: 'off' });
    expect(parseSipCommand('Auto ON')).toEqual({ kind: 'auto', value: 'on' });
    expect(parseSipCommand('auto')).toEqual({ kind: 'auto', value: undefined });
    expect(parseSipCommand('automatic')).toEqual({ kind: 'query', query: 'automatic', public: false });
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
