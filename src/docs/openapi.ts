import { isDeepStrictEqual } from 'node:util';
import { readKeyMay } from '../workspaces/auth.ts';

/**
 * Descriptions for the responses the route schemas leave without one (fastify-swagger would write
 * "Default Response"): success responses by operation, error responses by status code. Applied to the
 * finished document, so route files need no change to read well in the Swagger UI.
 */

/** The API's version, in the spec and on the landing page. */
export const API_VERSION = '1.0.0';

/** What a successful response of each operation holds. */
const SUCCESS: Record<string, string> = {
  health: 'The process is up',
  ready: 'The database is reachable and migrated',
  createWorkspace: 'The workspace and its first API key (shown once)',
  listApiKeys: "The workspace's API keys (never the secrets)",
  createApiKey: 'The new key (its secret is shown once)',
  revokeApiKey: 'The key is revoked',
  upsertAccounts: 'How many accounts were inserted and updated',
  listAccounts: 'A page of accounts and the cursor of the next one',
  importAccountsCsv: 'Import summary: inserted, updated and rejected rows with their line numbers (202: the background job)',
  getAccount: 'The account with its signals and outcome',
  deleteAccount: 'The account is deleted',
  recordSignals: 'How many signals were recorded; unknown domains are reported',
  recordOutcomes: 'How many outcomes were recorded; unknown domains are reported or created',
  getExclusions: "The workspace's exclusion rules",
  putExclusions: 'The exclusion rules now in force',
  getIcpCriteria: 'Your declared ICP criteria',
  putIcpCriteria: 'The declared ICP criteria now in force',
  getJob: 'The job: status, progress, result or error',
  listJobs: 'Jobs, newest first',
  getRetrainingSettings: 'The retraining schedule',
  putRetrainingSettings: 'The retraining schedule now in force',
  trainModel: 'The queued model version and the job that trains it',
  listModels: 'Model versions, newest first',
  getModel: 'The model version',
  listProspects: 'A page of ranked prospects with the cursor of the next page (JSON), or the whole filtered list (CSV)',
  findLookalikes: 'The accounts most similar to the seeds',
  getProspectSummary: 'Tier counts and cut-offs of the current scoring run',
  unpinModel: 'The model, no longer pinned',
  activateModel: 'The model, now active and pinned, and the scoring job if its prospects need scoring',
  getAccountFit: "The account's score, tier, sub-scores and reasons under the active model",
};

/** What an error response means, by status code (the body is always `{ error: { code, message, details? } }`). */
const ERRORS: Record<string, string> = {
  '400': 'Bad request: a parameter or the body is invalid (error.code and error.details say which)',
  '401': 'Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`)',
  '403': 'The key may not do this',
  '404': 'Not found in this workspace',
  '409': 'Not possible in the current state (error.message says what to do first)',
  '410': 'Gone: the cursor belongs to scores that have been replaced; start again without it',
  '413': 'The body is too large',
  '415': 'Unsupported content type',
  '422': 'Rows failed validation; details lists every bad row',
  '429': 'Too many requests; retry after the time in the Retry-After header',
  '503': 'Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment',
};

type Operation = { operationId?: string; summary?: string; responses?: Record<string, { description?: string }> };

export function describeResponses<T extends object>(document: T): T {
  const paths = (document as { paths?: Record<string, Record<string, Operation>> }).paths ?? {};
  for (const methods of Object.values(paths)) {
    for (const op of Object.values(methods)) {
      for (const [code, response] of Object.entries(op.responses ?? {})) {
        if (response.description && response.description !== 'Default Response') continue;
        response.description = code.startsWith('2')
          ? ((op.operationId && SUCCESS[op.operationId]) ?? op.summary ?? 'Success')
          : (ERRORS[code] ?? 'Error');
      }
    }
  }
  return document;
}

type Document = {
  paths?: Record<string, Record<string, Operation & { parameters?: unknown[]; requestBody?: unknown; security?: unknown[] }>>;
  components?: { schemas?: Record<string, unknown> };
};
type Response = { description?: string; content?: Record<string, unknown>; headers?: Record<string, unknown> };

const ERROR_CONTENT = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before asking again', schema: { type: 'integer', minimum: 0 } } };

/**
 * Declares the statuses every route can answer through what all routes share, with the error shape:
 * 400 (validation) where a route takes parameters or a body, 401 where it needs a key, 413 and 415
 * where it reads a body, 429 (request budgets, with Retry-After) everywhere but /health, 500, and 503
 * (shutting down: src/http/closing.ts). A generated client then types every error a route can send;
 * route schemas declare their own statuses.
 */
export function declareSharedErrors<T extends object>(document: T): T {
  for (const [path, methods] of Object.entries((document as Document).paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      op.responses ??= {};
      const responses = op.responses as Record<string, Response>;
      const add = (code: string, headers?: Record<string, unknown>) => {
        responses[code] ??= {
          description: ERRORS[code] ?? 'Internal error (the message names the request id to quote)',
          content: ERROR_CONTENT,
        };
        if (headers) responses[code].headers = { ...responses[code].headers, ...headers };
      };
      if ((op.parameters?.length ?? 0) > 0 || op.requestBody) add('400');
      if ((op.security?.length ?? 0) > 0) add('401');
      const apiKey = op.security?.some((scheme) => typeof scheme === 'object' && scheme !== null && 'apiKey' in scheme);
      if (apiKey && !readKeyMay(method.toUpperCase(), path)) add('403');
      if (op.requestBody) {
        add('413');
        add('415');
      }
      if (path !== '/health') add('429', RETRY_AFTER);
      add('500');
      add('503');
    }
  }
  return document;
}

/** Operations whose 409 means "not yet" (no_scores, vectors_pending): what is under way finishes in about Retry-After seconds. */
const NOT_READY_YET = new Set(['listProspects', 'getProspectSummary', 'findLookalikes']);

/** Declares the Retry-After of the "not yet" 409s. */
export function declareRetryAfter<T extends object>(document: T): T {
  for (const methods of Object.values((document as Document).paths ?? {})) {
    for (const op of Object.values(methods)) {
      const conflict = op.responses?.['409'] as Response | undefined;
      if (conflict && op.operationId && NOT_READY_YET.has(op.operationId)) conflict.headers = { ...conflict.headers, ...RETRY_AFTER };
    }
  }
  return document;
}

const REF = '#/components/schemas/';
const INPUT = 'Input';

function refsIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) refsIn(v, into);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string') into.add(v.slice(REF.length));
      else refsIn(v, into);
    }
  }
  return into;
}

function renameRefs(value: unknown, renamed: Map<string, string>): void {
  if (Array.isArray(value)) for (const v of value) renameRefs(v, renamed);
  else if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    for (const [key, v] of Object.entries(object)) {
      if (key === '$ref' && typeof v === 'string' && renamed.has(v.slice(REF.length))) object.$ref = REF + renamed.get(v.slice(REF.length));
      else renameRefs(v, renamed);
    }
  }
}

function inlineRefs(value: unknown, inlined: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((v) => inlineRefs(v, inlined));
  if (!value || typeof value !== 'object') return value;
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && ref.slice(REF.length) in inlined)
    return inlineRefs(structuredClone(inlined[ref.slice(REF.length)]), inlined);
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, inlineRefs(v, inlined)]));
}

/**
 * One component per shape, and request types as generators read them. fastify-type-provider-zod emits
 * every registered schema twice, as read (`XInput`: fields with defaults optional) and as written
 * (`X`); most are the same shape. Twins that are identical become one (repeated, as a parent's twins
 * agree once their children's do). An input schema that differs (its fields with defaults are
 * optional) is written into the requests that read it: generators such as openapi-typescript make a
 * field with a default required in a component, but optional in a request body. Components no
 * operation reaches (what was left of those pairs) are dropped.
 */
export function oneSchemaPerShape<T extends object>(document: T): T {
  const doc = document as Document;
  const schemas = doc.components?.schemas;
  if (!schemas || !doc.paths) return document;
  const inputs = () => Object.keys(schemas).filter((name) => name.endsWith(INPUT));
  for (;;) {
    const twins = inputs().filter((name) => isDeepStrictEqual(schemas[name], schemas[name.slice(0, -INPUT.length)]));
    if (twins.length === 0) break;
    for (const name of twins) delete schemas[name];
    renameRefs(document, new Map(twins.map((name) => [name, name.slice(0, -INPUT.length)])));
  }
  const inlined = Object.fromEntries(inputs().map((name) => [name, schemas[name]]));
  doc.paths = inlineRefs(doc.paths, inlined) as Document['paths'];
  // Components the operations reach, directly or through other components.
  const reached = refsIn(doc.paths);
  for (const name of reached) refsIn(schemas[name], reached);
  for (const name of Object.keys(schemas)) if (!reached.has(name)) delete schemas[name];
  return document;
}
