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
  '503': 'The job queue (Redis) is unreachable, or the service is shutting down; retry in a moment',
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
