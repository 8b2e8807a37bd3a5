import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { jsonObjectParam } from '../lib/schemas.ts';
import type { Delimiter } from '../lib/csv.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ZodApp } from '../http/zod-app.ts';
import type pg from 'pg';
import { inBackground } from '../lib/priority.ts';
import { API_KEY_SECURITY } from '../http/auth.ts';
import { ApiError, ErrorResponse, notFound, unsupportedMedia } from '../http/errors.ts';
import type { Enqueue } from '../jobs/queue.ts';
import { JobRef } from '../jobs/schema.ts';
import { MAX_INT32, normaliseDomain } from './normalise.ts';
import { deleteAccount, listAccounts, toAccount } from './repository.ts';
import { Account } from './schema.ts';
import { importMappingRoutes, mappingFor } from '../imports/routes.ts';
import { CountryFilter, IndustryFilter } from './filters.ts';
import { ACCOUNT_COLUMNS } from './row.ts';
import {
  DRY_RUN_SAMPLE_ROWS,
  importAccountsCsv,
  ingestAccountBatch,
  MAX_ACCOUNTS_BODY_BYTES,
  MAX_ACCOUNTS_PER_REQUEST,
} from './service.ts';
import { importOwner, spoolFile } from './jobs.ts';

const AccountInput = z.record(z.string(), z.unknown()).meta({
  id: 'AccountRow',
  description:
    'Account fields as in Account; only domain is required. Values are normalised per row: website URLs become domains, ' +
    'country names become ISO codes, "1,200" and ranges like "51-200" become numbers, lists may be arrays or ";"-separated.',
  example: {
    domain: 'https://www.Acme.com/about',
    name: 'Acme',
    industry: 'software',
    employees: '51-200',
    revenue: '$12M',
    country: 'United States',
    businessModel: 'B2B',
    stage: 'Series B',
    technologies: ['Salesforce', 'Snowflake'],
    keywords: 'saas;analytics',
  },
});

const RejectedRow = z
  .object({
    index: z.number().int().optional().meta({ description: 'Position in the JSON batch (0-based)' }),
    line: z.number().int().optional().meta({ description: 'Line in the CSV file (1-based; the header is line 1)' }),
    domain: z.string().optional(),
    errors: z.array(z.string()),
  })
  .meta({ id: 'RejectedRow' });

const DuplicateRow = z.object({
  domain: z.string(),
  index: z.number().int().optional(),
  line: z.number().int().optional(),
  replaces: z.number().int().meta({ description: 'The earlier index or line this row replaced (last wins)' }),
});

const BatchSummary = z.object({
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.array(RejectedRow),
  duplicates: z.array(DuplicateRow),
});

export const ImportColumn = z
  .object({
    header: z.string(),
    field: z.string().nullable().meta({ description: 'What the column fills; null when it is ignored or a fallback' }),
    fallbackFor: z.string().optional().meta({ description: 'The field this column fills in rows where the column chosen for it is empty' }),
    reason: z.string().meta({ description: 'Why: named in the mapping, a known header, or why it is ignored' }),
  })
  .meta({ id: 'ImportColumn' });

export const ImportSummary = BatchSummary.extend({
  rows: z.number().int().meta({ description: 'Data rows read (header excluded)' }),
  rejectedCount: z.number().int(),
  duplicateCount: z.number().int(),
  unknownColumns: z.array(z.string()).meta({ description: 'Header columns that are not used; ignored' }),
  columns: z.array(ImportColumn).meta({ description: 'Each column of the header: the field it fills, or why it is ignored' }),
  sample: z
    .array(Account)
    .optional()
    .meta({ description: `Dry runs: the first ${DRY_RUN_SAMPLE_ROWS} rows as they would be stored` }),
}).meta({ id: 'ImportSummary' });

/**
 * The `mapping` query parameter of an import: a JSON object of header → field (null ignores the
 * column), for headers no convention covers. One schema per import, with that import's fields.
 */
export function mappingParam<T extends string>(fields: readonly T[]) {
  return jsonObjectParam(z.enum(fields as [T, ...T[]]).nullable(), {
    notJson: 'mapping is not JSON: send an object of header → field, e.g. {"Org URL":"domain"}',
    invalid: `mapping must be an object of header → one of ${fields.join(', ')} (or null to ignore a column)`,
  }).meta({
    description: `JSON object of CSV header → field (one of ${fields.join(', ')}), or null to ignore the column; before the recognised headers`,
    example: '{"Org URL":"domain","HQ":"location"}',
  });
}

/** `dryRun=true`: read and check everything, store nothing. */
export const DryRunParam = z
  .enum(['true', 'false'])
  .default('false')
  .meta({ description: 'Store nothing; answer the columns as mapped, the first rows as they would be stored, and the row errors' });

/** The `{domain}` of an account's path. */
export const DomainParams = z.object({ domain: z.string().meta({ example: 'acme.com' }) });

/** A domain from a path parameter, normalised; a 400 when it cannot be one. */
export function requireDomain(raw: string): string {
  const domain = normaliseDomain(raw);
  if (!domain) throw new ApiError(400, 'invalid_domain', `"${raw}" is not a domain`);
  return domain;
}

/** The last domain of the previous page; anything that cannot be one is a forged cursor (400, not a database error). */
function decodeDomainCursor(cursor: string): string {
  const domain = Buffer.from(cursor, 'base64url').toString('utf8');
  if (normaliseDomain(domain) !== domain)
    throw new ApiError(400, 'invalid_cursor', 'The cursor is not one this API issued; start again without it');
  return domain;
}

const TSV = 'text/tab-separated-values';
/** The media types of an import's body that the API document declares: a CSV, or a TSV (its cells separated by tabs). */
export const UPLOAD_TYPES = ['text/csv', TSV];
/** Read as CSV: the declared types, and what clients also send a CSV as. */
const CSV_TYPES = [...UPLOAD_TYPES, 'application/csv', 'text/plain'];

/**
 * Lets the upload routes of a plugin (those whose schema `consumes` CSV) take CSV bodies, handed over as
 * a stream (no buffering, no size limit): imports read them row by row. Its JSON routes answer 415.
 */
export function acceptCsvBodies(app: FastifyInstance) {
  app.addContentTypeParser(CSV_TYPES, (request, payload, done) =>
    (request.routeOptions.schema as { consumes?: string[] } | undefined)?.consumes
      ? done(null, payload)
      : done(unsupportedMedia(request), undefined),
  );
}

/** The CSV body of an import and the separator its media type declares (a TSV's tab), or a 415 naming the type sent. */
export function csvUpload(request: FastifyRequest): { body: Readable; delimiter?: Delimiter } {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (!CSV_TYPES.includes(type))
    throw new ApiError(415, 'unsupported_media_type', `Send the file as text/csv or ${TSV} (got ${type || 'no content type'})`);
  return { body: request.body as Readable, delimiter: type === TSV ? '\t' : undefined };
}

export interface AccountRouteDeps {
  pool: pg.Pool;
  spoolDir: string;
  enqueue: Enqueue;
  /** Called after accounts were stored, with what changed (schedules re-vectorising). */
  onAccountsChanged: (workspaceId: string, counts: { inserted: number; updated: number }) => Promise<unknown>;
}

const common = { tags: ['accounts'], security: API_KEY_SECURITY };

export function accountRoutes(deps: AccountRouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    acceptCsvBodies(app);
    await app.register(importMappingRoutes('accounts', ACCOUNT_COLUMNS, deps));
    upsertRoute(app, deps);
    importRoute(app, deps);
    listRoute(app, deps);
    deleteRoute(app, deps);
  };
}

function upsertRoute(app: ZodApp, deps: AccountRouteDeps): void {
  app.post('/v1/accounts', {
    bodyLimit: MAX_ACCOUNTS_BODY_BYTES,
    schema: {
      ...common,
      operationId: 'upsertAccounts',
      summary: `Insert or update up to ${MAX_ACCOUNTS_PER_REQUEST} accounts by domain (all or nothing)`,
      description:
        'Every row is validated first; if any row is invalid nothing is stored and the 422 response lists each ' +
        'rejected row (error.details.rejected). A domain repeated in one batch: the last row wins and is reported in duplicates. ' +
        `Bodies over ${MAX_ACCOUNTS_BODY_BYTES / 1024 / 1024} MiB are refused (413); for more, import a CSV.`,
      body: z.object({ accounts: z.array(AccountInput).max(MAX_ACCOUNTS_PER_REQUEST) }),
      response: { 200: BatchSummary, 400: ErrorResponse, 401: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse, 422: ErrorResponse },
    },
    handler: async (request) => {
      const summary = await ingestAccountBatch(deps.pool, request.workspaceId, request.body.accounts);
      await deps.onAccountsChanged(request.workspaceId, summary);
      return summary;
    },
  });
}

function importRoute(app: ZodApp, deps: AccountRouteDeps): void {
  app.post('/v1/accounts/import', {
    config: { background: true },
    schema: {
      ...common,
      operationId: 'importAccountsCsv',
      summary: 'Import accounts from CSV, streamed, any size',
      description:
        'Header row = Account field names (case, snake_case and camelCase accepted), their aliases, or the headers of ' +
        'HubSpot, Salesforce, Pipedrive, Apollo, People Data Labs and Crunchbase exports (docs/importing.md); `mapping` ' +
        'names the field of any other header; unknown columns are reported and ignored. Lists are separated by ";", "|" or ",". ' +
        'Good rows are stored, bad rows are reported with their line number. ?dryRun=true stores nothing. ' +
        'Re-importing the same file reports every row unchanged. With ?async=true the file is spooled to disk and ' +
        'imported in the background: the 202 response carries a job whose progress (rowsDone) GET /v1/jobs/{id} shows.',
      consumes: UPLOAD_TYPES,
      body: z.any().meta({ type: 'string', example: 'domain,name,employees,technologies\nacme.com,Acme,51-200,salesforce;snowflake\n' }),
      querystring: z.object({
        async: z.enum(['true', 'false']).default('false').meta({ description: 'Import in the background and return a job' }),
        mapping: mappingParam(ACCOUNT_COLUMNS),
        dryRun: DryRunParam,
      }),
      response: { 200: ImportSummary, 202: z.object({ job: JobRef }), 400: ErrorResponse, 401: ErrorResponse, 415: ErrorResponse },
    },
    handler: async (request, reply) => {
      const { body, delimiter } = csvUpload(request);
      const { mapping, skipMissing } = await mappingFor(deps.pool, request.workspaceId, 'accounts', request.query.mapping);
      const reading = { mapping, skipMissing, delimiter };
      if (request.query.dryRun === 'true') {
        return inBackground(() => importAccountsCsv(deps.pool, request.workspaceId, body, { ...reading, dryRun: true }));
      }
      if (request.query.async === 'false') {
        const summary = await inBackground(() => importAccountsCsv(deps.pool, request.workspaceId, body, reading));
        await deps.onAccountsChanged(request.workspaceId, summary);
        return summary;
      }

      // The spooled file is local to this process, so this job runs here in both queue modes (src/accounts/jobs.ts).
      const job = await deps.enqueue(
        request.workspaceId,
        'accounts.import',
        { ...importOwner(), ...reading },
        {
          prepare: async (jobId) => {
            // Private whatever the umask: an upload holds a customer's account list.
            await mkdir(deps.spoolDir, { recursive: true, mode: 0o700 });
            await pipeline(body, createWriteStream(spoolFile(deps.spoolDir, jobId), { mode: 0o600 }));
          },
        },
      );
      return reply.code(202).send({ job: { id: job.id } });
    },
  });
}

function listRoute(app: ZodApp, deps: AccountRouteDeps): void {
  app.get('/v1/accounts', {
    schema: {
      ...common,
      operationId: 'listAccounts',
      summary: 'List accounts in the universe, ordered by domain, with cursor pagination and filters',
      querystring: z.object({
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        cursor: z.string().optional().meta({ description: 'nextCursor from the previous page' }),
        industry: IndustryFilter.optional(),
        country: CountryFilter.optional(),
        technology: z.string().toLowerCase().optional(),
        keyword: z.string().toLowerCase().optional(),
        minEmployees: z.coerce.number().int().min(0).max(MAX_INT32).optional(),
        maxEmployees: z.coerce.number().int().min(0).max(MAX_INT32).optional(),
      }),
      response: { 200: z.object({ data: z.array(Account), nextCursor: z.string().nullable() }), 400: ErrorResponse, 401: ErrorResponse },
    },
    handler: async (request) => {
      const { limit, cursor, ...filters } = request.query;
      const after = cursor ? decodeDomainCursor(cursor) : null;
      const rows = await listAccounts(deps.pool, request.workspaceId, filters, after, limit);
      const nextCursor = rows.length === limit ? Buffer.from(rows[rows.length - 1].domain).toString('base64url') : null;
      return { data: rows.map(toAccount), nextCursor };
    },
  });
}

function deleteRoute(app: ZodApp, deps: AccountRouteDeps): void {
  app.delete('/v1/accounts/:domain', {
    schema: {
      ...common,
      operationId: 'deleteAccount',
      summary: 'Delete an account with its signals, outcome and scores',
      params: DomainParams,
      response: { 204: z.undefined(), 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse },
    },
    handler: async (request, reply) => {
      const domain = requireDomain(request.params.domain);
      if (!(await deleteAccount(deps.pool, request.workspaceId, domain))) throw notFound(`Account ${domain}`);
      return reply.code(204).send();
    },
  });
}
