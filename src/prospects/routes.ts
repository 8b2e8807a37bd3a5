import { Readable } from 'node:stream';
import { inChunks } from '../lib/csv.ts';
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { requireDomain } from '../accounts/routes.ts';
import type { Database } from '../db/pool.ts';
import { API_KEY_SECURITY } from '../http/auth.ts';
import { ErrorResponse } from '../http/errors.ts';
import { noneMatch } from '../http/etag.ts';
import { negotiatedCoding } from '../http/compression.ts';
import { wantsCsv } from '../http/negotiation.ts';
import type { ZodApp } from '../http/zod-app.ts';
import { findLookalikes } from './lookalikes.ts';
import { Fit, LookalikeBody, LookalikeResponse, ProspectPage, ProspectQuery } from './schema.ts';
import type { PageCache } from './page-cache.ts';
import { accountFit, prospectCsv, prospectPageBytes } from './service.ts';

const common = { tags: ['prospects'], security: API_KEY_SECURITY };

export function prospectRoutes(deps: { db: Database; pageCache: PageCache }): FastifyPluginAsyncZod {
  return async (app) => {
    listRoute(app, deps.db.pool, deps.pageCache);
    lookalikesRoute(app, deps.db);
    fitRoute(app, deps.db.pool);
  };
}

/**
 * The whole filtered list as a CSV download, its header line pulled first so that "no scores yet" is
 * still a JSON error, not a broken download. Streamed as it is read, so it has no entity tag (its bytes
 * are known only once sent): only If-None-Match "*" can match it. A HEAD reads none of its rows.
 */
async function sendCsv(request: FastifyRequest, reply: FastifyReply, pool: pg.Pool, query: ProspectQuery) {
  const lines = prospectCsv(pool, request.workspaceId, query);
  const first = await lines.next();
  const notModified = noneMatch(request.headers['if-none-match'], null);
  if (notModified || request.method === 'HEAD') await lines.return(undefined);
  if (notModified) return reply.code(304).send();
  reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="prospects.csv"');
  if (request.method === 'HEAD') {
    // The headers a GET gets, the plugin's coding included. Without a length: it is known only as the rows are
    // sent (RFC 9110 §9.3.2); an empty stream, because fastify gives a HEAD's body's length, or drains a stream.
    const coding = negotiatedCoding(request.headers['accept-encoding']);
    if (coding) reply.header('content-encoding', coding);
    return reply.send(Readable.from([]) as never);
  }
  const bom = query.bom;
  const text = (async function* () {
    if (bom) yield '\uFEFF';
    if (!first.done) yield first.value;
    yield* lines;
  })();
  return reply.send(Readable.from(inChunks(text)) as never); // a stream is sent as is, not through the JSON schema
}

function listRoute(app: ZodApp, pool: pg.Pool, pageCache: PageCache): void {
  app.get('/v1/prospects', {
    schema: {
      ...common,
      operationId: 'listProspects',
      summary: 'Ranked, explained prospect accounts from the active model (JSON pages or the whole list as CSV)',
      description:
        'Accounts already won, lost, churned or open, and accounts excluded by the workspace rules, are never returned. ' +
        'Pages are read from one materialised scoring run; nextCursor pins that run, so walking the pages while a new ' +
        'model is being scored gives no duplicates and no gaps. Send "Accept: text/csv" (or format=csv) for the whole ' +
        'filtered list as a spreadsheet with reasons in columns: UTF-8 with a byte order mark, so spreadsheets opened ' +
        'by double-click read the "—" and accents right (bom=false leaves it out); headers are camelCase like the JSON fields. ' +
        'Before a first run can be served the answer is 409 no_scores: while a model trains or its universe is scored, ' +
        'error.details says what is under way (underway: training or scoring, modelId, job, progress) and a Retry-After ' +
        'header says when to ask again; otherwise details.underway is null and the message says what to do. While a newer ' +
        "model's universe is scored, the previous run is served (model.active false, model.runId names it). " +
        'A JSON page carries an ETag: sent back in If-None-Match, it gets 304 and no body while the page reads the same. ' +
        'The CSV, streamed as it is read, carries none (If-None-Match "*" alone matches it), nor a Content-Length; ' +
        'HEAD answers with the headers a GET gets without reading its rows.',
      querystring: ProspectQuery,
      response: {
        200: {
          description: 'A page of ranked prospects with the cursor of the next page (JSON), or the whole filtered list (CSV)',
          content: {
            'application/json': { schema: ProspectPage },
            'text/csv': {
              schema: z.string().meta({ example: 'rank,domain,name,score,tier,...\n1,acme.com,Acme,0.912,A,...\n' }),
            },
          },
        },
        304: z.undefined().meta({ description: 'Not modified: the page reads as the one whose ETag If-None-Match named (no body)' }),
        400: ErrorResponse,
        401: ErrorResponse,
        409: ErrorResponse,
        410: ErrorResponse,
      },
    },
    handler: async (request, reply) => {
      const { query } = request;
      // The answer depends on both headers: a cache must keep JSON and CSV, plain and compressed, apart.
      reply.header('vary', 'accept, accept-encoding');
      if (wantsCsv(query.format, request.headers.accept)) return sendCsv(request, reply, pool, query);
      // The page's JSON bytes, sent as they are: its stored prospects were checked against the schema when scored (prospectPageText).
      const page = await prospectPageBytes(pool, pageCache, request.workspaceId, query);
      reply.header('etag', page.etag);
      if (noneMatch(request.headers['if-none-match'], page.etag)) return reply.code(304).send();
      // Compressed here, once a body is to be sent, not by the plugin (which leaves a body with a Content-Encoding
      // alone): the cache keeps it compressed. A HEAD gets it too, for its exact length, and the copy is kept for the GET.
      const sent = await page.encoded(negotiatedCoding(request.headers['accept-encoding']));
      if (sent.encoding) reply.header('content-encoding', sent.encoding);
      return reply.type('application/json; charset=utf-8').send(sent.body as never);
    },
  });
}

function lookalikesRoute(app: ZodApp, db: Database): void {
  app.post('/v1/lookalikes', {
    schema: {
      ...common,
      operationId: 'findLookalikes',
      summary: 'Accounts most similar to a set of seed accounts (no model needed)',
      description:
        'pgvector nearest neighbours around the seeds (up to 500; many seeds are grouped into centroids), merged and ' +
        're-ranked by similarity to each account’s nearest seeds. Seeds, and accounts already won, lost, churned or open ' +
        '(unless includeCustomers), are left out; exclusion rules apply. Unknown seed domains are reported, not fatal. ' +
        '409 vectors_pending (with Retry-After, details.accountsToVectorise): a seed has no similarity vector yet and more ' +
        'accounts than a request vectorises itself wait for the vectors.refresh job (after a large import).',
      body: LookalikeBody,
      response: { 200: LookalikeResponse, 400: ErrorResponse, 401: ErrorResponse, 409: ErrorResponse },
    },
    handler: async (request) => findLookalikes(db, request.workspaceId, request.body),
  });
}

function fitRoute(app: ZodApp, pool: pg.Pool): void {
  app.get('/v1/accounts/:domain/fit', {
    schema: {
      ...common,
      operationId: 'getAccountFit',
      summary: 'Score, tier and explanation of one account, computed now with the active model',
      description: 'Works for accounts no scoring run has seen yet, e.g. an inbound lead just added with POST /v1/accounts.',
      params: z.object({ domain: z.string().meta({ example: 'acme.com' }) }),
      response: { 200: Fit, 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
    handler: async (request) => {
      return accountFit(pool, request.workspaceId, requireDomain(request.params.domain));
    },
  });
}
