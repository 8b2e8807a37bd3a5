import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { JobQueue } from './jobs/queue.ts';
import { adminTokenNotice, resolveAdminToken } from './admin-token.ts';
import { makePrivate } from './files.ts';
import { moduleSettings, queuePrefix, type Config } from './config.ts';
import { migrate } from './db/migrate.ts';
import { openDatabase, type Database } from './db/pool.ts';
import { processLog, wantsPretty } from './lib/log.ts';
import { ensureDemoWorkspace } from './demo/workspace.ts';
import { retrainRetiredModels } from './model/jobs.ts';
import { checkDataDir, explainDatabaseError, explainListenError } from './startup.ts';

export interface RunningService {
  app: FastifyInstance;
  db: Database;
  adminToken: string;
  url: string;
  stop(): Promise<void>;
}

/** Opens the database, migrates, builds the app and listens. Used by `npm start` and the start-up tests. */
export async function startService(config: Config): Promise<RunningService> {
  // Fail fast, with a message saying what to set, before anything else can hang or spin.
  await checkDataDir(config.DATA_DIR);
  // Embedded mode keeps keys and data in DATA_DIR: nothing in it may be readable by other users. The
  // directories are 0700 (umask), so no other user reaches a file; PGlite still writes its files 0666,
  // so those are made 0600 again once open and at stop.
  const privateDataDir = async () => (config.DATABASE_URL ? undefined : makePrivate(config.DATA_DIR));
  await privateDataDir();
  let db: Database | undefined;
  let jobs: JobQueue | undefined;
  let app: FastifyInstance | undefined;
  try {
    db = await openMigratedDatabase(config);
    await privateDataDir();
    const admin = await resolveAdminToken(config);
    const prefix = config.REDIS_URL ? await queuePrefix(config, db.pool) : undefined;
    ({ app, jobs } = await buildServiceApp(config, db, admin.token, prefix));
    const url = await listen(app, config);
    const notice = adminTokenNotice(admin);
    if (notice) app.log.info(notice);
    app.log.info(
      `database: ${db.mode}; jobs: ${jobs.mode}${prefix ? ` (queue prefix ${prefix})` : ''}; report at ${url}/report, API docs at ${url}/docs`,
    );
    await resumeJobs(app, jobs);
    const retired = await retrainRetiredModels(db.pool, jobs.enqueue);
    if (retired.length > 0)
      app.log.info(`${retired.length} workspace(s) retraining: their models were trained on an older feature spec, now retired`);
    // Built after listening, so /health and /docs answer at once while the demo data loads.
    const demo = config.DEMO && db.mode === 'pglite' ? startDemo(config, db, jobs, url, app.log) : null;
    let stopping: Promise<void> | undefined;
    const [running, queue, database] = [app, jobs, db];
    return {
      app: running,
      db: database,
      adminToken: admin.token,
      url,
      // Stop accepting, let in-flight requests finish, then close the pool and PGlite cleanly.
      stop: () =>
        (stopping ??= running
          .close()
          .then(() => demo)
          .then(() => queue.close())
          .then(() => database.close())
          .then(privateDataDir)),
    };
  } catch (err) {
    await app?.close().catch(() => {});
    await jobs?.close().catch(() => {});
    await db?.close().catch(() => {});
    throw err;
  }
}

/** The database, migrated; a failure says what to check (explainDatabaseError), and closes what was opened. */
async function openMigratedDatabase(config: Config): Promise<Database> {
  let db: Database | undefined;
  try {
    db = await openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      log: processLog(config.LOG_LEVEL, wantsPretty(config.LOG_FORMAT)),
    });
    await migrate(db.pool);
    return db;
  } catch (err) {
    await db?.close().catch(() => {});
    throw explainDatabaseError(err, config.DATABASE_URL);
  }
}

/** The app as the configuration asks for it. Jobs log through the app's logger (the same format and level). */
function buildServiceApp(config: Config, db: Database, adminToken: string, prefix: string | undefined) {
  return buildApp({
    config,
    db,
    adminToken,
    jobs: { redisUrl: config.REDIS_URL, prefix },
    spoolDir: path.resolve(config.DATA_DIR, 'imports'),
    settings: moduleSettings(config),
    rateLimit: {
      perMinute: config.RATE_LIMIT_PER_MINUTE,
      authFailuresPerMinute: config.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE,
      redisUrl: config.REDIS_URL,
      prefix,
    },
    trustProxy: config.TRUST_PROXY,
  });
}

async function listen(app: FastifyInstance, config: Config): Promise<string> {
  try {
    return await app.listen({ port: config.PORT, host: config.HOST });
  } catch (err) {
    throw explainListenError(err, config.PORT, config.HOST);
  }
}

/** The jobs a stop left behind, at start. */
async function resumeJobs(app: FastifyInstance, jobs: JobQueue): Promise<void> {
  // In-process this process runs the jobs: resume those a stop cut short, re-arm schedules. (BullMQ workers do this themselves.)
  if (jobs.mode === 'in-process') await jobs.recover();
  // Jobs that run in the process that enqueued them (background imports, whose spooled file is here): end the ones a stop cut short.
  const interrupted = await jobs.endInterrupted();
  if (interrupted.length > 0)
    app.log.warn(`${interrupted.length} background import(s) interrupted by a stop marked failed; send those files again`);
}

/** Loads the demo workspace in the background; its failure is logged, never thrown. */
function startDemo(config: Config, db: Database, jobs: JobQueue, url: string, log: FastifyInstance['log']): Promise<unknown> {
  return ensureDemoWorkspace({
    pool: db.pool,
    enqueue: jobs.enqueue,
    dataDir: config.DATA_DIR,
    baseUrl: url,
    log: (m) => log.info(m),
  }).catch((err) => log.error({ err }, 'demo workspace setup failed'));
}
