import { Router } from 'express';
import { openApiDocument } from './openapi.js';

interface Operation {
  summary?: string;
  description?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string }>;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A plain, readable rendering of the OpenAPI document: no script, no third-party assets. */
function referencePage(document: ReturnType<typeof openApiDocument>): string {
  const info = document['info'] as { title: string; description: string };
  const paths = document['paths'] as Record<string, Record<string, Operation>>;
  const operations = Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const params = (op.parameters ?? []).map((p) => `<li><code>${escape(p.name)}</code> (${p.in}${p.required ? ', required' : ''})</li>`).join('');
      const body = op.requestBody ? `<h4>Body</h4><pre>${escape(JSON.stringify(op.requestBody.content['application/json']?.schema, null, 2))}</pre>` : '';
      const responses = Object.entries(op.responses)
        .map(([status, r]) => `<li><code>${status}</code> ${escape(r.description)}</li>`)
        .join('');
      return `<section><h3><code>${method.toUpperCase()} ${escape(path)}</code></h3><p>${escape(op.summary ?? '')}</p>${op.description ? `<p>${escape(op.description)}</p>` : ''}${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ''}${body}<h4>Responses</h4><ul>${responses}</ul></section>`;
    }),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(info.title)} API</title><link rel="stylesheet" href="/api/docs.css"></head><body><main><h1>${escape(info.title)} API</h1><p>${escape(info.description)}</p><p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>${operations.join('')}</main></body></html>`;
}

const CSS = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f7fb;color:#1b1d2a}main{max-width:52rem;margin:0 auto;padding:2rem 1rem}section{background:#fff;border-radius:.5rem;padding:1rem 1.25rem;margin:1rem 0;box-shadow:0 1px 3px #0001}pre{background:#f2f3f8;padding:.75rem;overflow:auto;font-size:.8rem}code{font-size:.95em}`;

/** GET /api/openapi.json and a reference page at GET /api/docs. */
export function apiDocsRoutes(): Router {
  const document = openApiDocument();
  const page = referencePage(document);
  return Router()
    .get('/api/openapi.json', (_req, res) => {
      res.json(document);
    })
    .get('/api/docs', (_req, res) => {
      res.type('html').send(page);
    })
    .get('/api/docs.css', (_req, res) => {
      res.type('css').send(CSS);
    });
}
