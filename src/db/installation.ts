import type { Queryable } from './pool.ts';

/** This installation's id (created by the first migration): what tells two installations apart. */
export async function installationId(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ id: string }>('SELECT id::text AS id FROM installation');
  return rows[0].id;
}
