/** The API-key hook: every /v1 request names its workspace by its key, and the key's scope limits what it may do. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Queryable } from '../db/pool.ts';
import { ApiError } from '../http/errors.ts';
import { bearer, refuseIfLockedOut, type AuthFailureBudget } from '../http/auth.ts';
import type { KeyScope } from './schema.ts';
import { grantForKey, isKnownValidKey } from './service.ts';

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

function allowedFor(scope: KeyScope, request: FastifyRequest): boolean {
  if (scope === 'write') return true;
  const method = request.method;
  return method === 'GET' || method === 'HEAD' || (method === 'POST' && READ_ONLY_POSTS.has(request.routeOptions.url ?? ''));
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
      throw new ApiError(
        403,
        'insufficient_scope',
        `This is a read key: ${request.method} ${request.routeOptions.url ?? request.url} needs a key with the write scope`,
      );
    }
  };
}
