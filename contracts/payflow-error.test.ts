import { describe, expect, it } from 'vitest';
import { isPermanent, PayflowError } from './payflow-error.js';

class CardDeclinedError extends PayflowError<'CARD_DECLINED'> {
  constructor(options: { cause?: unknown } = {}) {
    super('CARD_DECLINED', 'The card was declined; use another card.', { retryable: false, ...options });
  }
}

class GatewayAwayError extends PayflowError<'GATEWAY_UNAVAILABLE'> {
  constructor() {
    super('GATEWAY_UNAVAILABLE', 'The gateway did not answer; it is asked again.', { retryable: true });
  }
}

describe('PayflowError', () => {
  it('carries its code, its message and whether to retry', () => {
    const declined = new CardDeclinedError();
    expect(declined.code).toBe('CARD_DECLINED');
    expect(declined.message).toBe('The card was declined; use another card.');
    expect(declined.retryable).toBe(false);
    expect(new GatewayAwayError().retryable).toBe(true);
  });

  it('is named after the class thrown, so a log line says which error it was', () => {
    expect(new CardDeclinedError().name).toBe('CardDeclinedError');
    expect(new GatewayAwayError().name).toBe('GatewayAwayError');
    expect(String(new CardDeclinedError())).toBe('CardDeclinedError: The card was declined; use another card.');
  });

  it('keeps the error it was caused by, and has no cause when given none', () => {
    const refused = new Error('HTTP 402');
    expect(new CardDeclinedError({ cause: refused }).cause).toBe(refused);
    expect(Object.hasOwn(new CardDeclinedError(), 'cause')).toBe(false);
  });

  it('is an Error, with a stack', () => {
    const declined = new CardDeclinedError();
    expect(declined).toBeInstanceOf(Error);
    expect(declined).toBeInstanceOf(PayflowError);
    expect(declined.stack).toContain('CardDeclinedError');
  });
});

describe('isPermanent', () => {
  it('is true only for an error of ours that says retrying cannot help', () => {
    expect(isPermanent(new CardDeclinedError())).toBe(true);
    expect(isPermanent(new GatewayAwayError())).toBe(false);
  });

  it("takes any other error as one that may pass when tried again: a library's, a bug, a thrown value", () => {
    expect(isPermanent(new Error('ECONNRESET'))).toBe(false);
    expect(isPermanent(new TypeError('x is undefined'))).toBe(false);
    expect(isPermanent(Object.assign(new Error('looks like ours'), { code: 'CARD_DECLINED', retryable: false }))).toBe(false);
    expect(isPermanent('a string')).toBe(false);
    expect(isPermanent(undefined)).toBe(false);
  });
});
