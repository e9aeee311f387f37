import { Histogram, type Registry } from 'prom-client';
import { PayflowError } from '../../contracts/payflow-error.js';
import { parseRetryAfter } from '../../lib/retry-after.js';
import { inSpan, SpanKind, withTraceHeaders } from '../../lib/tracing.js';
import { httpCall, type HttpAnswer } from './http-request.js';

export interface DownstreamResponse {
  status: number;
  /** The parsed JSON body; null for an error answer whose body could not be read. */
  body: unknown;
}

/**
 * What a failed call may have done downstream: `none` when the service never got the request
 * (connection refused, no such host) or answered that it failed (5xx, 429: Billing Gates answers
 * these before charging); `unknown` when the request may have been carried out and only its answer
 * was lost (a timeout, a connection reset mid-call, a 2xx that could not be read).
 */
export type DownstreamEffect = 'none' | 'unknown';

export interface TransientFailureDetails {
  /** How long the service asked to be left alone (Retry-After), ms, at most MAX_RETRY_AFTER_MS. */
  retryAfterMs?: number | undefined;
  /** Default `unknown`: a failure is taken as possibly carried out unless known otherwise. */
  effect?: DownstreamEffect;
}

/**
 * A downstream call that may succeed if tried again: timeout, refused connection, 5xx, 429, or a
 * 2xx whose body could not be read (every call is idempotent, so the retry gets the same answer).
 * A 429 or 5xx with Retry-After carries the wait it asked for, which the retry loop honours.
 */
export class TransientDownstreamError extends PayflowError<'DOWNSTREAM_UNAVAILABLE'> {
  readonly retryAfterMs: number | undefined;
  readonly effect: DownstreamEffect;

  constructor(
    private readonly service: string,
    private readonly detail: string,
    details: TransientFailureDetails = {},
  ) {
    super('DOWNSTREAM_UNAVAILABLE', `${service} is unavailable (${detail}); will retry`, { retryable: true });
    this.retryAfterMs = details.retryAfterMs;
    this.effect = details.effect ?? 'unknown';
  }

  /** The same failure, asking to wait no longer than `ms`: what is left of a step's budget, say. */
  waitingAtMost(ms: number): TransientDownstreamError {
    if (this.retryAfterMs === undefined || this.retryAfterMs <= ms) return this;
    return new TransientDownstreamError(this.service, this.detail, { retryAfterMs: Math.max(0, ms), effect: this.effect });
  }
}

/**
 * The longest answer read from a downstream service. Theirs are a few hundred bytes of JSON; a
 * service answering megabytes is broken, and 1000 records in flight each reading one would hold
 * the worker's memory, so such an answer is not read on.
 */
const MAX_ANSWER_BYTES = 64 * 1024;

/** Errors of a request that never reached the service: nothing can have happened there. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function effectOfNoAnswer(err: unknown): DownstreamEffect {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && NOT_SENT.has(code) ? 'none' : 'unknown';
}

/**
 * JSON over HTTP to one downstream service, with a timeout, latency metrics (errors are the
 * outcomes other than `ok`), and the payment's trace context in a `traceparent` header.
 */
export class DownstreamClient {
  private readonly latency: Histogram<'service' | 'outcome'>;

  constructor(
    private readonly service: string,
    private readonly baseUrl: string,
    registry: Registry,
    /** How long one call may take, reading the answer included; default 5000 ms. */
    private readonly timeoutMs = 5_000,
  ) {
    const name = 'payflow_downstream_request_seconds';
    this.latency =
      (registry.getSingleMetric(name) as Histogram<'service' | 'outcome'> | undefined) ??
      new Histogram({
        name,
        help: 'Downstream HTTP calls, by service and outcome.',
        labelNames: ['service', 'outcome'],
        buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers: [registry],
      });
  }

  /** POSTs JSON. Resolves for 2xx and 4xx (the caller decides what a 4xx means); throws TransientDownstreamError otherwise. */
  post(path: string, body: unknown, signal?: AbortSignal): Promise<DownstreamResponse> {
    return this.call('POST', path, body, signal);
  }

  /** GETs JSON, with the same rules as `post`. */
  get(path: string, signal?: AbortSignal): Promise<DownstreamResponse> {
    return this.call('GET', path, undefined, signal);
  }

  private call(method: 'GET' | 'POST', path: string, body: unknown, signal?: AbortSignal): Promise<DownstreamResponse> {
    const attributes = { 'http.request.method': method, 'server.address': this.service, 'url.path': path };
    return inSpan(`${method} ${this.service}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
      const response = await this.send(method, path, body, signal);
      span.setAttribute('http.response.status_code', response.status);
      return response;
    });
  }

  private async send(method: 'GET' | 'POST', path: string, body: unknown, signal?: AbortSignal): Promise<DownstreamResponse> {
    const end = this.latency.startTimer({ service: this.service });
    const call = callSignal(signal, this.timeoutMs);
    try {
      let response: HttpAnswer;
      const text = body === undefined ? undefined : JSON.stringify(body);
      try {
        response = await httpCall({
          method,
          url: new URL(path, this.baseUrl),
          // With its length given, the body goes in one piece rather than chunked, which costs both ends a parse.
          headers: withTraceHeaders(text === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }),
          body: text,
          signal: call.signal,
          maxBodyBytes: MAX_ANSWER_BYTES,
        });
      } catch (err) {
        end({ outcome: 'unreachable' });
        const detail = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
        throw new TransientDownstreamError(this.service, detail, { effect: effectOfNoAnswer(err) });
      }
      if (response.status >= 500 || response.status === 429) {
        end({ outcome: `http_${response.status}` });
        const retryAfter = response.headers['retry-after'];
        throw new TransientDownstreamError(this.service, `HTTP ${response.status}`, { retryAfterMs: parseRetryAfter(retryAfter), effect: 'none' });
      }
      if (response.unreadable === 'too-large') {
        // Whatever its status, an answer that cannot be read says nothing to decide on; it may mean "charged".
        end({ outcome: 'unreadable' });
        throw new TransientDownstreamError(this.service, `HTTP ${response.status} with a body larger than ${MAX_ANSWER_BYTES} bytes`, { effect: 'unknown' });
      }
      const ok = response.status >= 200 && response.status < 300;
      const json = parseJson(response.text);
      if (ok && json === unreadable) {
        // The effect may have happened (a 201 from a charge): only a retry under the same key can tell us what it was.
        end({ outcome: 'unreadable' });
        throw new TransientDownstreamError(this.service, `HTTP ${response.status} with a body that could not be read as JSON`, { effect: 'unknown' });
      }
      end({ outcome: ok ? 'ok' : `http_${response.status}` });
      return { status: response.status, body: json === unreadable ? null : json };
    } finally {
      call.done();
    }
  }
}

const unreadable = Symbol('unreadable');

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return unreadable;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return unreadable;
  }
}

/**
 * A signal for one call: aborted by the caller's signal or after `timeoutMs`. It listens to the
 * caller's signal only while the call runs. `AbortSignal.any([signal, timeout])` would do the same,
 * but on Node 20 the source signal keeps every composite made from it (its dependants set is
 * never pruned), and the caller's signal here is the consumer's, which lives as long as the process.
 */
function callSignal(outer: AbortSignal | undefined, timeoutMs: number): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) controller.abort(outer.reason);
  else outer?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    done: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}
