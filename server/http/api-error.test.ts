import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';

describe('ApiError', () => {
  it.each([
    [429, 'TOO_MANY_REQUESTS'],
    [500, 'INTERNAL_ERROR'],
    [503, 'PAYMENT_NOT_CONFIRMED'],
  ])('a %i (%s) may be answered otherwise when sent again later', (status, code) => {
    expect(new ApiError(status, code, 'Try again in a few seconds.')).toMatchObject({ name: 'ApiError', status, code, retryable: true });
  });

  it.each([
    [400, 'INVALID_REQUEST'],
    [404, 'PAYMENT_NOT_FOUND'],
    [409, 'IDEMPOTENCY_KEY_REUSED'],
    [413, 'BODY_TOO_LARGE'],
  ])('a %i (%s) is about the request itself: sending it again gets the same answer', (status, code) => {
    expect(new ApiError(status, code, 'Fix the request.')).toMatchObject({ status, code, retryable: false });
  });
});
