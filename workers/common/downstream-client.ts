import { Histogram, type Registry } from 'prom-client';
import { inSpan, SpanKind, withTraceHeaders } from '../../lib/tracing.js';

export interface DownstreamResponse {
  status: number;
  body: unknown;
}

/** A downstream call that may succeed if tried again: timeout, refused connection, 5xx, 429. */
export class TransientDownstreamError extends Error {
  readonly code = 'DOWNSTREAM_UNAVAILABLE';
  constructor(service: string, detail: string) {
    super(`${service} is unavailable (${detail}); will retry`);
    this.name = 'TransientDownstreamError';
  }
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
    private readonly timeoutMs = 5_000,
  ) {
    const name = 'payflow_downstream_request_seconds';
    this.latency =
      (registry.getSingleMetric(name) as Histogram<'service' | 'outcome'> | undefined) ??
      new Histogram({ name, help: 'Downstream HTTP calls, by service and outcome.', labelNames: ['service', 'outcome'], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry] });
  }

  /** POSTs JSON. Resolves for 2xx and 4xx (the caller decides what a 4xx means); throws TransientDownstreamError otherwise. */
  post(path: string, body: unknown, signal?: AbortSignal): Promise<DownstreamResponse> {
    const attributes = { 'http.request.method': 'POST', 'server.address': this.service, 'url.path': path };
    return inSpan(`POST ${this.service}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
      const response = await this.send(path, body, signal);
      span.setAttribute('http.response.status_code', response.status);
      return response;
    });
  }

  private async send(path: string, body: unknown, signal?: AbortSignal): Promise<DownstreamResponse> {
    const end = this.latency.startTimer({ service: this.service });
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method: 'POST',
        headers: withTraceHeaders({ 'content-type': 'application/json' }),
        body: JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      end({ outcome: 'unreachable' });
      throw new TransientDownstreamError(this.service, err instanceof Error ? (err.cause as Error | undefined)?.message ?? err.message : String(err));
    }
    const json: unknown = await response.json().catch(() => null);
    if (response.status >= 500 || response.status === 429) {
      end({ outcome: `http_${response.status}` });
      throw new TransientDownstreamError(this.service, `HTTP ${response.status}`);
    }
    end({ outcome: response.ok ? 'ok' : `http_${response.status}` });
    return { status: response.status, body: json };
  }
}
