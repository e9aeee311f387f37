import { z } from 'zod';
import { PermanentError } from '../../lib/downstream-error.js';

export const DownstreamErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/**
 * The body of a 2xx answer, checked against its schema. Any other answer that reaches here
 * (a 4xx the caller has no meaning for, or a malformed body) cannot be fixed by retrying.
 */
export function expectOk<S extends z.ZodType>(
  service: string,
  response: { status: number; body: unknown },
  schema: S,
  what: string,
): z.infer<S> {
  const parsed = schema.safeParse(response.body);
  if (response.status >= 200 && response.status < 300 && parsed.success) return parsed.data;
  const error = DownstreamErrorBody.safeParse(response.body);
  const detail = error.success ? `${error.data.error.code}: ${error.data.error.message}` : `HTTP ${response.status}`;
  throw new PermanentError(`${service.toUpperCase().replace(/-/g, '_')}_REFUSED`, `${service} refused the ${what} (${detail})`);
}

/** The message of an error answer, or `fallback` when the body has none. */
export function errorMessage(body: unknown, fallback: string): string {
  const parsed = DownstreamErrorBody.safeParse(body);
  return parsed.success ? parsed.data.error.message : fallback;
}
