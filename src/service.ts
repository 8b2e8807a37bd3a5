import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { createJobQueue } from './jobs/processors.ts';
import { endInterruptedImports } from './accounts/import-jobs.ts';
import { adminTokenNotice, resolveAdminToken } from './admin-token.ts';
import { makePrivate } from './files.ts';
import type { Config } from './config.ts';
import { migrate } from './db/migrate.ts';
import { openDatabase, type Database } from './db/pool.ts';
import { ensureDemoWorkspace } from './demo/workspace.ts';

export interface RunningService {
  app: FastifyInstance;
  db: Database;
  adminToken: string;
  url: string;
  stop(): Promise<void>;
}

/** Opens the database, migrates, builds the app and listens. Used by `npm start` and the start-up tests. */
export async function startService(config: Config): Promise<RunningService> {
  // Embedded mode keeps keys and data in DATA_DIR: nothing in it may be readable by other users. The
  // directories are 0700 (umask), so no other user reaches a file; PGlite still writes its files 0666,
  // so those are made 0600 again once open and at stop.
  const privateDataDir = async () => (config.DATABASE_URL ? undefined : makePrivate(config.DATA_DIR));
  await privateDataDir();
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await migrate(db.pool);
    await privateDataDir();
    const admin = await resolveAdminToken(config);
    const jobs = createJobQueue(db, console, { redisUrl: config.REDIS_URL });
    const spoolDir = path.resolve(config.DATA_DIR, 'imports');
    const app = await buildApp({ config, db, adminToken: admin.token, jobs, spoolDir,
      rateLimit: { perMinute: config.RATE_LIMIT_PER_MINUTE, authFailuresPerMinute: config.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE, redisUrl: config.REDIS_URL },
    });
    const url = await app.listen({ port: config.PORT, host: config.HOST });
    const notice = adminTokenNotice(admin);
    if (notice) app.log.info(notice);
    app.log.info(`database: ${db.mode}; jobs: ${jobs.mode}; API docs at ${url}/docs`);
    // In-process this process runs the jobs: resume those a stop cut short, re-arm schedules. (BullMQ workers do this themselves.)
    if (jobs.mode === 'in-process') await jobs.recover();
    // Background imports run in the process that spooled the file: end the ones a stop cut short.
    const interrupted = await endInterruptedImports(db.pool, spoolDir);
    if (interrupted.length > 0) app.log.warn(`${interrupted.length} background import(s) interrupted by a stop marked failed; send those files again`);
    else if (db.mode === 'pglite') app.log.warn('REDIS_URL is set but DATABASE_URL is not: worker processes cannot open the embedded database, so queued jobs will wait');
    // Built after listening, so /health and /docs answer at once while the demo data loads.
    const demo =
      config.DEMO && db.mode === 'pglite'
        ? ensureDemoWorkspace({ pool: db.pool, enqueue: jobs.enqueue, dataDir: config.DATA_DIR, baseUrl: url, log: (m) => app.log.info(m) }).catch(
            (err) => app.log.error({ err }, 'demo workspace setup failed'),
          )
        : null;
    let stopping: Promise<void> | undefined;
    return {
      app,
      db,
      adminToken: admin.token,
      url,
      // Stop accepting, let in-flight requests finish, then close the pool and PGlite cleanly.
      stop: () => (stopping ??= app.close().then(() => demo).then(() => jobs.close()).then(() => db.close()).then(privateDataDir)),
    };
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
}
