import { createCipheriv, createDecipheriv, createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { envKeyRing, keyRingFor } from './key-ring.js';

const FORMAT = 'v1';

/**
 * AES-256-GCM for SSO tokens on their way through Kafka, so that someone who can read the log
 * alone cannot sign in as a shopper. Keys have ids; the first key of the ring encrypts, every key
 * decrypts, which is what a rotation needs (see docs/architecture.md).
 * Sealed form: `v1.<keyId>.<iv>.<tag>.<ciphertext>`, base64url parts.
 */
export class TokenCipher {
  /**
   * Each key made a KeyObject once: given as raw bytes, every cipher made one of its own, about
   * 20 µs a call, and the order worker encrypts once per payment, the BFF decrypts on every push of a token.
   */
  private readonly keys: ReadonlyArray<{ id: string; key: KeyObject }>;

  constructor(keys: ReadonlyArray<{ id: string; key: Buffer }>) {
    if (keys.length === 0) throw new Error('a token cipher needs at least one key');
    this.keys = keys.map(({ id, key }) => ({ id, key: createSecretKey(key) }));
  }

  encrypt(plaintext: string): string {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(`${FORMAT}.${id}`));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  /** Throws when the value was not sealed by a key of this ring, or was altered. */
  decrypt(sealed: string): string {
    const [format, id, iv, tag, body] = sealed.split('.');
    const entry = this.keys.find((candidate) => candidate.id === id);
    if (format !== FORMAT || entry === undefined || !iv || !tag || body === undefined) {
      throw new Error(`cannot decrypt: unknown format or key id "${id ?? ''}"`);
    }
    const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`${FORMAT}.${id}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** The ring used outside production when none is configured: fixed, public, and logged as such. */
const DEVELOPMENT_KEY = { id: 'dev', key: createHash('sha256').update('payflow development key; never use in production').digest() };

/** `SSO_TOKEN_KEYS`: `id:base64key[,id:base64key…]`, each key 32 bytes; the first encrypts. */
export const envTokenKeys = envKeyRing;

/** The configured ring; without one, the development key outside production, and a refusal to start in production. */
export function tokenCipherFor(keys: z.infer<typeof envTokenKeys>, nodeEnv: string | undefined): { cipher: TokenCipher; development: boolean } {
  const ring = keyRingFor('SSO_TOKEN_KEYS', keys, nodeEnv, DEVELOPMENT_KEY);
  return { cipher: new TokenCipher(ring.keys), development: ring.development };
}
