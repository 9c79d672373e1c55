import { describe, expect, it } from 'vitest';
import { normalizeNumber, uriNumber } from '../../../src/core/calls/phone-number.js';

describe('normalizeNumber', () => {
  it('writes one international number one way however it was dialled', () => {
    expect(normalizeNumber('+49 30 1234-5678')).toBe('+493012345678');
    expect(normalizeNumber('0049301234 5678')).toBe('+493012345678');
    expect(normalizeNumber('+1 (555) 010.0199')).toBe('+15550100199');
  });

  it('keeps national and short numbers as dialled, without parameters', () => {
    expect(normalizeNumber('030 1234;phone-context=+49')).toBe('0301234');
    expect(normalizeNumber('112')).toBe('112');
  });

  it('is undefined for what is not a number', () => {
    expect(normalizeNumber('alice')).toBeUndefined();
    expect(normalizeNumber('*97')).toBeUndefined();
    expect(normalizeNumber('12')).toBeUndefined();
    expect(normalizeNumber('+1234567890123456')).toBeUndefined();
    expect(normalizeNumber('')).toBeUndefined();
  });
});

describe('uriNumber', () => {
  it('reads the number of sip: and tel: URIs', () => {
    expect(uriNumber('sip:+4930123456@carrier.example.net;user=phone')).toBe('+4930123456');
    expect(uriNumber('tel:+1-201-555-0123')).toBe('+12015550123');
    expect(uriNumber('sip:%2B4930123456@pbx.example.com')).toBe('+4930123456');
    expect(uriNumber('sip:alice@example.com')).toBeUndefined();
    expect(uriNumber(undefined)).toBeUndefined();
  });
});
