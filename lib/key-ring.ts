import { z } from 'zod';
import { ConfigError } from './env.js';

/** One key of a ring: its id names it wherever its output is kept, so a rotation can tell old from new. */
export interface RingKey {
  id: string;
  key: Buffer;
}

const EXAMPLE = 'id:base64 of 32 random bytes, e.g. k1:$(openssl rand -base64 32)';

/**
 * A key ring in one environment variable: `id:base64key[,id:base64key…]`, each key 32 bytes. The
 * first key is the one in use; the others are still accepted, which is what a rotation needs.
 */
export const envKeyRing = z
  .string()
  .transform((value, ctx) => {
    const keys = value.split(',').map((entry): RingKey => {
      const [id = '', base64 = ''] = entry.trim().split(':');
      return { id, key: Buffer.from(base64, 'base64') };
    });
    if (keys.some(({ id, key }) => !/^[\w-]{1,32}$/.test(id) || key.length !== 32)) {
      ctx.addIssue({ code: 'custom', message: `each key must be ${EXAMPLE}` });
      return z.NEVER;
    }
    return keys;
  })
  .optional();

/**
 * The configured ring; without one, `developmentKey` outside production, and a refusal to start
 * in production, where a default secret would be a published secret.
 */
export function keyRingFor(
  variable: string,
  keys: RingKey[] | undefined,
  nodeEnv: string | undefined,
  developmentKey: RingKey,
): { keys: RingKey[]; development: boolean } {
  if (keys !== undefined) return { keys, development: false };
  if (nodeEnv === 'production') throw new ConfigError(`invalid configuration: ${variable}: must be set when NODE_ENV=production (${EXAMPLE})`);
  return { keys: [developmentKey], development: true };
}
