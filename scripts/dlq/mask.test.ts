import { describe, expect, it } from 'vitest';
import { maskedValue } from './mask.js';

describe('maskedValue', () => {
  it('when a value holds a sealed SSO token or a payment token, they are masked at any depth and the rest is kept', () => {
    const value = JSON.stringify({
      type: 'OrderConfirmed',
      data: { orderId: 'o-1', encryptedSsoToken: 'sealed-secret', ssoTokenExpiresAt: '2026-01-01T00:00:00Z' },
      list: [{ paymentMethod: { token: 'tok_1' } }],
    });
    expect(maskedValue(value)).toEqual({
      type: 'OrderConfirmed',
      data: { orderId: 'o-1', encryptedSsoToken: '[masked, 13 characters]', ssoTokenExpiresAt: '2026-01-01T00:00:00Z' },
      list: [{ paymentMethod: { token: '[masked, 5 characters]' } }],
    });
  });

  it('when a value is not JSON, token fields in its text are masked all the same', () => {
    const text = maskedValue('{"encryptedSsoToken": "sealed-secret", broken');
    expect(text).toBe('{"encryptedSsoToken": "[masked, 13 characters]", broken');
    expect(JSON.stringify(text)).not.toContain('sealed-secret');
  });

  it('when a record has no value, it is null', () => expect(maskedValue(null)).toBeNull());
});
