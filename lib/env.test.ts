import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, parseEnv } from './env.js';

const schema = z.object({
  PORT: z.coerce.number().int(),
  OPS_TOKEN: z.string().min(16),
  KAFKA_SASL_PASSWORD: z.string().min(20),
  SSO_TOKEN_KEYS: z.string().regex(/^\w+:/),
});

function messageOf(env: NodeJS.ProcessEnv): string {
  try {
    parseEnv(schema, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
  }
  throw new Error('no ConfigError');
}

describe('a bad environment variable', () => {
  it('is named with the value it had', () => {
    expect(messageOf({ PORT: 'abc', OPS_TOKEN: 'x'.repeat(16), KAFKA_SASL_PASSWORD: 'x'.repeat(20), SSO_TOKEN_KEYS: 'k1:a' })).toMatch(
      /^invalid configuration: PORT: .* \(got "abc"\)$/,
    );
  });

  it('that holds a secret is named without its value, which would land in logs', () => {
    const message = messageOf({ PORT: '1', OPS_TOKEN: 'short-secret', KAFKA_SASL_PASSWORD: 'hunter2', SSO_TOKEN_KEYS: 'not a ring' });
    expect(message).not.toMatch(/short-secret|hunter2|not a ring/);
    expect(message).toMatch(/OPS_TOKEN: .* \(got a value of 12 characters, not shown\)/);
    expect(message).toMatch(/KAFKA_SASL_PASSWORD: .* \(got a value of 7 characters, not shown\)/);
    expect(message).toMatch(/SSO_TOKEN_KEYS: .* \(got a value of 10 characters, not shown\)/);
  });
});
