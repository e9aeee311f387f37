import type { Express } from 'express';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { LOOKUP_ERROR_CODES, OPS_SOCKET_ERROR_CODES, topicsWithPrefix, WEBHOOK_REFUSAL_CODES } from '../../contracts/index.js';
import { EventPublisher } from '../../lib/event-publisher.js';
import { createLogger } from '../../lib/logger.js';
import { tokenCipherFor } from '../../lib/token-cipher.js';
import { createApp } from '../app.js';
import { HistoryKeys } from '../history/history-keys.js';
import { HistoryReader } from '../history/history-reader.js';
import { PaymentHistory } from '../history/payment-history.js';
import { PaymentLookupService } from '../history/payment-lookup.js';
import { createBffMetrics } from '../metrics.js';
import { LiveView } from '../ops/live-view.js';
import { OpsBoardStore } from '../ops/ops-board-store.js';
import { OPS_COOKIE, OpsSessions } from '../ops/ops-session.js';
import { SignedInOperators } from '../ops/signed-in-operators.js';
import { clientSecretsFor } from '../payments/client-secret.js';
import { PaymentStore } from '../payments/payment-store.js';
import { createRevealer } from '../status/reveal-snapshot.js';
import { SeenWebhooks } from '../webhooks/seen-webhooks.js';
import { openApiDocument } from './openapi.js';
import { compileTrustProxy } from './trust-proxy.js';

interface Operation {
  security?: Array<Record<string, string[]>>;
  responses: Record<string, { content?: Record<string, { schema: { properties: Record<string, any> } }> }>;
}

const document = openApiDocument();
const paths = document.paths as Record<string, Record<string, Operation>>;

/** Never connected: building the app issues no command, so the route table needs no Redis. */
const redis = new Redis({ lazyConnect: true });
afterAll(() => redis.disconnect());

describe('the OpenAPI document', () => {
  it("describes the snapshot's notice: optional, with its fields and what it means for a client", () => {
    const status = openApiDocument().paths['/api/payments/{paymentId}']?.['get'] as {
      responses: Record<string, { content: Record<string, { schema: { properties: Record<string, any>; required: string[] } }> }>;
    };
    const snapshot = status.responses['200']!.content['application/json']!.schema;
    expect(snapshot.required).not.toContain('notice');
    expect(snapshot.properties['notice']).toMatchObject({
      type: 'object',
      required: ['code', 'message', 'since'],
      description: expect.stringContaining('CHARGE_DELAYED'),
    });
  });

  it('lists every route the app serves, with its methods, and nothing it does not serve', () => {
    const served = registeredRoutes(createApp(appWithoutConnections()));
    expect(served).toContain('GET /ops/api/payments/{paymentId}');
    const documented = Object.entries(paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    // A route added without its entry fails here, under /api and /ops/api as anywhere else.
    expect(documented.sort()).toEqual(served.sort());
  });

  it('puts the operator lookup behind the session cookie, under its real name', () => {
    expect(document['components']).toMatchObject({ securitySchemes: { opsSession: { type: 'apiKey', in: 'cookie', name: OPS_COOKIE } } });
    for (const path of ['/ops/api/payments', '/ops/api/payments/{paymentId}']) expect(paths[path]?.['get']?.security).toEqual([{ opsSession: [] }]);
  });

  it("answers the lookup's refusals with exactly the codes of LOOKUP_ERROR_CODES, each in its error's enum", () => {
    const lookups = [paths['/ops/api/payments']!['get']!, paths['/ops/api/payments/{paymentId}']!['get']!];
    const codes = lookups.flatMap((operation) =>
      Object.entries(operation.responses)
        .filter(([status]) => Number(status) >= 400)
        .flatMap(([, response]) => errorCodes(response)),
    );
    expect([...new Set(codes)].sort()).toEqual([...LOOKUP_ERROR_CODES].sort());
  });

  it("names each code Billing Gates' webhook is refused with, and the signature header it must carry", () => {
    const webhook = paths['/api/webhooks/billing-gates']!['post']! as Operation & { parameters: Array<{ name: string; in: string; required: boolean }> };
    expect(errorCodes(webhook.responses['400']!)).toEqual(expect.arrayContaining([...WEBHOOK_REFUSAL_CODES]));
    expect(errorCodes(webhook.responses['503']!)).toEqual(['WEBHOOK_NOT_PUBLISHED', 'STORE_UNAVAILABLE']);
    expect(webhook.parameters).toContainEqual(expect.objectContaining({ name: 'payflow-signature', in: 'header', required: true }));
  });

  it("names each code the live view's socket refuses a handshake with", () => {
    const scheme = (document['components'] as { securitySchemes: Record<string, { description: string }> }).securitySchemes['opsSession']!;
    for (const code of OPS_SOCKET_ERROR_CODES) expect(scheme.description).toContain(`\`${code}\``);
  });
});

/** The codes an error answer may carry: the enum of its body's `error.code`. */
function errorCodes(response: Operation['responses'][string]): string[] {
  return (response.content?.['application/json']?.schema.properties['error']?.properties.code.enum as string[] | undefined) ?? [];
}

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: RouteLayer[] };
}

/** `METHOD /path/{param}` for every route in the app's router and the routers mounted in it. */
function registeredRoutes(app: Express): string[] {
  const walk = (stack: RouteLayer[]): string[] =>
    stack.flatMap((layer) =>
      layer.route === undefined
        ? walk(layer.handle.stack ?? [])
        : Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`),
    );
  return walk((app as unknown as { router: { stack: RouteLayer[] } }).router.stack);
}

/** The BFF's app as bff.ts wires it, on clients that connect only when first used. */
function appWithoutConnections(): Parameters<typeof createApp>[0] {
  const logger = createLogger('bff', 'silent');
  const registry = new Registry();
  const payments = new PaymentStore(redis, 3600);
  const opsSessions = new OpsSessions('an operator token of the test');
  const operators = new SignedInOperators(opsSessions, redis, '');
  const historyKeys = new HistoryKeys();
  return {
    redis,
    payments,
    secrets: clientSecretsFor(undefined, 'test').secrets,
    publisher: new EventPublisher({
      createProducer: () => {
        throw new Error('building the app publishes nothing');
      },
      topics: topicsWithPrefix(''),
      logger,
    }),
    logger,
    registry,
    metrics: createBffMetrics(registry),
    readiness: { dependencies: {} },
    rateLimitPerMinute: 60,
    rateLimitScope: '',
    trustProxy: compileTrustProxy(['loopback']),
    webRoot: '/nonexistent',
    signInOrigin: 'http://localhost:4003',
    reveal: createRevealer(tokenCipherFor(undefined, 'test').cipher, logger),
    liveView: new LiveView(new OpsBoardStore(redis), operators, logger),
    opsSessions,
    operators,
    history: new PaymentHistory(redis, historyKeys, { ttlSeconds: 3600 }, logger),
    lookup: new PaymentLookupService(new HistoryReader(redis, historyKeys, 3600), payments),
    webhooks: { secrets: ['a webhook secret of the test'], seen: new SeenWebhooks(redis, '', 'billing-gates') },
  };
}
