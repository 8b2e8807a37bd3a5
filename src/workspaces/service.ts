import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { withTransaction, type Queryable } from '../db/pool.ts';
import { notFound } from '../lib/errors.ts';
import { activeKey, getWorkspace, insertApiKey, insertWorkspace, revokeApiKeyRow } from './repository.ts';
import type { ApiKeyInfo, KeyScope, Workspace } from './schema.ts';

const KEY_PREFIX = 'lak_';

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

function newApiKey(): { key: string; prefix: string; hash: string } {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, prefix: key.slice(0, 10), hash: hashApiKey(key) };
}

async function newKeyFor(db: Queryable, workspaceId: string, name: string, scope: KeyScope = 'write') {
  const { key, prefix, hash } = newApiKey();
  return { key: await insertApiKey(db, workspaceId, { name, prefix, hash, scope }), apiKey: key };
}

export async function createWorkspace(pool: pg.Pool, name: string): Promise<{ workspace: Workspace; apiKey: string }> {
  return withTransaction(pool, async (client) => {
    const workspace = await insertWorkspace(client, name);
    const { apiKey } = await newKeyFor(client, workspace.id, 'default');
    return { workspace, apiKey };
  });
}

export const createApiKey = (db: Queryable, workspaceId: string, name: string, scope: KeyScope = 'write') =>
  newKeyFor(db, workspaceId, name, scope);

/** The admin's way back in for a workspace whose keys are all revoked (or lost): 404 for an unknown workspace. */
export async function createApiKeyForWorkspace(db: Queryable, workspaceId: string, name: string, scope: KeyScope) {
  const workspace = await getWorkspace(db, workspaceId);
  if (!workspace) throw notFound(`Workspace ${workspaceId}`);
  return { workspace, ...(await newKeyFor(db, workspaceId, name, scope)) };
}

export async function revokeApiKey(db: Queryable, workspaceId: string, keyId: string): Promise<ApiKeyInfo> {
  const revoked = await revokeApiKeyRow(db, workspaceId, keyId);
  if (!revoked) throw notFound(`API key ${keyId}`);
  const { hash, ...info } = revoked;
  keyCache.delete(hash);
  return info;
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
  const grant = await activeKey(db, hash);
  if (!grant) {
    keyCache.delete(hash);
    return null;
  }
  if (keyCache.size > 10_000) keyCache.clear();
  keyCache.set(hash, { ...grant, until: Date.now() + KEY_CACHE_MS });
  return grant;
}

export async function workspaceForKey(db: Queryable, key: string): Promise<string | null> {
  return (await grantForKey(db, key))?.workspaceId ?? null;
}
