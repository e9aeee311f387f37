import { describe, expect, it } from 'vitest';
import { limitsRefusal, refusedByLimits, watchLimits } from './limit-refusal.js';
import type { ShopperResult } from './shopper.js';

const signedIn: ShopperResult = { arrivalMs: 0, outcome: 'signed-in', firstAnswerMs: 3, firstAnswerStatus: 202, signedInMs: 700 };
const posted429: ShopperResult = { arrivalMs: 0, outcome: 'error', firstAnswerMs: 2, firstAnswerStatus: 429, error: 'TOO_MANY_REQUESTS' };
const socketRefused: ShopperResult = {
  arrivalMs: 0,
  outcome: 'error',
  firstAnswerMs: 2,
  firstAnswerStatus: 202,
  error: 'socket refused: TOO_MANY_CONNECTIONS',
};

describe('refusedByLimits', () => {
  it('is a POST answered 429 or a socket refused for too many connections, nothing else', () => {
    expect(refusedByLimits(posted429)).toBe(true);
    expect(refusedByLimits(socketRefused)).toBe(true);
    expect(refusedByLimits(signedIn)).toBe(false);
    expect(refusedByLimits({ ...posted429, firstAnswerStatus: 503, error: 'PAYMENT_NOT_CONFIRMED' })).toBe(false);
  });
});

describe('watchLimits', () => {
  it('passes every result on, and tells of the refused ones', async () => {
    const seen: ShopperResult[] = [];
    const results = [signedIn, posted429];
    const shopper = watchLimits(
      () => Promise.resolve(results.shift()!),
      (result) => seen.push(result),
    );
    const ctx = { index: 0, arrivalAt: 0, arrivalMs: 0, timeoutMs: 1_000 };
    expect(await shopper(ctx)).toBe(signedIn);
    expect(await shopper(ctx)).toBe(posted429);
    expect(seen).toEqual([posted429]);
  });
});

describe('limitsRefusal', () => {
  it('names the deployment, what was refused, and how to start it so that it is not', () => {
    const error = limitsRefusal('http://127.0.0.1:3000', posted429);
    expect(error.code).toBe('SHOPPERS_RATE_LIMITED');
    expect(error.message).toMatch(/^http:\/\/127\.0\.0\.1:3000: POST \/api\/payments answered 429: /);
    expect(error.message).toMatch(/TRUST_PROXY=loopback/);
    expect(error.message).toMatch(/PAYMENT_RATE_LIMIT_PER_MINUTE=100000000 SOCKET_HANDSHAKES_PER_MINUTE=100000000 npm start$/);
    expect(limitsRefusal('http://lb', socketRefused).message).toMatch(/a socket handshake was refused with TOO_MANY_CONNECTIONS/);
  });
});
