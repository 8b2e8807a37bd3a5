import { ConfigError, loadConfig } from './config.ts';
import { startService } from './service.ts';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
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

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace') console.error(err);
  process.exit(1);
});
