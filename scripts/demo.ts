// `npm run demo`: loads the demo workspace (generated accounts, CRM outcomes, intent signals) into the
// database the configuration points at — PostgreSQL at DATABASE_URL, or the embedded one in DATA_DIR —
// and trains its first model: in this process, or, with REDIS_URL, on the workers. Prints the API key
// (also kept in DATA_DIR/demo-api-key). Running it again finds the workspace and prints the key again.
import { pathToFileURL } from 'node:url';
import { loadConfig, moduleSettings, queuePrefix, type Config } from '../src/config.ts';
import { migrate } from '../src/db/migrate.ts';
import { openDatabase, type Database } from '../src/db/pool.ts';
import { ensureDemoWorkspace } from '../src/demo/workspace.ts';
import { createJobQueue } from '../src/app.ts';
import type { JobLog, JobQueue } from '../src/jobs/queue.ts';
import { processLog, wantsPretty } from '../src/lib/log.ts';
import { checkDataDir, explainDatabaseError, StartupError } from '../src/startup.ts';

/** Loads (or finds) the demo workspace on `db` and waits for in-process jobs; returns its API key. */
export async function loadDemo(deps: {
  db: Database;
  jobs: JobQueue;
  dataDir: string;
  baseUrl: string;
  log: JobLog;
  accounts?: number;
}): Promise<string> {
  const { db, jobs, log } = deps;
  const apiKey = await ensureDemoWorkspace({
    pool: db.pool,
    enqueue: jobs.enqueue,
    dataDir: deps.dataDir,
    baseUrl: deps.baseUrl,
    accounts: deps.accounts,
    log: (m) => log.info({}, m),
  });
  if (jobs.mode === 'in-process') {
    log.info({}, 'training and scoring in this process (about a minute for 20,000 accounts)…');
    await jobs.idle();
    log.info({}, 'demo model trained and its prospects scored');
  } else {
    log.info({}, 'training queued: the workers (npm run worker) train the model and score the prospects');
  }
  return apiKey;
}

async function main(config: Config) {
  const log = processLog(config.LOG_LEVEL === 'silent' ? 'silent' : 'info', wantsPretty(config.LOG_FORMAT));
  const baseUrl = `http://${config.HOST}:${config.PORT}`;
  await checkDataDir(config.DATA_DIR);
  if (!config.DATABASE_URL) {
    // An embedded data directory belongs to one process.
    const running = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (running)
      throw new StartupError(
        `The service at ${baseUrl} is running on the embedded database in ${config.DATA_DIR}: stop it first (it creates the demo workspace itself unless DEMO=false), or set DATABASE_URL.`,
      );
  }
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    try {
      await migrate(db.pool);
    } catch (err) {
      throw explainDatabaseError(err, config.DATABASE_URL);
    }
    const prefix = config.REDIS_URL ? await queuePrefix(config, db.pool) : undefined;
    const jobs = createJobQueue(db, log, { ...moduleSettings(config), redisUrl: config.REDIS_URL, prefix });
    try {
      await loadDemo({ db, jobs, dataDir: config.DATA_DIR, baseUrl, log });
    } finally {
      await jobs.close();
    }
  } finally {
    await db.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  Promise.resolve()
    .then(() => main(loadConfig()))
    .catch((err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
