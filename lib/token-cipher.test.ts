import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './env.js';
import { envTokenKeys, TokenCipher, tokenCipherFor } from './token-cipher.js';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

describe('TokenCipher', () => {
  it('seals with the first key and opens what it sealed', () => {
    const sealed = new TokenCipher([k1]).encrypt('sso-token');
    expect(sealed).toMatch(/^v1\.k1\./);
    expect(sealed).not.toContain('sso-token');
    expect(new TokenCipher([k1]).decrypt(sealed)).toBe('sso-token');
  });

  it('during a rotation, a ring with the new key first still opens tokens sealed with the old one', () => {
    const sealedWithOld = new TokenCipher([k1]).encrypt('old');
    const rotated = new TokenCipher([k2, k1]);
    expect(rotated.decrypt(sealedWithOld)).toBe('old');
    expect(rotated.encrypt('new')).toMatch(/^v1\.k2\./);
  });

  it('refuses a token sealed with a key it does not have, or altered', () => {
    const sealed = new TokenCipher([k1]).encrypt('sso-token');
    expect(() => new TokenCipher([k2]).decrypt(sealed)).toThrow(/key id "k1"/);
    const parts = sealed.split('.');
    parts[4] = Buffer.from('forged').toString('base64url');
    expect(() => new TokenCipher([k1]).decrypt(parts.join('.'))).toThrow();
  });
});

describe('SSO_TOKEN_KEYS', () => {
  it('parses id:base64 pairs', () => {
    const parsed = envTokenKeys.parse(`k2:${k2.key.toString('base64')}, k1:${k1.key.toString('base64')}`);
    expect(parsed?.map((k) => k.id)).toEqual(['k2', 'k1']);
  });

  it.each(['nocolon', 'k1:short', 'bad id!:' + randomBytes(32).toString('base64')])('refuses %s', (value) => {
    expect(envTokenKeys.safeParse(value).success).toBe(false);
  });

  it('in production, refuses to start without keys, naming the variable', () => {
    expect(() => tokenCipherFor(undefined, 'production')).toThrow(ConfigError);
    expect(() => tokenCipherFor(undefined, 'production')).toThrow(/^invalid configuration: SSO_TOKEN_KEYS: /);
  });

  it('outside production, falls back to the development key and says so', () => {
    expect(tokenCipherFor(undefined, undefined).development).toBe(true);
    expect(tokenCipherFor([k1], 'production').development).toBe(false);
  });
});
