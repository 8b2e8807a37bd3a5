import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors.ts';

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

export function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}

/** Too many failed attempts from this address: 429 before any key is looked up. */
export async function refuseIfLockedOut(failures: AuthFailureBudget | undefined, request: FastifyRequest, reply: FastifyReply) {
  if (!failures) return;
  const { exceeded, retryAfterSeconds } = await failures.exceeded(request);
  if (!exceeded) return;
  reply.header('retry-after', retryAfterSeconds);
  throw new ApiError(
    429,
    'too_many_failed_authentications',
    `Too many failed authentications from this address; retry in ${retryAfterSeconds} s`,
  );
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
