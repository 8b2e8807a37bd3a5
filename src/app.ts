/**
 * The composition root: every module's job handlers and triggers, the job queue and the HTTP app are
 * wired here, the one place the service, the workers, the OpenAPI generation and the tests build them.
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  type FastifyPluginAsyncZod,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import os from 'node:os';
import path from 'node:path';
import type { Config, ModuleSettings, TrustProxy } from './config.ts';
import type pg from 'pg';
import type { Database } from './db/pool.ts';
import { requestStarted } from './lib/priority.ts';
import { refuseWhileClosing } from './http/closing.ts';
import { registerCompression } from './http/compression.ts';
import { MAX_PATH_PARAMETER_LENGTH, registerErrorHandlers, sendFrameworkError } from './http/errors.ts';
import { clientErrorHandler, DEFAULT_BODY_LIMIT_BYTES, registerRequestLimits } from './http/limits.ts';
import { bodyOptionalValidatorCompiler } from './http/zod-app.ts';
import { DEFAULT_RATE_LIMITS, markWorkspaceRoutes, registerRateLimit, type RateLimitOptions, type RateLimits } from './http/rate-limit.ts';
import { healthRoutes } from './health/routes.ts';
import { accountRoutes } from './accounts/routes.ts';
import { accountDetailsRoutes } from './account-details/routes.ts';
import { exclusionRoutes } from './exclusions/routes.ts';
import { icpRoutes } from './icp/routes.ts';
import { jobRoutes } from './jobs/routes.ts';
import { bullmqQueue, redisConnection } from './jobs/bullmq.ts';
import { inProcessQueue } from './jobs/in-process.ts';
import { withLevels, type JobHandlers, type JobLog, type JobQueue } from './jobs/queue.ts';
import { importJobs } from './accounts/jobs.ts';
import { DEFAULT_GIVE_WAY, scheduleVectorRefresh, vectorJobs } from './features/jobs.ts';
import { countUnfinishedJobs } from './jobs/repository.ts';
import { modelJobs, scheduleRetrain } from './model/jobs.ts';
import { modelRoutes } from './model/routes.ts';
import { activeModelProfile, previousModelProfile } from './model/repository.ts';
import { scheduleScoring, scoringJobs } from './prospects/jobs.ts';
import { prospectRoutes } from './prospects/routes.ts';
import { DEFAULT_PAGE_CACHE_MB, PageCache } from './prospects/page-cache.ts';
import { scoringOf } from './prospects/readiness.ts';
import { webhookJobs } from './webhooks/jobs.ts';
import { DEFAULT_WEBHOOK_SETTINGS, notifyModelActivated, notifyModelReady, type WebhookSettings } from './webhooks/service.ts';
import type { ActivationEffects } from './model/activation.ts';
import { outcomeRoutes } from './outcomes/routes.ts';
import { settingsRoutes } from './settings/routes.ts';
import { signalRoutes } from './signals/routes.ts';
import { apiKeyHook } from './workspaces/auth.ts';
import { apiKeyRoutes, workspaceAdminRoutes } from './workspaces/routes.ts';
import { backtestJobs, scheduleSnapshot } from './backtests/jobs.ts';
import { DEFAULT_RETENTION_RUNS } from './backtests/service.ts';
import { backtestRoutes } from './backtests/routes.ts';
import { coverageRoutes } from './coverage/routes.ts';
import { webhookRoutes } from './webhooks/routes.ts';
import { API_VERSION, declareRetryAfter, declareSharedErrors, describeResponses, oneSchemaPerShape } from './docs/openapi.ts';
import { fastifyLogger, wantsPretty } from './lib/log.ts';
import { pageRoutes, PRODUCT_NAME } from './pages/routes.ts';
import { prospectSummaryRoutes } from './prospects/summary.ts';

/** The configuration's module settings (src/config.ts), and what only the job handlers take. */
export interface JobSettings extends ModuleSettings {
  /** Where async CSV imports are spooled before the background import reads them (only the API receives uploads). */
  spoolDir?: string;
  /** Accounts per scoring chunk (default SCORE_CHUNK_ACCOUNTS; tests shrink it). */
  scoreChunkAccounts?: number;
}

/** Webhook deliveries as the settings ask, the defaults where they say nothing. */
const webhookSettings = (settings: ModuleSettings): WebhookSettings => ({
  allowPrivate: settings.webhookAllowPrivate ?? DEFAULT_WEBHOOK_SETTINGS.allowPrivate,
  retryDelaysMs: settings.webhookRetryDelaysMs ?? DEFAULT_WEBHOOK_SETTINGS.retryDelaysMs,
});
const retentionRuns = (settings: ModuleSettings) => settings.backtestRetentionRuns ?? DEFAULT_RETENTION_RUNS;
const pageCache = (settings: ModuleSettings) => new PageCache((settings.pageCacheMb ?? DEFAULT_PAGE_CACHE_MB) * 1024 * 1024);

/** What every activation of a model is followed by, whoever activates it (src/model/activation.ts). */
const activationEffects: ActivationEffects = { notifyActivated: notifyModelActivated, scheduleScoring };

/**
 * Vectorising gives way to a workspace's training and scoring: they end in its ranked prospects (src/features/jobs.ts).
 * A retrain counts once it runs: a queued one may be debounced, put off again by every outcome change (a CRM sync), and
 * a vectorising job paused for it would hold one of the `vectors` slots that other workspaces wait for.
 */
const rankingUnderway = async (pool: pg.Pool, workspaceId: string) =>
  (await countUnfinishedJobs(pool, workspaceId, ['model.train', 'scores.refresh'])) > 0 ||
  (await countUnfinishedJobs(pool, workspaceId, ['model.retrain'], { statuses: ['running'] })) > 0;

/** Every job type's handler, from the modules that own them; the API and the workers run the same ones. */
export function createJobHandlers(db: Database, settings: JobSettings = {}): JobHandlers {
  return {
    ...importJobs({
      spoolDir: settings.spoolDir ?? path.join(os.tmpdir(), 'lookalike-imports'),
      onAccountsChanged: (enqueue, workspaceId, counts) =>
        scheduleVectorRefresh(enqueue, workspaceId, counts, settings.vectorRefreshDebounceMs),
    }),
    ...vectorJobs(db, { ...DEFAULT_GIVE_WAY, underway: rankingUnderway }),
    ...modelJobs({ ...activationEffects, notifyReady: notifyModelReady }),
    ...scoringJobs({ scoreChunkAccounts: settings.scoreChunkAccounts, onRunCompleted: scheduleSnapshot }),
    ...backtestJobs(retentionRuns(settings)),
    ...webhookJobs(webhookSettings(settings)),
  };
}

export interface JobQueueOptions extends JobSettings {
  /** BullMQ on this Redis; without it, jobs run in this process. */
  redisUrl?: string;
  /** BullMQ's Redis key prefix (tests use their own). */
  prefix?: string;
}

/** The job queue on those handlers: BullMQ on `redisUrl`, else in this process. buildApp makes the API's; scripts and benches without HTTP call this. */
export function createJobQueue(db: Database, log: Pick<JobLog, 'error'> & Partial<JobLog>, options: JobQueueOptions = {}): JobQueue {
  const handlers = createJobHandlers(db, options);
  if (!options.redisUrl) return inProcessQueue(db.pool, handlers, log);
  const levels = withLevels(log);
  return bullmqQueue({
    pool: db.pool,
    handlers,
    connection: redisConnection(options.redisUrl, 'producer', levels),
    prefix: options.prefix,
    log: levels,
  });
}

export interface AppDeps {
  config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>;
  db: Database;
  adminToken: string;
  /** Where async CSV imports are spooled before the background import reads them. */
  spoolDir: string;
  /** Where jobs run (BullMQ with a redisUrl, else in this process) and log (default: the app's log). */
  jobs?: Omit<JobQueueOptions, 'spoolDir' | keyof ModuleSettings> & { log?: Pick<JobLog, 'error'> & Partial<JobLog> };
  /** From the last outcome change to the retrain it triggers (default RETRAIN_DEBOUNCE_MS; tests shorten it). */
  retrainDebounceMs?: number;
  /** What the configuration sets for the modules (src/config.ts moduleSettings); unset, their defaults. */
  settings?: ModuleSettings;
  /** Request budgets (default DEFAULT_RATE_LIMITS, in memory); false turns them off. */
  rateLimit?: RateLimitOptions | false;
  /** Which proxies' X-Forwarded-For to believe for the client's address (TRUST_PROXY; default none). */
  trustProxy?: TrustProxy;
}

/**
 * Builds the app and its job queue without listening, so tests drive it through `app.inject`. The caller
 * closes both: the app first, then the queue.
 */
export async function buildApp(deps: AppDeps): Promise<{ app: FastifyInstance; jobs: JobQueue }> {
  const app = createFastify(deps);
  const closing = refuseWhileClosing(app);
  registerErrorHandlers(app);
  registerRequestLimits(app);
  await registerCompression(app);
  const limits = deps.rateLimit === false ? undefined : registerRateLimit(app, deps.rateLimit ?? DEFAULT_RATE_LIMITS);
  registerRequestPriority(app);
  app.addHook('onResponse', async (request, reply) => {
    const ms = Math.round(reply.elapsedTime);
    request.log.info(
      { method: request.method, url: request.url, statusCode: reply.statusCode, durationMs: ms },
      `${request.method} ${request.url} ${reply.statusCode} ${ms} ms`,
    );
  });
  await registerApiDocs(app);

  const { log: jobLog = app.log, ...queueOptions } = deps.jobs ?? {};
  const jobs = createJobQueue(deps.db, jobLog, { ...deps.settings, ...queueOptions, spoolDir: deps.spoolDir });
  const pool = deps.db.pool;
  await app.register(pageRoutes);
  await app.register(healthRoutes({ db: deps.db, queueMode: jobs.mode, closing }));
  await app.register(workspaceAdminRoutes({ pool, adminToken: deps.adminToken, authFailures: limits?.authFailures }));
  await app.register(v1Routes(deps, jobs, limits));
  return { app, jobs };
}

function createFastify(deps: AppDeps) {
  const app = Fastify({
    // Pretty lines on a terminal, JSON otherwise; one line per request (logged by buildApp, when it is answered).
    logger: fastifyLogger(deps.config.LOG_LEVEL, wantsPretty(deps.config.LOG_FORMAT)),
    logController: new LogController({ disableRequestLogging: true }),
    // Routes that take batches raise it to their own maximum (accounts, signals, outcomes); see http/limits.ts.
    bodyLimit: DEFAULT_BODY_LIMIT_BYTES,
    // Lets clients correlate a 5xx with our logs.
    requestIdHeader: 'x-request-id',
    // Our own 503 while closing, in the standard shape (src/http/closing.ts).
    return503OnClosing: false,
    clientErrorHandler,
    trustProxy: deps.trustProxy ?? false,
    // Path parameters as long as a domain can be; the router's own refusals (too long, bad URL) in our shape.
    routerOptions: { maxParamLength: MAX_PATH_PARAMETER_LENGTH },
    frameworkErrors: sendFrameworkError,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(bodyOptionalValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  return app;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A bulk route (an import): its statements run inBackground and it is not a request others' bulk work waits for. */
    background?: boolean;
  }
}

/**
 * Counts the requests in flight, so that bulk work waits for them (src/lib/priority.ts); the bulk
 * routes themselves (config.background: imports) do not count.
 */
function registerRequestPriority(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config?.background) return;
    reply.raw.once('close', requestStarted()); // 'close' comes however the response ends, sent or cut off
  });
}

/** The OpenAPI document (at /openapi.json) of the routes registered after it, and its pages at /docs. */
async function registerApiDocs(app: FastifyInstance): Promise<void> {
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
    // Then one component per shape, the statuses every route shares declared, and every response described ("Default Response" otherwise).
    transformObject: (documentObject) =>
      describeResponses(declareRetryAfter(declareSharedErrors(oneSchemaPerShape(jsonSchemaTransformObject(documentObject))))),
  });
  await app.register(swaggerUi, { routePrefix: '/docs', theme: { title: `${PRODUCT_NAME} — API docs` } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

/** The API-key routes, each module's, counted against the key's workspace. */
function v1Routes(deps: AppDeps, jobs: JobQueue, limits: RateLimits | undefined): FastifyPluginAsyncZod {
  const pool = deps.db.pool;
  const enqueue = jobs.enqueue;
  return async (v1) => {
    markWorkspaceRoutes(v1);
    v1.addHook('onRequest', apiKeyHook(pool, limits));
    await v1.register(apiKeyRoutes({ pool }));
    await v1.register(
      accountRoutes({
        pool,
        spoolDir: deps.spoolDir,
        enqueue,
        onAccountsChanged: (workspaceId, counts) =>
          scheduleVectorRefresh(enqueue, workspaceId, counts, deps.settings?.vectorRefreshDebounceMs),
      }),
    );
    await v1.register(accountDetailsRoutes({ pool }));
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
    await v1.register(icpRoutes({ pool, modelProfiles: { active: activeModelProfile, previous: previousModelProfile } }));
    await v1.register(jobRoutes({ pool }));
    await v1.register(settingsRoutes({ pool, jobs }));
    await v1.register(
      modelRoutes({
        pool,
        enqueue,
        activation: activationEffects,
        scoringOf: (workspaceId, modelIds) => scoringOf(pool, workspaceId, modelIds),
      }),
    );
    await v1.register(prospectRoutes({ db: deps.db, pageCache: pageCache(deps.settings ?? {}) }));
    await v1.register(backtestRoutes({ pool, retentionRuns: retentionRuns(deps.settings ?? {}) }));
    await v1.register(webhookRoutes({ pool, settings: webhookSettings(deps.settings ?? {}) }));
    await v1.register(coverageRoutes({ pool }));
    await v1.register(prospectSummaryRoutes({ pool }));
  };
}
