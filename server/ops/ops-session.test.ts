import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/env.js';
import { loadConfig } from '../config.js';
import { DEVELOPMENT_OPS_TOKEN, OpsSessions, opsTokenFor, readCookie } from './ops-session.js';

describe('operator sessions', () => {
  it('accepts only the configured token', () => {
    const sessions = new OpsSessions('a-long-operator-token');
    expect(sessions.tokenMatches('a-long-operator-token')).toBe(true);
    expect(sessions.tokenMatches('a-long-operator-tokeN')).toBe(false);
    expect(sessions.tokenMatches('')).toBe(false);
  });

  it('a session it issued is valid until it expires, and not after', () => {
    let now = 1_000_000;
    const sessions = new OpsSessions('a-long-operator-token', 60_000, () => now);
    const session = sessions.issue();
    expect(session).not.toContain('a-long-operator-token');
    expect(sessions.isValid(session)).toBe(true);
    expect(sessions.expiryOf(session)).toBe(1_060_000);
    now += 60_001;
    expect(sessions.isValid(session)).toBe(false);
    expect(sessions.expiryOf(session)).toBeUndefined();
  });

  it('a session made with another token, or with its expiry pushed back, is refused', () => {
    const session = new OpsSessions('a-long-operator-token').issue();
    expect(new OpsSessions('another-operator-token').isValid(session)).toBe(false);
    const [format, expiresAt, mac] = session.split('.');
    expect(new OpsSessions('a-long-operator-token').isValid(`${format}.${Number(expiresAt) + 1}.${mac}`)).toBe(false);
    expect(new OpsSessions('a-long-operator-token').isValid(undefined)).toBe(false);
    expect(new OpsSessions('a-long-operator-token').isValid('v1.x.y')).toBe(false);
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(readCookie('a=1; payflow_ops=v1.2.abc=; b=3', 'payflow_ops')).toBe('v1.2.abc=');
    expect(readCookie(undefined, 'payflow_ops')).toBeUndefined();
  });
});

describe('OPS_TOKEN', () => {
  it('in production, refuses to start without it, naming the variable', () => {
    expect(() => opsTokenFor(undefined, 'production')).toThrow(ConfigError);
    expect(() => opsTokenFor(undefined, 'production')).toThrow(/^invalid configuration: OPS_TOKEN: /);
  });

  it('outside production, falls back to the development token and says so', () => {
    expect(opsTokenFor(undefined, undefined)).toEqual({ token: DEVELOPMENT_OPS_TOKEN, development: true });
    expect(opsTokenFor('a-long-operator-token', 'production')).toEqual({ token: 'a-long-operator-token', development: false });
  });

  it('a short token stops start-up with a line naming the variable', () => {
    expect(() => loadConfig({ OPS_TOKEN: 'short' })).toThrow(/^invalid configuration: OPS_TOKEN: /);
  });
});
