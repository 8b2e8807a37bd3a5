import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Queryable } from '../db/pool.ts';
import { grantForKey, isKnownValidKey } from '../workspaces/service.ts';
import type { KeyScope } from '../workspaces/schema.ts';
import { ApiError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the API-key hook: the only workspace this request may read or change. */
    workspaceId: string;
    /** Set by the API-key hook: what the key may do. */
    keyScope: KeyScope;
  }
}

/** OpenAPI security requirements, so "Authorize" in the Swagger UI works. */
export const API_KEY_SECURITY = [{ apiKey: [] }];
export const ADMIN_SECURITY = [{ adminToken: [] }];

/**
 * The budget of failed authentications per client address (see http/rate-limit.ts): `exceeded`
 * reads it without counting, `fail` counts one failure.
 */
export interface AuthFailureBudget {
  exceeded(request: FastifyRequest): Promise<{ exceeded: boolean; retryAfterSeconds: number }>;
  fail(request: FastifyRequest): Promise<void>;
}

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}

/** POST routes a read key may call: they compute, they do not change anything. */
const READ_ONLY_POSTS = new Set(['/v1/lookalikes']);

function allowedFor(scope: KeyScope, request: FastifyRequest): boolean {
  if (scope === 'write') return true;
  const method = request.method;
  return method === 'GET' || method === 'HEAD' || (method === 'POST' && READ_ONLY_POSTS.has(request.routeOptions.url ?? ''));
}

/** Too many failed attempts from this address: 429 before any key is looked up. */
async function refuseIfLockedOut(failures: AuthFailureBudget | undefined, request: FastifyRequest, reply: FastifyReply) {
  if (!failures) return;
  const { exceeded, retryAfterSeconds } = await failures.exceeded(request);
  if (!exceeded) return;
  reply.header('retry-after', retryAfterSeconds);
  throw new ApiError(429, 'too_many_failed_authentications', `Too many failed authentications from this address; retry in ${retryAfterSeconds} s`);
}

export function apiKeyHook(db: Queryable, failures?: AuthFailureBudget) {
  return async function requireApiKey(request: FastifyRequest, reply: FastifyReply) {
    const key = bearer(request);
    if (!key) throw new ApiError(401, 'missing_api_key', 'Send your API key as "Authorization: Bearer <key>"');
    // A key this process has just seen valid is not held up by someone else's failures behind the same address.
    if (!isKnownValidKey(key)) await refuseIfLockedOut(failures, request, reply);
    const grant = await grantForKey(db, key);
    if (!grant) {
      await failures?.fail(request);
      throw new ApiError(401, 'invalid_api_key', 'The API key is unknown or has been revoked');
    }
    request.workspaceId = grant.workspaceId;
    request.keyScope = grant.scope;
    if (!allowedFor(grant.scope, request)) {
      throw new ApiError(403, 'insufficient_scope', `This is a read key: ${request.method} ${request.routeOptions.url ?? request.url} needs a key with the write scope`);
    }
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

export function adminTokenHook(adminToken: string, failures?: AuthFailureBudget) {
  const expected = digest(adminToken);
  return async function requireAdminToken(request: FastifyRequest, reply: FastifyReply) {
    const token = bearer(request);
    if (!token) throw new ApiError(401, 'missing_admin_token', 'Send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"');
    await refuseIfLockedOut(failures, request, reply);
    // Compare digests so the comparison takes the same time whatever the length.
    if (!timingSafeEqual(digest(token), expected)) {
      await failures?.fail(request);
      throw new ApiError(401, 'invalid_admin_token', 'The admin token is wrong');
    }
  };
}
