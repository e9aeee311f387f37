import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a signed webhook carries, as Stripe's `Stripe-Signature`: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'payflow-signature';

/** How far a webhook's timestamp may be from the receiver's clock, either way: older ones may be replays. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/** HMAC-SHA256 of `<timestamp>.<body>` under the shared secret: the timestamp is signed with the body, so neither can be swapped. */
function digest(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The signature header's value for `body` sent at `nowMs`. */
export function signWebhook(secret: string, body: string, nowMs = Date.now()): string {
  const timestamp = Math.floor(nowMs / 1000);
  return `t=${timestamp},v1=${digest(secret, timestamp, body)}`;
}

export type WebhookVerdict =
  { ok: true; timestamp: number } | { ok: false; code: 'WEBHOOK_SIGNATURE_MISSING' | 'WEBHOOK_SIGNATURE_INVALID' | 'WEBHOOK_TIMESTAMP_STALE'; message: string };

/**
 * Checks a webhook's signature header against its raw body, with each secret of the ring (so a
 * secret can be rotated: the sender signs with the new one while the old is still accepted), in
 * constant time; and its timestamp within `toleranceSeconds` of `nowMs`.
 */
export function verifyWebhook(
  secrets: readonly string[],
  header: string | undefined,
  body: string,
  nowMs = Date.now(),
  toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS,
): WebhookVerdict {
  if (header === undefined || header === '') {
    return { ok: false, code: 'WEBHOOK_SIGNATURE_MISSING', message: `The webhook has no ${WEBHOOK_SIGNATURE_HEADER} header; it must be signed.` };
  }
  const parts = new Map<string, string[]>();
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at > 0) parts.set(part.slice(0, at).trim(), [...(parts.get(part.slice(0, at).trim()) ?? []), part.slice(at + 1).trim()]);
  }
  const timestamp = Number(parts.get('t')?.[0]);
  const signatures = parts.get('v1') ?? [];
  if (!Number.isInteger(timestamp) || signatures.length === 0) {
    return { ok: false, code: 'WEBHOOK_SIGNATURE_INVALID', message: `The ${WEBHOOK_SIGNATURE_HEADER} header must read t=<unix seconds>,v1=<hex HMAC-SHA256>.` };
  }
  const matches = secrets.some((secret) => {
    const expected = Buffer.from(digest(secret, timestamp, body), 'hex');
    return signatures.some((signature) => {
      const given = Buffer.from(signature, 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  });
  if (!matches) return { ok: false, code: 'WEBHOOK_SIGNATURE_INVALID', message: 'The webhook signature does not match its body under any current secret.' };
  if (Math.abs(nowMs / 1000 - timestamp) > toleranceSeconds) {
    return {
      ok: false,
      code: 'WEBHOOK_TIMESTAMP_STALE',
      message: `The webhook was signed at ${new Date(timestamp * 1000).toISOString()}, more than ${toleranceSeconds} s from now; a retry is signed afresh.`,
    };
  }
  return { ok: true, timestamp };
}
