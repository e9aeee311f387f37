import { z } from 'zod';
import { ApiError } from './api-error.js';

/** Parses a request part with a zod schema, or throws a 400 naming each bad field. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what = 'request body'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const first = details[0];
  const summary = first ? `${first.path || what}: ${first.message}` : 'invalid';
  throw new ApiError(400, 'INVALID_REQUEST', `The ${what} is invalid (${summary}).`, details);
}
