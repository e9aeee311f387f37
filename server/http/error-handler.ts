import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../../lib/logger.js';
import { ApiError } from './api-error.js';

interface BodyParserError {
  type?: string;
  status?: number;
}

/** Turns every error into a JSON answer; never an HTML page or a stack trace. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    const apiError = toApiError(err);
    if (apiError.status >= 500 && apiError.code === 'INTERNAL_ERROR') logger.error({ err }, 'unhandled error');
    res
      .status(apiError.status)
      .set(apiError.headers)
      .json({
        error: { code: apiError.code, message: apiError.message, details: apiError.details },
      });
  };
}

export const notFound: RequestHandler = (_req, _res, next) => {
  next(new ApiError(404, 'NOT_FOUND', 'There is nothing at this address.'));
};

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const bodyError = err as BodyParserError;
  if (bodyError.type === 'entity.too.large') {
    return new ApiError(413, 'BODY_TOO_LARGE', 'The request body is too large; a payment request is a few hundred bytes.');
  }
  if (bodyError.type === 'entity.parse.failed') {
    return new ApiError(400, 'MALFORMED_JSON', 'The request body is not valid JSON.');
  }
  if (typeof bodyError.status === 'number' && bodyError.status >= 400 && bodyError.status < 500) {
    return new ApiError(bodyError.status, 'BAD_REQUEST', 'The request could not be read.');
  }
  return new ApiError(500, 'INTERNAL_ERROR', 'Something went wrong on our side; please try again.');
}
