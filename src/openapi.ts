import { buildApp } from './app.ts';
import { openDatabase } from './db/pool.ts';

/** The OpenAPI document exactly as the running service serves it at /openapi.json. */
export async function generateOpenApi(): Promise<string> {
  const db = await openDatabase({ dataDir: 'memory://' });
  try {
    const app = await buildApp({ config: { LOG_LEVEL: 'silent' }, db, adminToken: 'unused-for-the-spec', queueMode: 'in-process' });
    await app.ready();
    const spec = `${JSON.stringify(app.swagger(), null, 2)}\n`;
    await app.close();
    return spec;
  } finally {
    await db.close();
  }
}
