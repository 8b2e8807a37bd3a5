import { buildApp } from '../src/app.ts';
import { openTestDatabase } from '../test/support/db.ts';
import { loadGeneratedUniverse } from '../src/demo/load.ts';
import { createWorkspace } from '../src/workspaces/service.ts';
import { databaseSnapshot } from '../src/db/snapshot.ts';
import { grantForKey } from '../src/workspaces/service.ts';

const db = await openTestDatabase();
const mk = async (mb: number) => (await buildApp({ config: { LOG_LEVEL: 'silent' }, db, adminToken: 'x'.repeat(20), spoolDir: '/tmp/spool', rateLimit: false, settings: { pageCacheMb: mb } })).app;
const app = await mk(64);
const off = await mk(0);
const { workspace, apiKey } = await createWorkspace(db.pool, 'w');
await loadGeneratedUniverse(db.pool, workspace.id, { seed: 3, count: 3000, now: new Date() });
await app.inject({ method: 'POST', url: '/v1/models', headers: { authorization: `Bearer ${apiKey}` }, payload: {} });
for (let i = 0; i < 600; i++) { const r = await app.inject({ method: 'GET', url: '/v1/prospects?limit=100', headers: { authorization: `Bearer ${apiKey}` } }); if (r.statusCode === 200) break; await new Promise((r) => setTimeout(r, 500)); }
const time = async (label: string, f: () => Promise<unknown>, n = 300) => { for (let i = 0; i < 20; i++) await f(); const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) await f(); console.log(label, (Number(process.hrtime.bigint() - t) / 1e6 / n).toFixed(3), 'ms'); };
const h = { authorization: `Bearer ${apiKey}` };
for (let k = 0; k < 2; k++) {
  await time('hit page', () => app.inject({ method: 'GET', url: '/v1/prospects?limit=100', headers: h }));
  await time('no cache page', () => off.inject({ method: 'GET', url: '/v1/prospects?limit=100', headers: h }), 60);
  await time('snapshot', () => databaseSnapshot(db.pool));
  await time('grant', () => grantForKey(db.pool, apiKey));
  await time('GET /v1/keys', () => app.inject({ method: 'GET', url: '/v1/jobs?limit=1', headers: h }));
}
process.exit(0);
