import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { Logger } from '../../lib/logger.js';

/** The error body every stand-in answers with. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function sendError(res: Response, status: number, code: string, message: string, details?: unknown): void {
  const body: ErrorBody = { error: details === undefined ? { code, message } : { code, message, details } };
  res.status(status).json(body);
}

/** zod issues as `[{ path: "amount.value", message }]`, readable in a test failure. */
export function issueDetails(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

export const notFound: RequestHandler = (req, res) => {
  sendError(res, 404, 'NOT_FOUND', `No route for ${req.method} ${req.path}.`);
};

/** Errors raised by express' body parsers carry a `type` and an HTTP `status`. */
interface BodyParserError {
  type: string;
  status: number;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as Partial<BodyParserError>).type === 'string' &&
    typeof (err as Partial<BodyParserError>).status === 'number'
  );
}

/** Answers every error as JSON (express' default would be an HTML page). */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (isBodyParserError(err) && err.status >= 400 && err.status < 500) {
      if (err.type === 'entity.parse.failed') {
        sendError(res, 400, 'INVALID_JSON', 'The request body is not valid JSON.');
      } else if (err.type === 'entity.too.large') {
        sendError(res, 413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
      } else {
        sendError(res, err.status, 'BAD_REQUEST', 'The request body could not be read.');
      }
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'request failed');
    sendError(res, 500, 'INTERNAL_ERROR', 'Something went wrong inside the stand-in.');
  };
}
