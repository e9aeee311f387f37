import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/env.js';
import { ClientSecrets, clientSecretsFor, envClientSecretKeys } from './client-secret.js';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

describe('ClientSecrets', () => {
  it('derives the same secret for a payment on every replica, and matches only that secret', () => {
    const paymentId = randomUUID();
    const secret = new ClientSecrets([k1]).secretFor(paymentId);
    expect(secret).toMatch(/^[\w-]{43}$/);
    expect(new ClientSecrets([k1]).secretFor(paymentId)).toBe(secret);
    expect(new ClientSecrets([k1]).matches(paymentId, secret)).toBe(true);
    expect(new ClientSecrets([k1]).matches(randomUUID(), secret)).toBe(false);
    expect(new ClientSecrets([k1]).matches(paymentId, secret.slice(1))).toBe(false);
    expect(new ClientSecrets([k1]).matches(paymentId, '')).toBe(false);
  });

  it('without the server key, the paymentId alone gives nothing: another key derives another secret', () => {
    const paymentId = randomUUID();
    expect(new ClientSecrets([k2]).matches(paymentId, new ClientSecrets([k1]).secretFor(paymentId))).toBe(false);
  });

  it('during a rotation, derives with the new key and still accepts secrets of the old one', () => {
    const paymentId = randomUUID();
    const old = new ClientSecrets([k1]).secretFor(paymentId);
    const rotated = new ClientSecrets([k2, k1]);
    expect(rotated.currentKeyId).toBe('k2');
    expect(rotated.matches(paymentId, old)).toBe(true);
    expect(rotated.secretFor(paymentId)).not.toBe(old);
    expect(rotated.matches(paymentId, rotated.secretFor(paymentId))).toBe(true);
  });

  it('answers a replay with the secret of the key its record names, while that key is in the ring', () => {
    const paymentId = randomUUID();
    const old = new ClientSecrets([k1]).secretFor(paymentId);
    expect(new ClientSecrets([k2, k1]).secretFor(paymentId, 'k1')).toBe(old);
    // A key dropped from the ring: the current key's secret, which the ring accepts.
    expect(new ClientSecrets([k2]).secretFor(paymentId, 'k1')).toBe(new ClientSecrets([k2]).secretFor(paymentId));
  });
});

describe('CLIENT_SECRET_KEYS', () => {
  it('parses id:base64 pairs', () => {
    const parsed = envClientSecretKeys.parse(`k2:${k2.key.toString('base64')}, k1:${k1.key.toString('base64')}`);
    expect(parsed?.map((k) => k.id)).toEqual(['k2', 'k1']);
  });

  it.each(['nocolon', 'k1:short', 'bad id!:' + randomBytes(32).toString('base64')])('refuses %s', (value) => {
    expect(envClientSecretKeys.safeParse(value).success).toBe(false);
  });

  it('in production, refuses to start without keys, naming the variable', () => {
    expect(() => clientSecretsFor(undefined, 'production')).toThrow(ConfigError);
    expect(() => clientSecretsFor(undefined, 'production')).toThrow(/^invalid configuration: CLIENT_SECRET_KEYS: /);
  });

  it('outside production, falls back to the development key and says so', () => {
    expect(clientSecretsFor(undefined, undefined).development).toBe(true);
    expect(clientSecretsFor([k1], 'production').development).toBe(false);
  });
});
