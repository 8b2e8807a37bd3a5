/**
 * The main flow of an API client, written only against the types openapi-typescript generates from
 * openapi/openapi.json (openapi/schema.ts) and the openapi-fetch client: no import from src. The
 * contract test type-checks this file on its own and runs it against a live service, so a drift between
 * the document and what the service accepts or answers fails there.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from '../../openapi/schema.ts';

type Schemas = components['schemas'];

/** The data, or a thrown error naming the status and the API's error. */
function must<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) throw new Error(`${result.response.status}: ${JSON.stringify(result.error)}`);
  return result.data;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface FlowInput {
  baseUrl: string;
  adminToken: string;
  accountsCsv: string;
  outcomes: Schemas['OutcomeRecord'][];
  /** Where the webhook points (a receiver the test runs). */
  webhookUrl: string;
  /** Sees every exchange (the test checks each answer against the document). */
  middleware: Middleware;
}

export async function mainFlow(input: FlowInput) {
  const admin = createClient<paths>({ baseUrl: input.baseUrl, headers: { authorization: `Bearer ${input.adminToken}` } });
  admin.use(input.middleware);
  const { workspace, apiKey } = must(await admin.POST('/v1/workspaces', { body: { name: 'Contract test' } }));
  const api = createClient<paths>({ baseUrl: input.baseUrl, headers: { authorization: `Bearer ${apiKey}` } });
  api.use(input.middleware);
  // A read-only key for the reporting side, as docs/api.md suggests; the list shows both keys.
  const reader = must(await api.POST('/v1/keys', { body: { name: 'reports', scope: 'read' } }));
  const keys = must(await api.GET('/v1/keys'));

  const imported = must(
    await api.POST('/v1/accounts/import', {
      body: input.accountsCsv,
      headers: { 'content-type': 'text/csv' },
      bodySerializer: (csv) => csv,
    }),
  );
  if ('job' in imported) throw new Error('a synchronous import answered with a job');
  const recorded = must(await api.POST('/v1/outcomes', { body: { outcomes: input.outcomes } }));

  // Defaults are optional in requests: an empty body trains with the default settings.
  const training = must(await api.POST('/v1/models', { body: {} }));
  const modelId = training.model.id;

  // Poll as a client would: the 409 says what is under way and when to ask again.
  const waits: { underway: unknown; retryAfter: string | null }[] = [];
  let page: Schemas['Prospect'][] = [];
  let nextCursor: string | null = null;
  for (let attempt = 0; ; attempt++) {
    const res = await api.GET('/v1/prospects', { params: { query: { limit: 20 } } });
    // The 200 is a JSON page, or the CSV (a string) when asked for.
    if (typeof res.data === 'string') throw new Error('a JSON page was answered with CSV');
    if (res.data) {
      ({ data: page, nextCursor } = res.data);
      break;
    }
    if (res.response.status !== 409 || attempt > 600) throw new Error(`${res.response.status}: ${JSON.stringify(res.error)}`);
    waits.push({
      underway: (res.error?.error.details as { underway?: unknown } | undefined)?.underway,
      retryAfter: res.response.headers.get('retry-after'),
    });
    await sleep(200);
  }
  const { model } = must(await api.GET('/v1/models/{id}', { params: { path: { id: modelId } } }));
  const job = must(await api.GET('/v1/jobs/{id}', { params: { path: { id: training.job.id } } }));
  const models = must(await api.GET('/v1/models'));
  const summary = must(await api.GET('/v1/prospects/summary'));
  const coverage = must(await api.GET('/v1/accounts/coverage'));
  const badId = await api.GET('/v1/models/{id}', { params: { path: { id: 'not-a-uuid' } } });

  const second = nextCursor ? must(await api.GET('/v1/prospects', { params: { query: { limit: 20, cursor: nextCursor } } })) : null;
  if (typeof second === 'string') throw new Error('a JSON page was answered with CSV');
  const csvResult = await api.GET('/v1/prospects', { params: { query: { format: 'csv', bom: 'false' } }, parseAs: 'text' });
  const csv: paths['/v1/prospects']['get']['responses'][200]['content']['text/csv'] = must(csvResult);

  const won = input.outcomes.filter((o) => o.status === 'won').map((o) => o.domain);
  // Only the seeds: limit, filters and includeCustomers have defaults.
  const lookalikes = must(await api.POST('/v1/lookalikes', { body: { seedDomains: won.slice(0, 5) } }));
  const icp = must(await api.GET('/v1/icp', { params: { query: {} } }));
  if (typeof icp === 'string') throw new Error('the JSON profile was answered with CSV');
  const fit = must(await api.GET('/v1/accounts/{domain}/fit', { params: { path: { domain: page[0].domain } } }));
  const backtests = must(await api.GET('/v1/backtests', {}));

  const hook = must(await api.POST('/v1/webhooks', { body: { url: input.webhookUrl, events: ['scoring.completed'] } }));
  const hooks = must(await api.GET('/v1/webhooks'));
  const deliveries = must(await api.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id: hook.webhook.id } } }));
  const deleted = await api.DELETE('/v1/webhooks/{id}', { params: { path: { id: hook.webhook.id } } });

  return {
    workspace,
    reader: reader.key,
    keys: keys.data,
    imported,
    recorded,
    waits,
    model,
    job,
    models: models.data,
    summary,
    coverage,
    badId: { status: badId.response.status, code: badId.error?.error.code },
    page,
    second: second?.data ?? null,
    csv,
    lookalikes,
    icp,
    fit,
    backtests,
    hooks: hooks.data,
    deliveries,
    deletedStatus: deleted.response.status,
  };
}
