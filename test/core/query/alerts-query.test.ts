import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../../src/core/query/parse-query.js';

describe('/sip alerts', () => {
  it.each([
    ['/sip alerts', { action: 'status' }],
    ['alerts status', { action: 'status' }],
    ['/sip alerts subscribe', { action: 'subscribe' }],
    ['/sip alert on', { action: 'subscribe' }],
    ['/sip alerts unsubscribe', { action: 'unsubscribe' }],
    ['/sip alerts threshold 20', { action: 'threshold', minCount: 20 }],
    ['/sip alerts threshold 20 ratio 4', { action: 'threshold', minCount: 20, ratio: 4 }],
    ['/sip alerts threshold 2.5x', { action: 'threshold', ratio: 2.5 }],
    ['/sip alerts threshold default', { action: 'threshold', reset: true }],
    ['/sip alerts quiet 22-07', { action: 'quiet', hours: { from: 22, to: 7 } }],
    ['/sip alerts quiet off', { action: 'quiet' }],
  ])('%s', (text, command) => {
    expect(parseQuery(text)).toEqual({ kind: 'alerts', command });
  });

  it.each(['/sip alerts threshold', '/sip alerts threshold 0', '/sip alerts threshold 5 ratio 0.5', '/sip alerts quiet 25-07', '/sip alerts quiet 7-7', '/sip alerts dance'])(
    'refuses "%s" with a reason',
    (text) => {
      const q = parseQuery(text);
      expect(q.kind).toBe('alerts');
      expect(q.kind === 'alerts' && q.command.action).toBe('invalid');
    },
  );

  it('leaves the other queries alone', () => {
    expect(parseQuery('/sip 503')).toEqual({ kind: 'code', code: 503 });
    expect(parseQuery('/sip alerting stuff').kind).toBe('search');
  });
});
