import type { RequestHandler } from 'express';
import { ApiError } from './api-error.js';

/**
 * 405 with an Allow header for a path the API has but a method it does not, instead of a 404
 * that would say the path does not exist. The paths come from the OpenAPI document.
 */
export function methodNotAllowed(paths: Record<string, Record<string, unknown>>): RequestHandler {
  const routes = Object.entries(paths).map(([path, methods]) => ({
    pattern: new RegExp(`^${path.replace(/[.+*?^$()[\]|\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    allow: Object.keys(methods).map((method) => method.toUpperCase()),
  }));
  return (req, _res, next) => {
    const route = routes.find(({ pattern }) => pattern.test(req.path));
    if (route === undefined || route.allow.includes(req.method) || (req.method === 'HEAD' && route.allow.includes('GET'))) {
      next();
      return;
    }
    const allow = route.allow.join(', ');
    next(new ApiError(405, 'METHOD_NOT_ALLOWED', `${req.path} answers ${allow} only.`, undefined, { Allow: allow }));
  };
}
