import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { withTransaction, type Queryable } from '../db/pool.ts';
import { notFound } from '../lib/errors.ts';
import type { ApiKeyInfo, KeyScope, Workspace } from './schema.ts';

const KEY_PREFIX = 'lak_';

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

function newApiKey(): { key: string; prefix: string; hash: string } {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, prefix: key.slice(0, 10), hash: hashApiKey(key) };
}

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

async function insertApiKey(db: Queryable, workspaceId: string, name: string, scope: KeyScope = 'write') {
  const { key, prefix, hash } = newApiKey();
  const { rows } = await db.query<ApiKeyRow>(
    `INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scope) VALUES ($1, $2, $3, $4, $5)
     RETURNING id, name, scope, prefix, created_at, revoked_at`,
    [workspaceId, name, prefix, hash, scope],
  );
  return { key: toApiKeyInfo(rows[0]), apiKey: key };
}

export async function createWorkspace(pool: pg.Pool, name: string): Promise<{ workspace: Workspace; apiKey: string }> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<Workspace>('INSERT INTO workspaces (name) VALUES ($1) RETURNING id, name', [name]);
    const { apiKey } = await insertApiKey(client, rows[0].id, 'default');
    return { workspace: rows[0], apiKey };
  });
}

export const createApiKey = (db: Queryable, workspaceId: string, name: string, scope: KeyScope = 'write') =>
  insertApiKey(db, workspaceId, name, scope);

/** The admin's way back in for a workspace whose keys are all revoked (or lost): 404 for an unknown workspace. */
export async function createApiKeyForWorkspace(db: Queryable, workspaceId: string, name: string, scope: KeyScope) {
  const workspace = await getWorkspace(db, workspaceId);
  if (!workspace) throw notFound(`Workspace ${workspaceId}`);
  return { workspace, ...(await insertApiKey(db, workspaceId, name, scope)) };
}

export async function listApiKeys(db: Queryable, workspaceId: string): Promise<ApiKeyInfo[]> {
  const { rows } = await db.query<ApiKeyRow>(
    'SELECT id, name, scope, prefix, created_at, revoked_at FROM api_keys WHERE workspace_id = $1 ORDER BY created_at, id',
    [workspaceId],
  );
  return rows.map(toApiKeyInfo);
}

export async function revokeApiKey(db: Queryable, workspaceId: string, keyId: string): Promise<ApiKeyInfo> {
  const { rows } = await db.query<ApiKeyRow & { key_hash: string }>(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
     WHERE workspace_id = $1 AND id = $2
     RETURNING id, name, scope, prefix, created_at, revoked_at, key_hash`,
    [workspaceId, keyId],
  );
  if (!rows[0]) throw notFound(`API key ${keyId}`);
  keyCache.delete(rows[0].key_hash);
  return toApiKeyInfo(rows[0]);
}

export async function getWorkspace(db: Queryable, id: string): Promise<Workspace | null> {
  const { rows } = await db.query<Workspace>('SELECT id, name FROM workspaces WHERE id = $1', [id]);
  return rows[0] ?? null;
}

/**
 * Key → workspace lookups are on every request; a short cache keeps them off the (single-connection)
 * embedded database. Revocation in this process clears the entry at once; other processes within KEY_CACHE_MS.
 */
const KEY_CACHE_MS = 10_000;
const keyCache = new Map<string, { workspaceId: string; scope: KeyScope; until: number }>();

export interface KeyGrant {
  workspaceId: string;
  scope: KeyScope;
}

/** The workspace and scope of a key, or null when it is unknown or revoked. */
export async function grantForKey(db: Queryable, key: string): Promise<KeyGrant | null> {
  const hash = hashApiKey(key);
  const cached = keyCache.get(hash);
  if (cached && cached.until > Date.now()) return { workspaceId: cached.workspaceId, scope: cached.scope };
  const { rows } = await db.query<{ workspace_id: string; scope: KeyScope }>(
    'SELECT workspace_id, scope FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
    [hash],
  );
  if (!rows[0]) {
    keyCache.delete(hash);
    return null;
  }
  if (keyCache.size > 10_000) keyCache.clear();
  keyCache.set(hash, { workspaceId: rows[0].workspace_id, scope: rows[0].scope, until: Date.now() + KEY_CACHE_MS });
  return { workspaceId: rows[0].workspace_id, scope: rows[0].scope };
}

/** Whether this process has seen the key valid in the last KEY_CACHE_MS (no database round trip). */
export function isKnownValidKey(key: string): boolean {
  const cached = keyCache.get(hashApiKey(key));
  return cached !== undefined && cached.until > Date.now();
}

export async function workspaceForKey(db: Queryable, key: string): Promise<string | null> {
  return (await grantForKey(db, key))?.workspaceId ?? null;
}
