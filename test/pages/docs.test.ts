import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_VERSION } from '../../src/docs/openapi.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

// Docs that read well: a landing page, a report page, an API description that renders, every
// response described, every prospect filter described with an example, a proper title.
describe('landing page, report page and API docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('serves a landing page at / with the name, the version and links to /docs, /report and /health', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<title>Lookalike account discovery</title>');
    expect(res.body).toContain(`API v${API_VERSION}`);
    for (const href of ['/docs', '/report', '/health']) expect(res.body).toContain(`href="${href}"`);
    expect(res.body).toContain('Authorization: Bearer &lt;api key&gt;');
  });

  it('serves the report page without a key: the page asks for one and fetches the API itself', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/report' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(res.body).toContain('sessionStorage');
    for (const path of ['/v1/models', '/v1/prospects/summary', '/v1/icp', '/v1/prospects?limit=']) expect(res.body).toContain(path);
  });

  it('titles the Swagger UI with the product name', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>Lookalike account discovery — API docs</title>');
  });

  it('describes the API in markdown that keeps "<api key>", every response, and every prospect filter with an example', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(spec.info.description).toContain('`Authorization: Bearer <api key>`');
    const undescribed: string[] = [];
    for (const [path, methods] of Object.entries<Record<string, { responses: Record<string, { description?: string }> }>>(spec.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        for (const [code, response] of Object.entries(op.responses)) {
          if (!response.description || response.description === 'Default Response') undescribed.push(`${method} ${path} ${code}`);
        }
      }
    }
    expect(undescribed).toEqual([]);
    const params = spec.paths['/v1/prospects'].get.parameters as { name: string; description?: string; schema: { example?: unknown } }[];
    expect(params.length).toBeGreaterThanOrEqual(12);
    for (const p of params) {
      expect(p.description, p.name).toBeTruthy();
      expect(p.schema.example, p.name).toBeDefined();
    }
    expect(spec.paths['/v1/models/{id}/unpin']).toBeDefined();
    expect(spec.components.schemas.Model.properties.pinned).toBeDefined();
  });

  it('answers 409 for tier counts before anything is scored', async () => {
    const ws = await t.newWorkspace();
    const res = await t.app.inject({ method: 'GET', url: '/v1/prospects/summary', headers: ws.auth });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('no_scores');
  });
});
