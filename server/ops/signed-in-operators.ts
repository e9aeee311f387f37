import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { OPS_COOKIE, readCookie, type OpsSessions } from './ops-session.js';

/**
 * The operator sessions in force: those OpsSessions issued and that have not expired, less those
 * signed out. A session cookie is an HMAC that every replica checks alone, so a copy of it (from
 * a shared machine, a proxy's log, a browser profile) would open the live view until it expires,
 * 12 hours later, however often its operator signed out. Signing out therefore records the
 * session's hash in Redis, where every replica looks, until the session would have expired anyway.
 */
export class SignedInOperators {
  private readonly keyPrefix: string;

  constructor(
    private readonly sessions: OpsSessions,
    private readonly redis: Redis,
    /** Keeps deployments sharing a Redis apart (KAFKA_TOPIC_PREFIX). */
    prefix: string,
  ) {
    this.keyPrefix = `payflow:${prefix}ops:signed-out:`;
  }

  /** The session in this Cookie header if it is in force, else undefined. Rejects when Redis cannot say. */
  async sessionIn(cookieHeader: string | undefined): Promise<string | undefined> {
    const session = readCookie(cookieHeader, OPS_COOKIE);
    if (session === undefined || this.sessions.expiryOf(session) === undefined) return undefined;
    return (await this.redis.exists(this.key(session))) === 1 ? undefined : session;
  }

  /** Ends the session in this Cookie header on every replica; resolves with it, or undefined when none was in force. */
  async signOut(cookieHeader: string | undefined): Promise<string | undefined> {
    const session = readCookie(cookieHeader, OPS_COOKIE);
    const expiresAt = this.sessions.expiryOf(session);
    if (session === undefined || expiresAt === undefined) return undefined;
    await this.redis.set(this.key(session), '1', 'PXAT', expiresAt);
    return session;
  }

  private key(session: string): string {
    return `${this.keyPrefix}${sessionHash(session)}`;
  }
}

/** Names a session without holding it: a cookie's hash opens nothing. */
export function sessionHash(session: string): string {
  return createHash('sha256').update(session).digest('base64url');
}
