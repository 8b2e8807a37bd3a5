import cluster from 'node:cluster';
import { ConfigError, loadConfig } from './config.ts';
import { startService } from './service.ts';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  if (cluster.isPrimary && config.WEB_CONCURRENCY > 1) {
    if (config.DATABASE_URL && config.REDIS_URL) return supervise(config.WEB_CONCURRENCY);
    // The embedded database belongs to one process, and in-process jobs run in the process that queued them.
    console.error('WEB_CONCURRENCY > 1 needs DATABASE_URL and REDIS_URL (jobs in `npm run worker` processes): starting one API process');
  }
  // Handlers go in before start-up finishes, so a signal during start-up still shuts down cleanly.
  const service = startService(config);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`${signal}: shutting down`);
      service
        .then((s) => s.stop())
        .then(
          () => process.exit(0),
          (err) => {
            console.error('shutdown failed', err);
            process.exit(1);
          },
        );
    });
  }
  await service;
}

/**
 * Several API processes on one port (node:cluster): each one is the whole service (migrations are
 * serialised by an advisory lock). A process that dies is replaced; SIGINT/SIGTERM stop them all,
 * each finishing its in-flight requests, and this process exits once they have.
 */
function supervise(processes: number) {
  let stopping = false;
  const listening = new Set<number>();
  const fork = () => cluster.fork();
  cluster.on('listening', (worker) => listening.add(worker.id));
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode ?? 0);
      return;
    }
    if (!listening.has(worker.id)) {
      // It failed to start (configuration, database): another would too.
      console.error(`API process ${worker.process.pid} failed to start (${signal ?? code}); stopping`);
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      process.exitCode = 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      return;
    }
    console.error(`API process ${worker.process.pid} exited (${signal ?? code}); starting another`);
    setTimeout(fork, 1_000);
  });
  for (let i = 0; i < processes; i++) fork();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`${signal}: stopping ${processes} API processes`);
      stopping = true;
      const workers = Object.values(cluster.workers ?? {});
      if (workers.length === 0) process.exit(0);
      for (const worker of workers) worker?.process.kill(signal);
    });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace') console.error(err);
  process.exit(1);
});
