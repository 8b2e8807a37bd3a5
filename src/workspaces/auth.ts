/** The API-key hook: every /v1 request names its workspace by its key, and the key's scope limits what it may do. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Queryable } from '../db/pool.ts';
import { ApiError } from '../http/errors.ts';
import { bearer } from '../http/auth.ts';
import type { RateLimits } from '../http/rate-limit.ts';
import type { KeyScope } from './schema.ts';
import { grantForKey } from './service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the API-key hook: the only workspace this request may read or change. */
    workspaceId: string;
    /** Set by the API-key hook: what the key may do. */
    keyScope: KeyScope;
  }
}

/** POST routes a read key may call: they compute, they do not change anything. */
const READ_ONLY_POSTS = new Set(['/v1/lookalikes']);

/** Whether a read key may call the route `route` (as registered, e.g. /v1/models/:id) with `method`. */
export const readKeyMay = (method: string, route: string) =>
  method === 'GET' || method === 'HEAD' || (method === 'POST' && READ_ONLY_POSTS.has(route));

function allowedFor(scope: KeyScope, request: FastifyRequest): boolean {
  return scope === 'write' || readKeyMay(request.method, request.routeOptions.url ?? '');
}

/** Resolves the request's key to its workspace, then counts the request against that workspace's budget (before the body is read). */
export function apiKeyHook(db: Queryable, limits?: RateLimits) {
  return async function requireApiKey(request: FastifyRequest, reply: FastifyReply) {
    const key = bearer(request);
    if (!key) throw new ApiError(401, 'missing_api_key', 'Send your API key as "Authorization: Bearer <key>"');
    // Only this credential's own failures can refuse it before the lookup: a valid key is never held up by others' guesses.
    await limits?.authFailures.refuseRepeated(request, reply, key);
    const grant = await grantForKey(db, key);
    if (!grant) {
      await limits?.authFailures.failed(request, reply, key);
      throw new ApiError(401, 'invalid_api_key', 'The API key is unknown or has been revoked');
    }
    request.workspaceId = grant.workspaceId;
    request.keyScope = grant.scope;
    await limits?.workspace(request, reply, grant.workspaceId);
    if (!allowedFor(grant.scope, request)) {
      throw new ApiError(
        403,
        'insufficient_scope',
        `This is a read key: ${request.method} ${request.routeOptions.url ?? request.url} needs a key with the write scope`,
      );
    }
  };
}
