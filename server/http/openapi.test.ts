import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi.js';

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
});
