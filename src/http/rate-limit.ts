/**
 * Request budgets (@fastify/rate-limit): every API key (or, without one, every client address)
 * has `perMinute` requests a minute; every address has `authFailuresPerMinute` failed
 * authentications a minute, after which its unknown keys get 429 without a database lookup.
 * Answers carry the IETF draft headers (RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset) and
 * 429s a Retry-After. With a Redis URL the counts live in Redis, so every API process shares one budget.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { Redis } from 'ioredis';
import type { AuthFailureBudget } from './auth.ts';
import { ApiError } from './errors.ts';

export interface RateLimitOptions {
  /** Requests per minute per API key (per address without a key). */
  perMinute: number;
  /** Failed authentications per minute per address. */
  authFailuresPerMinute: number;
  /** Share the counts through this Redis (REDIS_URL). */
  redisUrl?: string;
}

export const DEFAULT_RATE_LIMITS: RateLimitOptions = { perMinute: 600, authFailuresPerMinute: 30 };

const MINUTE_MS = 60_000;

/** Keys are counted by a hash, so no key is ever written to Redis. */
function budgetKey(request: FastifyRequest): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match ? `key:${createHash('sha256').update(match[1]).digest('hex').slice(0, 32)}` : `ip:${request.ip}`;
}

/** Registers the per-key budget on every route but /health, and returns the failed-authentication budget. */
export async function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): Promise<AuthFailureBudget> {
  const redis = options.redisUrl
    ? new Redis(options.redisUrl, { connectTimeout: 1_000, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false })
    : undefined;
  if (redis) {
    redis.on('error', (err) => app.log.warn({ err }, 'rate-limit Redis error (requests are not limited meanwhile)'));
    app.addHook('onClose', async () => {
      redis.disconnect();
    });
  }
  await app.register(rateLimit, {
    global: true,
    max: options.perMinute,
    timeWindow: MINUTE_MS,
    enableDraftSpec: true,
    keyGenerator: budgetKey,
    allowList: (request) => request.url === '/health' || request.url.startsWith('/health?'),
    ...(redis ? { redis, nameSpace: 'lookalike-rate-limit:' } : {}),
    skipOnError: true, // a Redis outage must not take the API down with it
    errorResponseBuilder: (_request, context) =>
      new ApiError(429, 'rate_limited', `Rate limit of ${context.max} requests a minute exceeded; retry in ${context.after}`),
  });
  const failures = app.createRateLimit({
    max: options.authFailuresPerMinute,
    timeWindow: MINUTE_MS,
    keyGenerator: (request) => `authfail:${request.ip}`,
  });
  return {
    async exceeded(request) {
      const state = await failures(request, { increment: false });
      if (state.isAllowed) return { exceeded: false, retryAfterSeconds: 0 };
      // `remaining` counts what is left before this attempt: none left means the budget is spent.
      return { exceeded: state.remaining <= 0, retryAfterSeconds: Math.max(1, state.ttlInSeconds) };
    },
    async fail(request) {
      await failures(request);
    },
  };
}
