import { describe, expect, it } from 'vitest';
import { boltLogger, scrubSecrets } from '../../../src/adapters/slack/bolt-logger.js';
import { memoryLogger } from './slack-service.js';

describe('Bolt logging', () => {
  it('scrubs configured secrets, Slack token shapes and payload verification tokens from strings', () => {
    const text = scrubSecrets('token xoxb-123-456-abc app xapp-1-A1-2-def secret s3cr3t-signing {"token":"vErIfY","x":1} token=abc&y=2', ['s3cr3t-signing']);
    expect(text).toBe('token [redacted] app [redacted] secret [redacted] {"token":"[redacted]","x":1} token=[redacted]&y=2');
  });

  it('nests Bolt messages under "bolt" in the service log, scrubbed, errors included', () => {
    const lines: string[] = [];
    const logger = boltLogger(memoryLogger(lines), ['the-signing-secret']);
    logger.debug('Received a message on the WebSocket: {"payload":{"token":"legacy","text":"503"}}');
    logger.error('apiCall failed', new Error('invalid_auth for xoxb-999-888-zzz'));
    const [debug, error] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(debug).toMatchObject({ level: 20, module: 'slack-bolt', bolt: 'Received a message on the WebSocket: {"payload":{"token":"[redacted]","text":"503"}}' });
    expect(error).toMatchObject({ level: 50, bolt: 'apiCall failed', err: { message: 'invalid_auth for [redacted]' } });
  });
});
