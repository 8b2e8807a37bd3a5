import { tmpdir } from 'node:os';
import { buildApp } from './app.ts';
import { openDatabase } from './db/pool.ts';

/** The OpenAPI document exactly as the running service serves it at /openapi.json. */
export async function generateOpenApi(): Promise<string> {
  const db = await openDatabase({ dataDir: 'memory://' });
  try {
    const { app, jobs } = await buildApp({
      config: { LOG_LEVEL: 'silent' },
      db,
      adminToken: 'unused-for-the-spec',
      jobs: { log: console },
      spoolDir: tmpdir(),
    });
    await app.ready();
    const spec = `${JSON.stringify(app.swagger(), null, 2)}\n`;
    await app.close();
    await jobs.close();
    return spec;
  } finally {
    await db.close();
  }
}
