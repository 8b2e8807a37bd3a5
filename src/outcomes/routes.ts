import { z } from 'zod';
import { jsonObjectParam } from '../lib/schemas.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ZodApp } from '../http/zod-app.ts';
import type pg from 'pg';
import { inBackground } from '../lib/priority.ts';
import { API_KEY_SECURITY } from '../http/auth.ts';
import { ErrorResponse } from '../http/errors.ts';
import { acceptCsvBodies, csvUpload, DryRunParam, ImportColumn, mappingParam, UPLOAD_TYPES } from '../accounts/routes.ts';
import { MAX_REPORTED_ROWS } from '../accounts/service.ts';
import { importMappingRoutes, mappingFor } from '../imports/routes.ts';
import { DATE_FORMATS } from '../lib/dates.ts';
import { importOutcomesCsv, OUTCOME_COLUMNS } from './import.ts';
import {
  MAX_OUTCOMES_BODY_BYTES,
  MAX_OUTCOMES_PER_REQUEST,
  OUTCOME_STATUSES,
  OutcomeInput,
  OutcomeStatus,
  OutcomesSummary,
} from './schema.ts';
import { recordOutcomes } from './service.ts';

const Line = z.number().int().meta({ description: 'Line in the CSV file (1-based; the header is line 1)' });

const OutcomeImportSummary = z
  .object({
    rows: z.number().int().meta({ description: 'Data rows read (header excluded)' }),
    recorded: z.number().int().meta({ description: 'Outcomes that are new or changed' }),
    unchanged: z.number().int(),
    accounts: z.number().int().meta({ description: 'Accounts given an outcome (an account with several deals takes its strongest)' }),
    matchedByName: z.number().int().meta({ description: 'Of those, accounts found by company name' }),
    statuses: z.record(OutcomeStatus, z.number().int()).meta({ description: 'Accounts per status' }),
    unknownDomains: z.array(z.object({ line: Line, domain: z.string() })).meta({ description: 'Domains not in the universe; not stored' }),
    unmatchedNames: z
      .array(z.object({ line: Line, company: z.string() }))
      .meta({ description: 'Company names no account has; not stored' }),
    ambiguousNames: z
      .array(z.object({ line: Line, company: z.string(), domains: z.array(z.string()) }))
      .meta({ description: 'Company names several accounts have; not stored (add the domain to the file)' }),
    rejected: z.array(z.object({ line: Line, errors: z.array(z.string()) })),
    rejectedCount: z.number().int(),
    columns: z.array(ImportColumn),
    sample: z
      .array(
        z.object({
          line: Line,
          domain: z.string(),
          status: OutcomeStatus,
          amount: z.number().nullable(),
          closedAt: z.string().nullable(),
          churnedAt: z.string().nullable(),
        }),
      )
      .optional()
      .meta({ description: 'Dry runs: the first outcomes as they would be stored' }),
  })
  .meta({ id: 'OutcomeImportSummary' });

const STAGES_INVALID = `stages must be a JSON object of stage → one of ${OUTCOME_STATUSES.join(', ')}, e.g. {"Signed":"won"}`;
const StagesParam = jsonObjectParam(OutcomeStatus, { notJson: STAGES_INVALID, invalid: STAGES_INVALID }).meta({
  description: `JSON object of deal stage (as the file writes it) → status (${OUTCOME_STATUSES.join(', ')}), for custom pipelines`,
  example: '{"Signed":"won","Went dark":"lost"}',
});

export interface OutcomeRouteDeps {
  pool: pg.Pool;
  onOutcomesChanged?: (workspaceId: string) => Promise<void>;
}

export function outcomeRoutes(deps: OutcomeRouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    recordRoute(app, deps);
    acceptCsvBodies(app);
    await app.register(importMappingRoutes('outcomes', OUTCOME_COLUMNS, deps));
    importRoute(app, deps);
  };
}

function recordRoute(app: ZodApp, deps: OutcomeRouteDeps): void {
  app.post('/v1/outcomes', {
    bodyLimit: MAX_OUTCOMES_BODY_BYTES,
    schema: {
      tags: ['outcomes'],
      security: API_KEY_SECURITY,
      operationId: 'recordOutcomes',
      summary: `Record up to ${MAX_OUTCOMES_PER_REQUEST} CRM outcomes (won, lost, churned, open, competitor_customer)`,
      description:
        'Upserts the current outcome per account and keeps every change in its history. Unknown domains are reported, ' +
        'or created when Account fields (name, industry, employees, ...) are sent in the same object. ' +
        `Bodies over ${MAX_OUTCOMES_BODY_BYTES / 1024 / 1024} MiB are refused (413).`,
      body: z.object({ outcomes: z.array(OutcomeInput).max(MAX_OUTCOMES_PER_REQUEST) }),
      response: { 200: OutcomesSummary, 400: ErrorResponse, 401: ErrorResponse, 413: ErrorResponse },
    },
    handler: async (request) => {
      const summary = await recordOutcomes(deps.pool, request.workspaceId, request.body.outcomes);
      if (summary.recorded > 0) await deps.onOutcomesChanged?.(request.workspaceId);
      return summary;
    },
  });
}

function importRoute(app: ZodApp, deps: OutcomeRouteDeps): void {
  app.post('/v1/outcomes/import', {
    config: { background: true },
    schema: {
      tags: ['outcomes'],
      security: API_KEY_SECURITY,
      operationId: 'importOutcomesCsv',
      summary: 'Import outcomes from a deals export (CSV, streamed): HubSpot deals, Salesforce opportunities, Pipedrive deals',
      description:
        'Each deal finds its account by domain or website, else by company name (normalised, within the workspace; unmatched and ' +
        'ambiguous names are reported with their lines). Deal stages become statuses (Closed Won → won, Closed Lost → lost, the ' +
        'other stages of the standard pipelines → open; `stages` maps custom ones). An account with several deals takes its ' +
        `strongest (churned, won, open, lost). Bad rows are reported with their line (at most ${MAX_REPORTED_ROWS}); good rows are kept.`,
      consumes: UPLOAD_TYPES,
      body: z.any().meta({
        type: 'string',
        example: 'Deal Name,Deal Stage,Amount,Close Date,Associated Company\nAcme renewal,Closed Won,"$48,000",2024-03-15 00:00,Acme Inc\n',
      }),
      querystring: z.object({
        mapping: mappingParam(OUTCOME_COLUMNS),
        stages: StagesParam,
        dateFormat: z.enum(DATE_FORMATS).optional().meta({ description: 'How to read dates like 03/04/2024 (ISO dates are always read)' }),
        dryRun: DryRunParam,
      }),
      response: { 200: OutcomeImportSummary, 400: ErrorResponse, 401: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse },
    },
    handler: async (request) => {
      const { stages, dateFormat, dryRun } = request.query;
      const { body, delimiter } = csvUpload(request);
      const mapping = await mappingFor(deps.pool, request.workspaceId, 'outcomes', request.query.mapping);
      const summary = await inBackground(() =>
        importOutcomesCsv(deps.pool, request.workspaceId, body, { ...mapping, delimiter, stages, dateFormat, dryRun: dryRun === 'true' }),
      );
      if (summary.recorded > 0) await deps.onOutcomesChanged?.(request.workspaceId);
      return summary;
    },
  });
}
