import { z } from 'zod';
import { ApiErrorBody } from '../../contracts/index.js';

/** JSON Schema (2020-12, the dialect of OpenAPI 3.1) of a zod schema, as the handlers parse it. */
export const schema = (type: z.ZodType) => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(type, {
    io: 'input',
    unrepresentable: 'any',
    // zod's email rule is the pattern it emits beside `format: "email"`; validators read the
    // format as their own, stricter or looser, idea of an email, so only the pattern is stated.
    override: ({ jsonSchema }) => {
      if (jsonSchema.format === 'email' && jsonSchema.pattern !== undefined) delete jsonSchema.format;
    },
  });
  return rest;
};

export const json = (type: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema: schema(type) } } });
export const error = (description: string) => json(ApiErrorBody, description);
export const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } } };

/**
 * An error answer that names the codes it can carry, as an enum of the body's `code`, so a client
 * can switch on them and the fuzzer checks the server answers no other.
 */
export const refusal = (codes: readonly [string, ...string[]], description: string, headers?: Record<string, unknown>) => ({
  ...json(ApiErrorBody.extend({ error: ApiErrorBody.shape.error.extend({ code: z.enum(codes) }) }), description),
  ...(headers === undefined ? {} : { headers }),
});
