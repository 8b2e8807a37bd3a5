// `npm run worker`: processes the BullMQ queues (training, scoring, vectors) with the API's configuration
// and database, until SIGTERM or SIGINT. Run as many as you like, on as many machines.
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig, moduleSettings, queuePrefix, type Config } from '../src/config.ts';
import { migrate } from '../src/db/migrate.ts';
import { openDatabase } from '../src/db/pool.ts';
import { createJobHandlers, type JobSettings } from '../src/app.ts';
import { QUEUE_NAMES } from '../src/jobs/queue.ts';
import { startWorkers, type WorkerSettings } from '../src/jobs/worker.ts';
import { warmComputeThread } from '../src/compute/thread.ts';
import { processLog, wantsPretty } from '../src/lib/log.ts';
import { explainDatabaseError } from '../src/startup.ts';

export interface WorkerProcessOptions extends Omit<JobSettings, 'spoolDir'> {
  prefix?: string;
  settings?: WorkerSettings;
}

export async function runWorkerProcess(config: Config, options: WorkerProcessOptions = {}): Promise<void> {
  if (!config.REDIS_URL) {
    throw new ConfigError(['REDIS_URL: not set. Workers process BullMQ queues in Redis; without REDIS_URL the API runs the jobs itself.']);
  }
  if (!config.DATABASE_URL) {
    throw new ConfigError([
      "DATABASE_URL: not set. A worker needs the API's database over the network: an embedded (PGlite) data directory " +
        'belongs to one process. Use PostgreSQL, or serve the embedded database with @electric-sql/pglite-socket.',
    ]);
  }
  // JSON lines, or pretty ones on a terminal: as the API writes them.
  const log = processLog(config.LOG_LEVEL, wantsPretty(config.LOG_FORMAT));
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, log });
  try {
    await migrate(db.pool);
  } catch (err) {
    await db.close().catch(() => {});
    throw explainDatabaseError(err, config.DATABASE_URL);
  }
  const { prefix: prefixOption, settings, ...jobSettings } = options;
  const prefix = prefixOption ?? (await queuePrefix(config, db.pool));
  // Before taking jobs: a worker whose first chunk waits for the compute thread to start leaves the others to do everything.
  await warmComputeThread();
  // Workers never run imports: those run in the API process the file was uploaded to.
  const workers = startWorkers({
    pool: db.pool,
    handlers: createJobHandlers(db, { ...moduleSettings(config), ...jobSettings }),
    redisUrl: config.REDIS_URL,
    prefix,
    settings,
    log,
  });
  log.info({ queues: QUEUE_NAMES, prefix }, `worker started: queues ${QUEUE_NAMES.join(', ')} under prefix ${prefix}`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'finishing the jobs in hand, then stopping');
      workers
        .close()
        .then(() => db.close())
        .then(
          () => process.exit(0),
          (err) => {
            log.error({ err: err instanceof Error ? err.message : String(err) }, 'shutdown failed');
            process.exit(1);
          },
        );
    });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
  runWorkerProcess(config).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
