import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Queryable } from '../db/pool.ts';
import { workspaceForKey } from '../workspaces/service.ts';
import { ApiError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the API-key hook: the only workspace this request may read or change. */
    workspaceId: string;
  }
}

/** OpenAPI security requirements, so "Authorize" in the Swagger UI works. */
export const API_KEY_SECURITY = [{ apiKey: [] }];
export const ADMIN_SECURITY = [{ adminToken: [] }];

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}

export function apiKeyHook(db: Queryable) {
  return async function requireApiKey(request: FastifyRequest, _reply: FastifyReply) {
    const key = bearer(request);
    if (!key) throw new ApiError(401, 'missing_api_key', 'Send your API key as "Authorization: Bearer <key>"');
    const workspaceId = await workspaceForKey(db, key);
    if (!workspaceId) throw new ApiError(401, 'invalid_api_key', 'The API key is unknown or has been revoked');
    request.workspaceId = workspaceId;
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

export function adminTokenHook(adminToken: string) {
  const expected = digest(adminToken);
  return async function requireAdminToken(request: FastifyRequest, _reply: FastifyReply) {
    const token = bearer(request);
    if (!token) throw new ApiError(401, 'missing_admin_token', 'Send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"');
    // Compare digests so the comparison takes the same time whatever the length.
    if (!timingSafeEqual(digest(token), expected)) throw new ApiError(401, 'invalid_admin_token', 'The admin token is wrong');
  };
}
