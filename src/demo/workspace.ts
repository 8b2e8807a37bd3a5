import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import type { Enqueue } from '../jobs/queue.ts';
import { requestTraining } from '../model/training.ts';
import { getWorkspace } from '../workspaces/repository.ts';
import { createWorkspace, workspaceForKey } from '../workspaces/service.ts';
import { loadGeneratedUniverse } from './load.ts';

export const DEMO_ACCOUNTS = 20_000;
export const DEMO_SEED = 1;

/**
 * The demo workspace embedded mode creates on first start: a generated universe with CRM outcomes
 * and signals, and a model trained in the background, so a newcomer can call /v1/prospects at once.
 * Its key is kept in DATA_DIR/demo-api-key so it can be shown at every start.
 */
export async function ensureDemoWorkspace(deps: {
  pool: pg.Pool;
  enqueue: Enqueue;
  dataDir: string;
  log: (msg: string) => void;
  baseUrl: string;
  accounts?: number;
}) {
  const keyFile = path.resolve(deps.dataDir, 'demo-api-key');
  const existing = await readFile(keyFile, 'utf8').then(
    (k) => k.trim(),
    () => null,
  );
  if (existing && (await workspaceForKey(deps.pool, existing))) {
    demoBanner(existing, deps.baseUrl).forEach((line) => deps.log(line));
    return existing;
  }
  const count = deps.accounts ?? DEMO_ACCOUNTS;
  deps.log(`creating the demo workspace (${count.toLocaleString('en-US')} generated accounts; set DEMO=false to skip)…`);
  const { workspace, apiKey } = await createWorkspace(deps.pool, 'Demo');
  await loadGeneratedUniverse(deps.pool, workspace.id, { seed: DEMO_SEED, count, now: new Date() });
  await writeFile(keyFile, `${apiKey}\n`, { mode: 0o600 });
  const { job } = await requestTraining(deps.pool, deps.enqueue, workspace.id, {});
  deps.log(`demo workspace ${(await getWorkspace(deps.pool, workspace.id))!.id} loaded; training its first model (job ${job.id})`);
  demoBanner(apiKey, deps.baseUrl).forEach((line) => deps.log(line));
  return apiKey;
}

/** One log line each: a log line never holds a line break. */
export const demoBanner = (apiKey: string, baseUrl: string) => [
  `demo workspace API key: ${apiKey} (kept in the data directory's demo-api-key)`,
  `try: curl -H "Authorization: Bearer ${apiKey}" "${baseUrl}/v1/prospects?limit=5", or open ${baseUrl}/report#key=${apiKey}`,
];
