import type { OpenAPIHono } from '@hono/zod-openapi';
import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import type { AppEnv } from './router.ts';

const info = {
  openapi: '3.1.0',
  info: {
    title: 'Campus AED responder network API',
    version: '0.1.0',
    description: 'SOS from first-aid QR codes, AED registry, volunteer dispatch.',
  },
  servers: [{ url: '/api' }],
};

type OpenApiDoc = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

/**
 * `/openapi.json` generated from the routes' zod schemas, and `/docs`: a plain HTML reference
 * rendered on the server, so it reads on a closed network with no CDN.
 */
export function docsRoutes(api: OpenAPIHono<AppEnv>) {
  let doc: OpenApiDoc | undefined;
  const document = () => {
    if (!doc) {
      api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
      doc = api.getOpenAPI31Document(info);
    }
    return doc;
  };
  return new Hono()
    .get('/openapi.json', (c) => c.json(document()))
    .get('/docs', (c) => c.html(renderDocs(document())));
}

function renderDocs(doc: OpenApiDoc) {
  const ops = Object.entries(doc.paths ?? {}).flatMap(([p, item]) =>
    Object.entries(item as Record<string, { summary?: string; responses?: Record<string, { description?: string }>; requestBody?: unknown; parameters?: unknown }>).map(
      ([method, op]) => ({ path: p, method, op }),
    ),
  );
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${doc.info.title}</title>
        <link rel="icon" href="/icon.svg" type="image/svg+xml" />
        <style>
          body { font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #111; }
          details { border: 1px solid #ccc; border-radius: 6px; margin: .5rem 0; padding: .5rem 1rem; }
          summary { cursor: pointer; } code.m { font-weight: 700; text-transform: uppercase; display: inline-block; width: 4.5rem; }
          pre { background: #f5f5f5; padding: .75rem; overflow: auto; font-size: 13px; }
        </style>
      </head>
      <body>
        <h1>${doc.info.title}</h1>
        <p>${doc.info.description ?? ''} Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a>.
          Authenticated routes take <code>Authorization: Bearer &lt;token&gt;</code> from <code>POST /api/auth/login</code>.</p>
        ${ops.map(
          ({ path: p, method, op }) => html`<details>
            <summary><code class="m">${method}</code> <code>/api${p}</code> — ${op.summary ?? ''}</summary>
            ${op.parameters ? html`<h4>Parameters</h4><pre>${JSON.stringify(op.parameters, null, 2)}</pre>` : ''}
            ${op.requestBody ? html`<h4>Request body</h4><pre>${JSON.stringify(op.requestBody, null, 2)}</pre>` : ''}
            <h4>Responses</h4>
            <ul>${raw(Object.entries(op.responses ?? {}).map(([s, r]) => `<li><b>${s}</b> ${escapeHtml(r.description ?? '')}</li>`).join(''))}</ul>
          </details>`,
        )}
        <h2>Schemas</h2>
        <pre>${JSON.stringify(doc.components?.schemas ?? {}, null, 2)}</pre>
      </body>
    </html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
