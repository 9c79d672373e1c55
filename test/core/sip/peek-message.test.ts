import { describe, expect, it } from 'vitest';
import { parseSipMessage } from '../../../src/core/sip/parse-message.js';
import { peekSipMessage } from '../../../src/core/sip/peek-message.js';
import { RAW_SETS, rawPayloads } from '../../ingest/raw-fixtures.js';

describe('peekSipMessage', () => {
  it.each(RAW_SETS)('agrees with the full parser on what identifies each message (%s)', (set) => {
    for (const text of rawPayloads(set)) {
      const peek = peekSipMessage(text);
      const full = parseSipMessage(text);
      expect(full.ok).toBe(true);
      if (!full.ok) continue;
      expect(peek).toMatchObject({ method: full.message.method, status: full.message.status, callId: full.message.callId });
      expect(peek?.cseq).toEqual(full.message.cseq);
    }
  });

  it('reads compact header names (RFC 3261 §7.3.3)', () => {
    const [invite = ''] = rawPayloads('10-not-found-404');
    expect(invite).toMatch(/^i: /m);
    const full = parseSipMessage(invite);
    expect(full.ok && peekSipMessage(invite)?.callId).toBe(full.ok && full.message.callId);
    expect(peekSipMessage(invite)?.cseq).toEqual({ seq: 1, method: 'INVITE' });
  });

  it('gives copies the same key and different messages different keys', () => {
    const messages = rawPayloads('03-unavailable-503');
    const keys = messages.map((m) => peekSipMessage(m)?.key);
    // The 503 is retransmitted once in this capture: exactly one key repeats.
    expect(keys.length - new Set(keys).size).toBe(1);
    const [a = '', b = ''] = rawPayloads('14-kamailio-486').filter((m) => m.startsWith('SIP/2.0 486'));
    // The same response on the two legs of a proxy carries different Via sets: not a copy.
    expect(peekSipMessage(a)?.key).not.toBe(peekSipMessage(b)?.key);
  });

  it('refuses what is not a SIP message, or has no Call-ID', () => {
    expect(peekSipMessage('GET / HTTP/1.1\r\nHost: x\r\n\r\n')).toBeUndefined();
    expect(peekSipMessage('SIP/2.0 99 Odd\r\nCall-ID: a\r\n\r\n')).toBeUndefined();
    expect(peekSipMessage('OPTIONS sip:a@b SIP/2.0\r\nCSeq: 1 OPTIONS\r\n\r\n')).toBeUndefined();
    expect(peekSipMessage('')).toBeUndefined();
  });
});
