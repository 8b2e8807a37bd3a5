import Fastify, { LogController, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Database } from './db/pool.ts';
import { apiKeyHook } from './http/auth.ts';
import { registerErrorHandlers } from './http/errors.ts';
import { clientErrorHandler, registerRequestLimits } from './http/limits.ts';
import { DEFAULT_RATE_LIMITS, registerRateLimit, type RateLimitOptions } from './http/rate-limit.ts';
import { healthRoutes } from './health/routes.ts';
import { accountRoutes } from './accounts/routes.ts';
import { exclusionRoutes } from './exclusions/routes.ts';
import { icpRoutes } from './icp/routes.ts';
import { jobRoutes } from './jobs/routes.ts';
import { scheduleVectorRefresh } from './jobs/schedule.ts';
import { scheduleRetrain } from './jobs/triggers.ts';
import { modelRoutes } from './model/routes.ts';
import { prospectRoutes } from './prospects/routes.ts';
import type { JobQueue } from './jobs/queue.ts';
import { outcomeRoutes } from './outcomes/routes.ts';
import { settingsRoutes } from './settings/routes.ts';
import { signalRoutes } from './signals/routes.ts';
import { apiKeyRoutes, workspaceAdminRoutes } from './workspaces/routes.ts';
import { backtestRoutes } from './backtests/routes.ts';
import { coverageRoutes } from './coverage/routes.ts';
import { webhookRoutes } from './webhooks/routes.ts';
import { describeResponses } from './docs/openapi.ts';
import { fastifyLogger } from './lib/log.ts';
import { pageRoutes, PRODUCT_NAME } from './pages/routes.ts';
import { prospectSummaryRoutes } from './prospects/summary.ts';

export interface AppDeps {
  config: Pick<Config, 'LOG_LEVEL'>;
  db: Database;
  adminToken: string;
  jobs: JobQueue;
  /** Where async CSV imports are spooled before the background import reads them. */
  spoolDir: string;
  /** From the last outcome change to the retrain it triggers (default RETRAIN_DEBOUNCE_MS; tests shorten it). */
  retrainDebounceMs?: number;
  /** From the last account change to the re-vectorising it triggers (default VECTOR_REFRESH_DEBOUNCE_MS). */
  vectorRefreshDebounceMs?: number;
  /** Request budgets (default DEFAULT_RATE_LIMITS, in memory); false turns them off. */
  rateLimit?: RateLimitOptions | false;
}

export const API_VERSION = '1.0.0';

/** Builds the app without listening, so tests drive it through `app.inject`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // Pretty lines on a terminal, JSON otherwise; one line per request (logged below, when it is answered).
    logger: fastifyLogger(deps.config.LOG_LEVEL),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 50 * 1024 * 1024,
    // Lets clients correlate a 5xx with our logs.
    requestIdHeader: 'x-request-id',
    return503OnClosing: true,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandlers(app);
  registerRequestLimits(app);
  const authFailures = deps.rateLimit === false ? undefined : await registerRateLimit(app, deps.rateLimit ?? DEFAULT_RATE_LIMITS);
  app.addHook('onResponse', async (request, reply) => {
    const ms = Math.round(reply.elapsedTime);
    request.log.info(
      { method: request.method, url: request.url, statusCode: reply.statusCode, durationMs: ms },
      `${request.method} ${request.url} ${reply.statusCode} ${ms} ms`,
    );
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Lookalike account discovery API',
        version: API_VERSION,
        description:
          'Upload your accounts, CRM outcomes and intent signals; get ranked, explained lookalike prospects. ' +
          'Authenticate every `/v1` request with the header `Authorization: Bearer <api key>`; an API key belongs to one workspace. ' +
          'Errors are always `{ "error": { "code", "message", "details"? } }`. The analyst\'s report page is at [/report](/report).',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'A workspace API key (lak_…)' },
          adminToken: { type: 'http', scheme: 'bearer', description: 'The ADMIN_TOKEN, only for creating workspaces' },
        },
      },
    },
    transform: jsonSchemaTransform,
    // Then every response without a description gets one ("Default Response" otherwise).
    transformObject: (documentObject) => describeResponses(jsonSchemaTransformObject(documentObject)),
  });
  await app.register(swaggerUi, { routePrefix: '/docs', theme: { title: `${PRODUCT_NAME} — API docs` } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const pool = deps.db.pool;
  await app.register(pageRoutes);
  await app.register(healthRoutes({ db: deps.db, queueMode: deps.jobs.mode }));
  await app.register(workspaceAdminRoutes({ pool, adminToken: deps.adminToken, authFailures }));
  await app.register(async (v1) => {
    v1.addHook('onRequest', apiKeyHook(pool, authFailures));
    await v1.register(apiKeyRoutes({ pool }));
    const enqueue = deps.jobs.enqueue;
    await v1.register(
      accountRoutes({
        pool,
        spoolDir: deps.spoolDir,
        enqueue,
        onAccountsChanged: (workspaceId, counts) => scheduleVectorRefresh(enqueue, workspaceId, counts, deps.vectorRefreshDebounceMs),
      }),
    );
    await v1.register(signalRoutes({ pool }));
    await v1.register(
      outcomeRoutes({
        pool,
        onOutcomesChanged: async (workspaceId) => {
          await scheduleRetrain(enqueue, workspaceId, deps.retrainDebounceMs);
        },
      }),
    );
    await v1.register(exclusionRoutes({ pool }));
    await v1.register(icpRoutes({ pool }));
    await v1.register(jobRoutes({ pool }));
    await v1.register(settingsRoutes({ pool, jobs: deps.jobs }));
    await v1.register(modelRoutes({ pool, enqueue }));
    await v1.register(prospectRoutes({ db: deps.db }));
    await v1.register(backtestRoutes({ pool }));
    await v1.register(webhookRoutes({ pool }));
    await v1.register(coverageRoutes({ pool }));
    await v1.register(prospectSummaryRoutes({ pool }));
  });
  return app;
}
