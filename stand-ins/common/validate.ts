import type { Request, Response } from 'express';
import type { z } from 'zod';
import { issueDetails, sendError } from './errors.js';

/** Parses the request body, or answers 400 INVALID_REQUEST and returns undefined. */
export function parseBody<S extends z.ZodType>(schema: S, req: Request, res: Response): z.infer<S> | undefined {
  const parsed = schema.safeParse(req.body);
  if (parsed.success) return parsed.data;
  sendError(res, 400, 'INVALID_REQUEST', 'The request body is not valid.', issueDetails(parsed.error));
  return undefined;
}
