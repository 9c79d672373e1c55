import { describe, expect, it } from 'vitest';
import { ACTION_SHARE_CARRIER, ACTION_SHARE_CARRIER_KEEP, shareCarrierButtons } from '../../../src/adapters/slack/share-button.js';

describe('the Share with carrier buttons on Slack', () => {
  it('say numbers and addresses are masked even with REDACT_* off, and make keeping them a second button with its own confirmation', () => {
    const [masked, keep] = shareCarrierButtons('AbCdEfGhIjKl', { numbers: false, addresses: false }) as any[];
    expect(masked.action_id).toBe(ACTION_SHARE_CARRIER);
    expect(masked.confirm.text.text).toContain('phone numbers and IP addresses are masked');
    expect(keep.action_id).toBe(ACTION_SHARE_CARRIER_KEEP);
    expect(keep.text.text).toBe('Share unmasked');
    expect(keep.confirm.text.text).toContain('phone numbers and IP addresses are kept');
    expect(keep.confirm.style).toBe('danger');
    // Slack's confirm text limit.
    for (const b of [masked, keep]) expect(b.confirm.text.text.length).toBeLessThanOrEqual(300);
  });

  it('offer no unmasked share where REDACT_* mask both in every answer', () => {
    expect(shareCarrierButtons('AbCdEfGhIjKl', { numbers: true, addresses: true })).toHaveLength(1);
  });
});
