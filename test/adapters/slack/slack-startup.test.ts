import { describe, expect, it } from 'vitest';
import { FakeSlackApi } from './fake-slack-api.js';
import { BOT_TOKEN, startSlackService } from './slack-service.js';

describe('Slack start-up', () => {
  it('keeps the service running without Slack when the bot token is refused, and says why in one line', async () => {
    const fake = await new FakeSlackApi('xoxb-some-other-token').start();
    const s = await startSlackService({}, fake);
    try {
      const health = (await (await fetch(s.events.replace('/slack/events', '/healthz'))).json()) as { surfaces: string[] };
      expect(health.surfaces).toEqual([]);
      expect((await fetch(s.events, { method: 'POST', body: '{}' })).status).toBe(404);
      const off = s.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['msg'] === 'Slack is off');
      expect(off).toMatchObject({ level: 50, err: { code: 'SLACK_API_FAILED', message: expect.stringMatching(/^auth\.test failed: invalid_auth/) } });
      expect(s.logs.join('\n')).not.toContain(BOT_TOKEN);
    } finally {
      await s.stop();
    }
  });
});
