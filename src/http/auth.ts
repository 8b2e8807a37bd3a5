import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors.ts';
import type { AuthFailureBudget } from './rate-limit.ts';

/** OpenAPI security requirements, so "Authorize" in the Swagger UI works. */
export const API_KEY_SECURITY = [{ apiKey: [] }];
export const ADMIN_SECURITY = [{ adminToken: [] }];

export function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

export function adminTokenHook(adminToken: string, failures?: AuthFailureBudget) {
  const expected = digest(adminToken);
  return async function requireAdminToken(request: FastifyRequest, reply: FastifyReply) {
    const token = bearer(request);
    if (!token) throw new ApiError(401, 'missing_admin_token', 'Send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"');
    await failures?.refuseRepeated(request, reply, token);
    // Compare digests so the comparison takes the same time whatever the length.
    if (!timingSafeEqual(digest(token), expected)) {
      await failures?.failed(request, reply, token);
      throw new ApiError(401, 'invalid_admin_token', 'The admin token is wrong');
    }
  };
}
