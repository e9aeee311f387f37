import type { RequestHandler, Response } from 'express';
import { Histogram, type Registry } from 'prom-client';
import type { Logger } from './logger.js';
import { contextFromHeaders, SpanKind, startSpan, traceContext } from './tracing.js';

const PAYMENT_ID = 'paymentId';
const CORRELATION_ID = 'correlationId';

/** Tags the request's log line with the payment it is about, once the handler knows it. */
export function rememberPaymentId(res: Response, paymentId: string): void {
  res.locals[PAYMENT_ID] = paymentId;
}

/** Tags the request's log line with its correlation id (the `X-Request-Id` it came with, or a new one). */
export function rememberCorrelationId(res: Response, correlationId: string): void {
  res.locals[CORRELATION_ID] = correlationId;
}

/** Health, metrics and the stand-ins' test hooks: polled all the time, so neither traced nor logged above debug. */
function isHousekeeping(path: string): boolean {
  return path === '/healthz' || path === '/readyz' || path === '/metrics' || path.startsWith('/__');
}

export interface RequestLogOptions {
  logger: Logger;
  /** Where `payflow_http_request_seconds` is registered. */
  registry: Registry;
}

/**
 * Per request: a server span that continues the caller's trace (`traceparent`), one log line when
 * it finishes (method, route, status, duration, paymentId; never headers, query or body, which
 * may carry secrets), and its duration in `payflow_http_request_seconds`.
 */
export function requestLog({ logger, registry }: RequestLogOptions): RequestHandler {
  const duration = new Histogram({
    name: 'payflow_http_request_seconds',
    help: 'HTTP requests served, by method, route and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return (req, res, next) => {
    const started = performance.now();
    const housekeeping = isHousekeeping(req.path);
    const traced = housekeeping
      ? undefined
      : startSpan(`${req.method} ${req.path}`, {
          kind: SpanKind.SERVER,
          parent: contextFromHeaders(req.headers),
          attributes: { 'http.request.method': req.method, 'url.path': req.path },
        });
    res.on('finish', () => {
      // The route pattern, not the path, so ids do not make a label value each.
      const route = (req.route as { path?: string } | undefined)?.path ?? (res.statusCode === 404 ? 'unmatched' : 'static');
      const seconds = (performance.now() - started) / 1000;
      const paymentId: unknown = res.locals[PAYMENT_ID];
      const correlationId: unknown = res.locals[CORRELATION_ID];
      const line = {
        method: req.method,
        path: req.path,
        status: res.statusCode,
        durationMs: Math.round(seconds * 1000),
        ...(typeof paymentId === 'string' ? { paymentId } : {}),
        ...(typeof correlationId === 'string' ? { correlationId } : {}),
      };
      if (traced !== undefined) {
        if (route !== 'static' && route !== 'unmatched') traced.span.updateName(`${req.method} ${route}`);
        traced.span.setAttributes({
          'http.response.status_code': res.statusCode,
          'http.route': route,
          ...(typeof paymentId === 'string' ? { 'payment.id': paymentId } : {}),
        });
        traced.span.end();
      }
      if (housekeeping) {
        logger.debug(line, 'request');
        return;
      }
      duration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      // Files of the page are many and say nothing about the flow.
      if (route === 'static') logger.debug(line, 'request');
      else logger.info(line, 'request');
    });
    if (traced === undefined) {
      next();
      return;
    }
    // Body parsing runs in the request's stream callbacks, which would otherwise lose the context.
    traceContext.bind(traced.context, req);
    traceContext.bind(traced.context, res);
    traceContext.with(traced.context, next);
  };
}
