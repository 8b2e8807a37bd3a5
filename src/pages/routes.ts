import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { API_VERSION } from '../docs/openapi.ts';

export const PRODUCT_NAME = 'Lookalike account discovery';

const packageVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const reportHtml = readFileSync(new URL('./report.html', import.meta.url), 'utf8');

/** The pages hold no data: the report fetches the API with the key the user gives it. */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data: blob:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

export const landingHtml = () => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${PRODUCT_NAME}</title>
<style>
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1d2330; background: #f6f7f9; }
  main { max-width: 680px; margin: 56px auto; padding: 28px 32px; background: #fff; border: 1px solid #e3e6ec; border-radius: 8px; }
  h1 { margin: 0 0 4px; font-size: 24px; } .version { color: #5d6676; margin: 0 0 18px; }
  ul { padding-left: 0; list-style: none; } li { margin: 10px 0; } a { color: #2f5bd3; font-weight: 600; text-decoration: none; }
  a:hover { text-decoration: underline; } code { background: #f1f3f6; padding: 1px 5px; border-radius: 4px; }
</style>
</head>
<body>
<main>
  <h1>${PRODUCT_NAME}</h1>
  <p class="version">Version ${packageVersion} · API v${API_VERSION}</p>
  <p>Ranked, explained lookalike prospect accounts from your won deals, over HTTP.</p>
  <ul>
    <li><a href="/report">Report</a> — the analyst's view of a workspace: model quality, tiers, ICP lift, segments, drift, top prospects, CSV downloads.</li>
    <li><a href="/docs">API documentation</a> — every endpoint, with examples (Swagger UI); the spec is at <a href="/openapi.json">/openapi.json</a>.</li>
    <li><a href="/health">Health</a> — <code>{"status":"ok"}</code> while the process is up; <a href="/ready">/ready</a> checks the database.</li>
  </ul>
  <p>Every <code>/v1</code> request needs <code>Authorization: Bearer &lt;api key&gt;</code>.</p>
</main>
</body>
</html>
`;

/** `GET /` (landing page) and `GET /report` (the analyst's report): plain HTML, no build step, not in the API spec. */
export async function pageRoutes(app: FastifyInstance) {
  const landing = landingHtml();
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(landing),
  );
  app.get('/report', { schema: { hide: true } }, async (_request, reply) =>
    reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(reportHtml),
  );
}
