import { z } from 'zod';
import { jsonObjectParam } from '../lib/schemas.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ZodApp } from '../http/zod-app.ts';
import type pg from 'pg';
import { inBackground } from '../lib/priority.ts';
import { API_KEY_SECURITY } from '../http/auth.ts';
import { ErrorResponse } from '../http/errors.ts';
import { acceptCsvBodies, csvUpload, DryRunParam, ImportColumn, mappingParam, UPLOAD_TYPES } from '../accounts/routes.ts';
import { importMappingRoutes, mappingFor } from '../imports/routes.ts';
import { DATE_FORMATS } from '../lib/dates.ts';
import { importSignalsCsv, SIGNAL_COLUMNS } from './import.ts';
import { MAX_SIGNALS_BODY_BYTES, MAX_SIGNALS_PER_REQUEST, SIGNAL_TYPES, SignalInput, SignalsSummary, SignalType } from './schema.ts';

const Line = z.number().int().meta({ description: 'Line in the CSV file (1-based; the header is line 1)' });

const SignalImportSummary = z
  .object({
    rows: z.number().int().meta({ description: 'Data rows read (header excluded)' }),
    inserted: z.number().int(),
    duplicates: z.number().int().meta({ description: 'Signals already stored (same account, type, time, topic and source)' }),
    unknownDomains: z
      .array(z.object({ line: Line, domain: z.string() }))
      .meta({ description: 'Rows whose account is not in the universe; not stored' }),
    unknownDomainCount: z.number().int(),
    rejected: z.array(z.object({ line: Line, errors: z.array(z.string()) })),
    rejectedCount: z.number().int(),
    columns: z.array(ImportColumn),
    sample: z
      .array(
        z.object({
          line: Line,
          domain: z.string(),
          type: SignalType,
          occurredAt: z.string(),
          value: z.number().nullable(),
          topic: z.string().nullable(),
          source: z.string().nullable(),
        }),
      )
      .optional()
      .meta({ description: 'Dry runs: the first signals as they would be stored' }),
  })
  .meta({ id: 'SignalImportSummary' });

const TYPES_INVALID = `types must be a JSON object of the file's value → one of ${SIGNAL_TYPES.join(', ')}, e.g. {"Pricing page":"web_visit"}`;
const TypesParam = jsonObjectParam(SignalType, { notJson: TYPES_INVALID, invalid: TYPES_INVALID }).meta({
  description: `JSON object of a type or activity value (as the file writes it) → signal type (${SIGNAL_TYPES.join(', ')})`,
  example: '{"Pricing page":"web_visit"}',
});
import { recordSignals } from './service.ts';

export function signalRoutes(deps: { pool: pg.Pool }): FastifyPluginAsyncZod {
  return async (app) => {
    recordRoute(app, deps);
    acceptCsvBodies(app);
    await app.register(importMappingRoutes('signals', SIGNAL_COLUMNS, deps));
    importRoute(app, deps);
  };
}

function recordRoute(app: ZodApp, deps: { pool: pg.Pool }): void {
  app.post('/v1/signals', {
    bodyLimit: MAX_SIGNALS_BODY_BYTES,
    schema: {
      tags: ['signals'],
      security: API_KEY_SECURITY,
      operationId: 'recordSignals',
      summary: `Record up to ${MAX_SIGNALS_PER_REQUEST} intent and trigger signals`,
      description:
        'Signals for accounts not in the universe are reported in unknownDomains and not stored. A malformed row ' +
        'rejects the request (400) with the path of the first 20 bad fields, e.g. body.signals.3.type. ' +
        `Bodies over ${MAX_SIGNALS_BODY_BYTES / 1024 / 1024} MiB are refused (413).`,
      body: z.object({ signals: z.array(SignalInput).max(MAX_SIGNALS_PER_REQUEST) }),
      response: { 200: SignalsSummary, 400: ErrorResponse, 401: ErrorResponse, 413: ErrorResponse },
    },
    handler: async (request) => recordSignals(deps.pool, request.workspaceId, request.body.signals),
  });
}

function importRoute(app: ZodApp, deps: { pool: pg.Pool }): void {
  app.post('/v1/signals/import', {
    config: { background: true },
    schema: {
      tags: ['signals'],
      security: API_KEY_SECURITY,
      operationId: 'importSignalsCsv',
      summary: 'Import intent and activity signals from CSV, streamed, any size',
      description:
        "Columns: domain or website, type (or `types` mapping the file's activity values, or ?type= for the whole file), date, " +
        'and optionally value, topic and source. Good rows are stored in batches as the file is read; bad rows are reported ' +
        'with their line; signals of domains not in the universe are reported and not stored.',
      consumes: UPLOAD_TYPES,
      body: z.any().meta({ type: 'string', example: 'Domain,Topic Name,Composite Score,Date\nacme.com,Data Warehouse,72,2026-03-02\n' }),
      querystring: z.object({
        mapping: mappingParam(SIGNAL_COLUMNS),
        types: TypesParam,
        type: SignalType.optional().meta({
          description: "The type of every row without one (e.g. topic_surge for an intent vendor's file)",
        }),
        dateFormat: z.enum(DATE_FORMATS).optional().meta({ description: 'How to read dates like 03/04/2024 (ISO dates are always read)' }),
        dryRun: DryRunParam,
      }),
      response: { 200: SignalImportSummary, 400: ErrorResponse, 401: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse },
    },
    handler: async (request) => {
      const { types, type, dateFormat, dryRun } = request.query;
      const { body, delimiter } = csvUpload(request);
      const mapping = await mappingFor(deps.pool, request.workspaceId, 'signals', request.query.mapping);
      return inBackground(() =>
        importSignalsCsv(deps.pool, request.workspaceId, body, {
          ...mapping,
          delimiter,
          types,
          type,
          dateFormat,
          dryRun: dryRun === 'true',
        }),
      );
    },
  });
}
