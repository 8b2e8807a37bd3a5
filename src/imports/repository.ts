import type { Queryable } from '../db/pool.ts';

export type ImportKind = 'accounts' | 'outcomes' | 'signals';

export interface SavedMapping {
  mapping: Record<string, string | null>;
  updatedAt: string;
}

export async function savedMapping(db: Queryable, workspaceId: string, kind: ImportKind): Promise<SavedMapping | null> {
  const { rows } = await db.query<{ mapping: Record<string, string | null>; updated_at: Date }>(
    'SELECT mapping, updated_at FROM import_mappings WHERE workspace_id = $1 AND import = $2',
    [workspaceId, kind],
  );
  return rows[0] ? { mapping: rows[0].mapping, updatedAt: rows[0].updated_at.toISOString() } : null;
}

export async function saveMapping(
  db: Queryable,
  workspaceId: string,
  kind: ImportKind,
  mapping: Record<string, string | null>,
): Promise<SavedMapping> {
  const { rows } = await db.query<{ updated_at: Date }>(
    `INSERT INTO import_mappings (workspace_id, import, mapping) VALUES ($1, $2, $3)
     ON CONFLICT (workspace_id, import) DO UPDATE SET mapping = EXCLUDED.mapping, updated_at = now()
     RETURNING updated_at`,
    [workspaceId, kind, JSON.stringify(mapping)],
  );
  return { mapping, updatedAt: rows[0].updated_at.toISOString() };
}

export async function deleteSavedMapping(db: Queryable, workspaceId: string, kind: ImportKind): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM import_mappings WHERE workspace_id = $1 AND import = $2', [workspaceId, kind]);
  return Boolean(rowCount);
}
