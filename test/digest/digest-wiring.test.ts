import { describe, expect, it } from 'vitest';
import { startSlackService } from '../adapters/slack/slack-service.js';

describe('digest in the running service', () => {
  it('catches up the latest scheduled digest on start, posting it through Slack to DIGEST_SLACK_CHANNELS once', async () => {
    // A daily 09:00 digest was always due less than a day ago: a fresh start posts it (all clear: the store is new).
    const s = await startSlackService({ DIGEST_SLACK_CHANNELS: 'C0WIRED001', DIGEST_CRON: '0 9 * * *' });
    try {
      const post = await s.fake.waitFor(() => s.fake.callsTo('chat.postMessage').find((c) => c.args['channel'] === 'C0WIRED001'), 'the digest post');
      expect(String(post.args['text'])).toMatch(/^SIP digest: .*: All clear: no SIP errors recorded in the 24 hours to 09:00 /);
    } finally {
      // Stopping waits for the digest run in flight, so its outcome is counted by now.
      await s.stop();
    }
    expect(await s.service.metrics.text()).toContain('siptriage_digest_runs_total{result="posted"} 1');
    expect(s.fake.callsTo('chat.postMessage').filter((c) => c.args['channel'] === 'C0WIRED001')).toHaveLength(1);
  });
});
