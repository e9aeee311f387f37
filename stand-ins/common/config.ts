import { z } from 'zod';
import { envLogLevel, envPort } from '../../lib/env.js';
import { envOtlpEndpoint } from '../../lib/tracing.js';

/** The variables every stand-in reads; each stand-in's config.ts extends them. */
export const standInEnv = (defaults: { port: number; latencyMs: number }) => ({
  /** Port to listen on. */
  PORT: envPort(defaults.port),
  /** Interface to listen on; 0.0.0.0 inside a container. Default 127.0.0.1. */
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: envLogLevel,
  /** Initial `latencyMs` of the control state; POST /__control changes it at run time. */
  LATENCY_MS: z.coerce.number().int().min(0).default(defaults.latencyMs),
  OTEL_EXPORTER_OTLP_ENDPOINT: envOtlpEndpoint,
});
