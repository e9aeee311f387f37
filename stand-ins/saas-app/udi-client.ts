import { z } from 'zod';

const Identity = z.object({ email: z.string(), orderId: z.string(), paymentId: z.string() });
export type Identity = z.infer<typeof Identity>;

const UdiError = z.object({ error: z.object({ code: z.string() }) });

export type Exchange =
  | { outcome: 'signed-in'; identity: Identity }
  /** Udi refused the token (used, expired, unknown). */
  | { outcome: 'refused'; code: string }
  /** Udi could not be asked, or answered something other than yes or no. */
  | { outcome: 'unavailable'; detail: string };

export interface UdiClient {
  exchange(token: string): Promise<Exchange>;
}

export function createUdiClient({ baseUrl, timeoutMs }: { baseUrl: string; timeoutMs: number }): UdiClient {
  const url = `${baseUrl.replace(/\/+$/, '')}/sso/exchange`;
  return {
    async exchange(token) {
      let response: Response;
      let body: unknown;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        body = await response.json().catch(() => undefined);
      } catch (err) {
        return { outcome: 'unavailable', detail: err instanceof Error ? err.message : String(err) };
      }
      if (response.status === 200) {
        const identity = Identity.safeParse(body);
        return identity.success
          ? { outcome: 'signed-in', identity: identity.data }
          : { outcome: 'unavailable', detail: 'Udi answered 200 without an identity' };
      }
      // 400 means Udi would not even read the token (e.g. far too long): as good as invalid.
      if (response.status === 401 || response.status === 400) {
        const error = UdiError.safeParse(body);
        return { outcome: 'refused', code: error.success ? error.data.error.code : 'TOKEN_INVALID' };
      }
      return { outcome: 'unavailable', detail: `Udi answered ${response.status}` };
    },
  };
}
