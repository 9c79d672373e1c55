import { describe, expect, it } from 'vitest';
import { carrierRow } from '../../../src/adapters/discord/ladder-attachment.js';

describe('the Share with carrier buttons on Discord', () => {
  it('share masked by default, and offer keeping numbers and addresses as a second, plainly labelled button', () => {
    const row = carrierRow('AbCdEfGhIjKl', { numbers: false, addresses: false });
    expect(row.components.map((c) => ('label' in c ? c.label : undefined))).toEqual(['Share with carrier (masked)', 'Share unmasked (keeps numbers and addresses)']);
    expect(row.components.map((c) => ('custom_id' in c ? c.custom_id : undefined))).toEqual(['sip-carrier:AbCdEfGhIjKl', 'sip-carrier-keep:AbCdEfGhIjKl']);
  });

  it('offer no unmasked share where REDACT_* mask both in every answer', () => {
    expect(carrierRow('AbCdEfGhIjKl', { numbers: true, addresses: true }).components).toHaveLength(1);
  });
});
