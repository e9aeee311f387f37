import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs, one object per line, with the process role on every line, and the trace and span
 * ids of the work in progress (lib/tracing.ts), so a line leads to its trace and back.
 */
export function createLogger(role: string, level: string = 'info', destination?: DestinationStream): Logger {
  const options = { level, base: { role }, timestamp: pino.stdTimeFunctions.isoTime, mixin: traceIds };
  return destination === undefined ? pino(options) : pino(options, destination);
}

function traceIds(): { traceId?: string; spanId?: string } {
  const span = trace.getActiveSpan();
  if (span === undefined) return {};
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}
