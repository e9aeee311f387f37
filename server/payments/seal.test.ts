import { describe, expect, it } from 'vitest';
import { hashClientSecret, newClientSecret, secretMatches } from './client-secret.js';
import { seal, unseal } from './seal.js';

describe('client secret', () => {
  it('matches only the secret it was hashed from', () => {
    const secret = newClientSecret();
    const hash = hashClientSecret(secret);
    expect(secretMatches(secret, hash)).toBe(true);
    expect(secretMatches(newClientSecret(), hash)).toBe(false);
    expect(secretMatches(secret, 'not-a-hash')).toBe(false);
  });
});

describe('seal', () => {
  it('opens with the same client key and not with another', () => {
    const sealed = seal('the secret', 'idem-key-1');
    expect(sealed).not.toContain('the secret');
    expect(unseal(sealed, 'idem-key-1')).toBe('the secret');
    expect(() => unseal(sealed, 'idem-key-2')).toThrow();
  });
});
