import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../../lib/env.js';

/** The cookie that holds an operator's session; HttpOnly, so the page's script never sees it. */
export const OPS_COOKIE = 'payflow_ops';
const FORMAT = 'v1';

/** The token used outside production when OPS_TOKEN is not set: public, and logged as such. */
export const DEVELOPMENT_OPS_TOKEN = 'payflow-ops-development-token';

/**
 * Operator sessions for the live view. Whoever knows OPS_TOKEN gets a session: `v1.<expiry>.<mac>`,
 * an HMAC of its expiry keyed by the token, so every BFF replica can check it without shared
 * state, and a new OPS_TOKEN ends every session at once. Ending one session (signing out) needs
 * shared state: signed-in-operators.ts.
 */
export class OpsSessions {
  private readonly key: Buffer;
  private readonly tokenHash: Buffer;

  constructor(
    token: string,
    /** How long a session lasts; default 12 h. */
    readonly ttlMs = 12 * 3600 * 1000,
    private readonly now: () => number = Date.now,
  ) {
    this.key = createHash('sha256').update(`payflow ops session\0${token}`).digest();
    this.tokenHash = sha256(token);
  }

  /** Constant-time, so the answer's timing says nothing about the token. */
  tokenMatches(given: string): boolean {
    return timingSafeEqual(sha256(given), this.tokenHash);
  }

  issue(): string {
    const expiresAt = String(this.now() + this.ttlMs);
    return `${FORMAT}.${expiresAt}.${this.mac(expiresAt)}`;
  }

  isValid(session: string | undefined): boolean {
    return this.expiryOf(session) !== undefined;
  }

  /** When a session this token issued expires (epoch ms); undefined for any other, or an expired one. */
  expiryOf(session: string | undefined): number | undefined {
    const [format, expiresAt = '', mac = ''] = (session ?? '').split('.');
    if (format !== FORMAT || !/^\d{1,16}$/.test(expiresAt) || Number(expiresAt) <= this.now()) return undefined;
    const expected = Buffer.from(this.mac(expiresAt), 'base64url');
    const given = Buffer.from(mac, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected) ? Number(expiresAt) : undefined;
  }

  private mac(expiresAt: string): string {
    return createHmac('sha256', this.key).update(`${FORMAT}.${expiresAt}`).digest('base64url');
  }
}

/** The value of one cookie in a `Cookie` header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * The configured token; without one, the development token outside production, and a refusal to
 * start in production, where a default token would be a published one.
 */
export function opsTokenFor(token: string | undefined, nodeEnv: string | undefined): { token: string; development: boolean } {
  if (token !== undefined) return { token, development: false };
  if (nodeEnv === 'production') {
    throw new ConfigError('invalid configuration: OPS_TOKEN: must be set when NODE_ENV=production (at least 16 characters, e.g. $(openssl rand -base64 24))');
  }
  return { token: DEVELOPMENT_OPS_TOKEN, development: true };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
