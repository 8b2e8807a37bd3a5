import type { Queryable } from '../db/pool.ts';
import type { ApiKeyInfo, KeyScope, Workspace } from './schema.ts';

interface ApiKeyRow {
  id: string;
  name: string;
  scope: KeyScope;
  prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}

const toApiKeyInfo = (row: ApiKeyRow): ApiKeyInfo => ({
  id: row.id,
  name: row.name,
  scope: row.scope,
  prefix: row.prefix,
  createdAt: row.created_at.toISOString(),
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

export async function insertWorkspace(db: Queryable, name: string): Promise<Workspace> {
  const { rows } = await db.query<Workspace>('INSERT INTO workspaces (name) VALUES ($1) RETURNING id, name', [name]);
  return rows[0];
}

export async function getWorkspace(db: Queryable, id: string): Promise<Workspace | null> {
  const { rows } = await db.query<Workspace>('SELECT id, name FROM workspaces WHERE id = $1', [id]);
  return rows[0] ?? null;
}

export async function insertApiKey(
  db: Queryable,
  workspaceId: string,
  key: { name: string; prefix: string; hash: string; scope: KeyScope },
): Promise<ApiKeyInfo> {
  const { rows } = await db.query<ApiKeyRow>(
    `INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scope) VALUES ($1, $2, $3, $4, $5)
     RETURNING id, name, scope, prefix, created_at, revoked_at`,
    [workspaceId, key.name, key.prefix, key.hash, key.scope],
  );
  return toApiKeyInfo(rows[0]);
}

export async function listApiKeys(db: Queryable, workspaceId: string): Promise<ApiKeyInfo[]> {
  const { rows } = await db.query<ApiKeyRow>(
    'SELECT id, name, scope, prefix, created_at, revoked_at FROM api_keys WHERE workspace_id = $1 ORDER BY created_at, id',
    [workspaceId],
  );
  return rows.map(toApiKeyInfo);
}

/** Revokes the key (a revoked key stays revoked at its first time); null when the workspace has no such key. */
export async function revokeApiKeyRow(db: Queryable, workspaceId: string, keyId: string): Promise<(ApiKeyInfo & { hash: string }) | null> {
  const { rows } = await db.query<ApiKeyRow & { key_hash: string }>(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
     WHERE workspace_id = $1 AND id = $2
     RETURNING id, name, scope, prefix, created_at, revoked_at, key_hash`,
    [workspaceId, keyId],
  );
  return rows[0] ? { ...toApiKeyInfo(rows[0]), hash: rows[0].key_hash } : null;
}

/** The workspace and scope of the unrevoked key with this hash. */
export async function activeKey(db: Queryable, hash: string): Promise<{ workspaceId: string; scope: KeyScope } | null> {
  const { rows } = await db.query<{ workspace_id: string; scope: KeyScope }>(
    'SELECT workspace_id, scope FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
    [hash],
  );
  return rows[0] ? { workspaceId: rows[0].workspace_id, scope: rows[0].scope } : null;
}
