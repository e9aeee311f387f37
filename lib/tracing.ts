import {
  context,
  propagation,
  ROOT_CONTEXT,
  type SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, NodeTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { z } from 'zod';

export { context as traceContext, SpanKind } from '@opentelemetry/api';

/** `OTEL_EXPORTER_OTLP_ENDPOINT`: base URL of an OTLP/HTTP collector; unset, no span leaves the process. */
export const envOtlpEndpoint = z.url().optional();

export interface TracingOptions {
  /** `service.name` of every span, e.g. "payflow-bff". */
  serviceName: string;
  /** Where spans are sent (`<endpoint>/v1/traces`); default none: ids are still made and propagated. */
  otlpEndpoint?: string | undefined;
  /** More processors, e.g. an in-memory exporter in a test. */
  spanProcessors?: SpanProcessor[];
}

export interface Tracing {
  /** Sends the spans still buffered; call once, when the process stops. */
  shutdown: () => Promise<void>;
}

/**
 * Registers the process' tracer: W3C `traceparent` propagation and an AsyncLocalStorage context,
 * so that the trace of a payment follows it through Kafka headers and downstream HTTP calls.
 * Spans are always made (their ids are what travels and what every log line carries), but with
 * nowhere to send them they are not recorded: recording attributes, events and timings for
 * spans that are then dropped cost the BFF and each worker CPU on every payment.
 */
export function startTracing(options: TracingOptions): Tracing {
  const processors = [...(options.spanProcessors ?? [])];
  if (options.otlpEndpoint !== undefined) {
    const url = `${options.otlpEndpoint.replace(/\/+$/, '')}/v1/traces`;
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url, timeoutMillis: 2_000 })));
  }
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: processors,
    // Not recorded, the `traceparent` sent on says "not sampled"; a process that exports records
    // every span, also of traces a caller without an exporter started.
    sampler: processors.length === 0 ? new AlwaysOffSampler() : new AlwaysOnSampler(),
  });
  provider.register();
  return { shutdown: () => provider.shutdown() };
}

const tracer = () => trace.getTracer('payflow');

/** Reads a carrier whose values may be strings, Buffers (Kafka headers) or lists of either. */
const headerGetter: TextMapGetter<Record<string, unknown>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key] ?? carrier[key.toLowerCase()];
    if (Array.isArray(value)) return value.map(headerText).filter((text) => text !== undefined);
    return headerText(value);
  },
};

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
}

/** The trace context carried in Kafka record or HTTP request headers; none there, a new trace starts. */
export function contextFromHeaders(headers: Record<string, unknown> | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, headers ?? {}, headerGetter);
}

/** Adds the current trace context (`traceparent`) to outgoing headers, and returns them. */
export function withTraceHeaders<H extends Record<string, string>>(headers: H): H {
  propagation.inject(context.active(), headers);
  return headers;
}

export interface SpanOptions {
  kind: SpanKind;
  attributes?: Attributes;
  /** Parent context; default the current one. */
  parent?: Context;
}

/** Runs `fn` inside a new active span, ended when it settles and marked as an error when it throws. */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { kind: options.kind, attributes: options.attributes ?? {} }, options.parent ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** Starts a span that the caller ends, and the context in which it is the active one. */
export function startSpan(name: string, options: SpanOptions): { span: Span; context: Context } {
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(name, { kind: options.kind, attributes: options.attributes ?? {} }, parent);
  return { span, context: trace.setSpan(parent, span) };
}
