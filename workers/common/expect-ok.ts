import { z } from 'zod';
import { PermanentError } from '../../lib/downstream-error.js';
import { TransientDownstreamError } from './downstream-client.js';

export const DownstreamErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/**
 * The body of a 2xx answer, checked against its schema. A 2xx whose body does not match is
 * transient: the call went through, every call carries an idempotency key, and a retry gets the
 * answer again (a cut-off or garbled body is not the service refusing). Any other answer that
 * reaches here (a 4xx the caller has no meaning for) cannot be fixed by retrying.
 */
export function expectOk<S extends z.ZodType>(service: string, response: { status: number; body: unknown }, schema: S, what: string): z.infer<S> {
  if (response.status >= 200 && response.status < 300) {
    const parsed = schema.safeParse(response.body);
    if (parsed.success) return parsed.data;
    throw new TransientDownstreamError(
      service,
      `HTTP ${response.status}, but the ${what} answer is not what was expected: ${z.prettifyError(parsed.error).replace(/\s+/g, ' ')}`,
    );
  }
  throw refusal(service, response, what);
}

/** A 4xx the caller has no meaning for, as a PermanentError naming the service and its code. */
export function refusal(service: string, response: { status: number; body: unknown }, what: string): PermanentError {
  const error = DownstreamErrorBody.safeParse(response.body);
  const detail = error.success ? `${error.data.error.code}: ${error.data.error.message}` : `HTTP ${response.status}`;
  return new PermanentError(`${service.toUpperCase().replace(/-/g, '_')}_REFUSED`, `${service} refused the ${what} (${detail})`);
}

/** The code of an error answer, if it has one. */
export function errorCode(body: unknown): string | undefined {
  const parsed = DownstreamErrorBody.safeParse(body);
  return parsed.success ? parsed.data.error.code : undefined;
}

/** The message of an error answer, or `fallback` when the body has none. */
export function errorMessage(body: unknown, fallback: string): string {
  const parsed = DownstreamErrorBody.safeParse(body);
  return parsed.success ? parsed.data.error.message : fallback;
}
