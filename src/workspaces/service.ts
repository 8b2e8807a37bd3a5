import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { withTransaction, type Queryable } from '../db/pool.ts';
import { notFound } from '../http/errors.ts';
import type { ApiKeyInfo, Workspace } from './schema.ts';

const KEY_PREFIX = 'lak_';

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

function newApiKey(): { key: string; prefix: string; hash: string } {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, prefix: key.slice(0, 10), hash: hashApiKey(key) };
}

interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}

const toApiKeyInfo = (row: ApiKeyRow): ApiKeyInfo => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  createdAt: row.created_at.toISOString(),
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

async function insertApiKey(db: Queryable, workspaceId: string, name: string) {
  const { key, prefix, hash } = newApiKey();
  const { rows } = await db.query<ApiKeyRow>(
    `INSERT INTO api_keys (workspace_id, name, prefix, key_hash) VALUES ($1, $2, $3, $4)
     RETURNING id, name, prefix, created_at, revoked_at`,
    [workspaceId, name, prefix, hash],
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

export const createApiKey = (db: Queryable, workspaceId: string, name: string) => insertApiKey(db, workspaceId, name);

export async function listApiKeys(db: Queryable, workspaceId: string): Promise<ApiKeyInfo[]> {
  const { rows } = await db.query<ApiKeyRow>(
    'SELECT id, name, prefix, created_at, revoked_at FROM api_keys WHERE workspace_id = $1 ORDER BY created_at, id',
    [workspaceId],
  );
  return rows.map(toApiKeyInfo);
}

export async function revokeApiKey(db: Queryable, workspaceId: string, keyId: string): Promise<ApiKeyInfo> {
  const { rows } = await db.query<ApiKeyRow & { key_hash: string }>(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
     WHERE workspace_id = $1 AND id = $2
     RETURNING id, name, prefix, created_at, revoked_at, key_hash`,
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
const keyCache = new Map<string, { workspaceId: string; until: number }>();

export async function workspaceForKey(db: Queryable, key: string): Promise<string | null> {
  const hash = hashApiKey(key);
  const cached = keyCache.get(hash);
  if (cached && cached.until > Date.now()) return cached.workspaceId;
  const { rows } = await db.query<{ workspace_id: string }>(
    'SELECT workspace_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
    [hash],
  );
  if (!rows[0]) {
    keyCache.delete(hash);
    return null;
  }
  if (keyCache.size > 10_000) keyCache.clear();
  keyCache.set(hash, { workspaceId: rows[0].workspace_id, until: Date.now() + KEY_CACHE_MS });
  return rows[0].workspace_id;
}
