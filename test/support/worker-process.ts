// A worker process for the multi-process tests: `npm run worker` (workers/main.ts) with the test's queue
// prefix and shorter lock settings, passed as JSON in TEST_WORKER_OPTIONS.
import { loadConfig } from '../../src/config.ts';
import { runWorkerProcess } from '../../workers/main.ts';

await runWorkerProcess(loadConfig(), JSON.parse(process.env.TEST_WORKER_OPTIONS ?? '{}'));
