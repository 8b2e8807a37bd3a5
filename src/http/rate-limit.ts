/**
 * Request budgets, counted per minute in fixed windows:
 * - every workspace has `perMinute` requests, shared by all its keys (a workspace cannot mint keys to
 *   get more), counted once its key is known and before the body is read;
 * - every client address has `perMinute` requests to everything that is not an API-key route
 *   (pages, docs, the admin routes), whatever Authorization header it sends;
 * - every address has `authFailuresPerMinute` failed authentications; past them its unknown
 *   credentials get 429, while a valid key or the admin token is still let through: one client's
 *   guesses never lock others out, even behind a shared proxy address. A credential that failed that
 *   often from one address is refused before it is looked up again.
 * With a Redis URL the counts live in Redis, under the installation's prefix, so every API process
 * shares one budget. Without, they live in bounded maps that a flood of new addresses or
 * credentials cannot make forget the counts they hold (see WindowCounters).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import { Redis } from 'ioredis';
import { ApiError } from './errors.ts';

export interface RateLimitOptions {
  /** Requests per minute per workspace, and per address to pages, docs and admin routes. */
  perMinute: number;
  /** Failed authentications per minute per address. */
  authFailuresPerMinute: number;
  /** Share the counts through this Redis (REDIS_URL). */
  redisUrl?: string;
  /** Redis key prefix: the installation's (the queue prefix), so installations sharing a Redis never share budgets. */
  prefix?: string;
}

export const DEFAULT_RATE_LIMITS: RateLimitOptions = { perMinute: 600, authFailuresPerMinute: 30 };

const MINUTE_MS = 60_000;
/** Counters one in-memory map holds; past it, new names share one overflow counter (see WindowCounters). */
export const MAX_COUNTERS = 100_000;

interface Window {
  count: number;
  resetAt: number;
}

/** A counter per name per window: `add(name, 0)` reads it, `add(name, 1)` counts one. */
interface Counters {
  add(name: string, by: 0 | 1): Promise<Window>;
}

/**
 * Fixed-window counters in memory, at most `capacity` of them. Expired windows are dropped first; when
 * every counter is still live, a new name is counted in one shared overflow counter instead of evicting
 * one: a flood of fresh addresses or keys then only limits itself, and never resets an exhausted budget.
 */
export class WindowCounters implements Counters {
  private readonly windows = new Map<string, Window>();
  constructor(
    private readonly windowMs: number,
    private readonly capacity = MAX_COUNTERS,
  ) {}

  async add(name: string, by: 0 | 1): Promise<Window> {
    const now = Date.now();
    let key = name;
    let window = this.windows.get(key);
    if (window !== undefined && window.resetAt <= now) {
      this.windows.delete(key);
      window = undefined;
    }
    if (window === undefined) {
      if (by === 0) return { count: 0, resetAt: now + this.windowMs };
      if (this.windows.size >= this.capacity) this.dropExpired(now);
      if (this.windows.size >= this.capacity) {
        key = OVERFLOW;
        window = this.windows.get(key);
      }
      if (window === undefined || window.resetAt <= now) {
        window = { count: 0, resetAt: now + this.windowMs };
        this.windows.set(key, window);
      }
    }
    window.count += by;
    return { ...window };
  }

  get size(): number {
    return this.windows.size;
  }

  /** Windows are created in time order and all last as long, so the expired ones are at the front. */
  private dropExpired(now: number): void {
    for (const [key, window] of this.windows) {
      if (window.resetAt > now) break;
      this.windows.delete(key);
    }
  }
}

const OVERFLOW = '\u0000overflow';

/** INCRBY with the window's expiry set on its first count; returns the count and the milliseconds left. */
const COUNT_SCRIPT = `
local count
if tonumber(ARGV[2]) == 0 then
  count = tonumber(redis.call('GET', KEYS[1]) or '0')
else
  count = redis.call('INCRBY', KEYS[1], ARGV[2])
end
local ttl = redis.call('PTTL', KEYS[1])
if count > 0 and ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

function redisCounters(redis: Redis, prefix: string, name: string, windowMs: number): Counters {
  return {
    async add(key, by) {
      const [count, ttl] = (await redis.eval(COUNT_SCRIPT, 1, `${prefix}:rate-limit:${name}:${key}`, windowMs, by)) as [number, number];
      return { count, resetAt: Date.now() + Math.max(ttl, 0) };
    },
  };
}

/** Addresses as counted: IPv6 by its /64 (one host's share of a network), IPv4-mapped IPv6 as IPv4. */
export function clientAddress(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  return `${(address as ipaddr.IPv6).parts
    .slice(0, 4)
    .map((part) => part.toString(16))
    .join(':')}::/64`;
}

/** Credentials are counted by a digest, so none is ever kept or written to Redis. */
const credentialDigest = (credential: string) => createHash('sha256').update(credential).digest('hex').slice(0, 32);

/**
 * The failed-authentication budget the auth hooks use: `refuseRepeated` before a credential is looked up,
 * `failed` after it was wrong (which answers 429 instead of 401 once the address is past its budget).
 */
export interface AuthFailureBudget {
  refuseRepeated(request: FastifyRequest, reply: FastifyReply, credential: string): Promise<void>;
  failed(request: FastifyRequest, reply: FastifyReply, credential: string): Promise<void>;
}

/** The budget of requests a workspace's keys share; the API-key hook calls it once the workspace is known. */
export type WorkspaceBudget = (request: FastifyRequest, reply: FastifyReply, workspaceId: string) => Promise<void>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route is counted against its workspace's budget (by the API-key hook), not its address's. */
    workspaceBudget?: boolean;
  }
}

/** Routes never limited: probes must answer whatever a client does. */
const UNLIMITED = new Set(['/health', '/ready']);

export interface RateLimits {
  workspace: WorkspaceBudget;
  authFailures: AuthFailureBudget;
}

/**
 * Registers the per-address budget on every route but probes and API-key routes (mark those with
 * `markWorkspaceRoutes`), and returns the workspace and failed-authentication budgets.
 */
export function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): RateLimits {
  const counters = counterStore(app, options);
  const count = failingOpen(app);
  const workspaces = counters('workspace');
  const addresses = counters('address');
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config?.workspaceBudget || UNLIMITED.has(request.url.split('?')[0])) return;
    await spend(count, addresses, clientAddress(request.ip), reply, options.perMinute);
  });
  return {
    workspace: (_request, reply, workspaceId) => spend(count, workspaces, workspaceId, reply, options.perMinute),
    authFailures: authFailureBudget(count, counters('auth-failures'), counters('auth-failures-credential'), options.authFailuresPerMinute),
  };
}

/** The counters of each budget, by name: in Redis (closed with the app) when there is one, else in this process. */
function counterStore(app: FastifyInstance, options: RateLimitOptions): (name: string) => Counters {
  const redis = options.redisUrl
    ? new Redis(options.redisUrl, { connectTimeout: 1_000, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false })
    : undefined;
  if (redis) {
    redis.on('error', (err) => app.log.warn({ err }, 'rate-limit Redis error (requests are not limited meanwhile)'));
    app.addHook('onClose', async () => {
      redis.disconnect();
    });
  }
  return (name) => (redis ? redisCounters(redis, options.prefix ?? 'lookalike', name, MINUTE_MS) : new WindowCounters(MINUTE_MS));
}

/** Adds to a count; null when the store could not count. */
type Count = (store: Counters, key: string, by: 0 | 1) => Promise<Window | null>;

/** A Redis outage must not take the API down with it: requests are let through, and the outage logged once a minute. */
function failingOpen(app: FastifyInstance): Count {
  let warnedAt = 0;
  return async (store, key, by) => {
    try {
      return await store.add(key, by);
    } catch (err) {
      if (Date.now() - warnedAt > MINUTE_MS) {
        warnedAt = Date.now();
        app.log.warn({ err }, 'rate-limit store unavailable (requests are not limited meanwhile)');
      }
      return null;
    }
  };
}

/** Counts a request against a budget, tells the client where it stands, and refuses it (429) past the budget. */
async function spend(count: Count, store: Counters, key: string, reply: FastifyReply, perMinute: number): Promise<void> {
  const window = await count(store, key, 1);
  if (window === null) return;
  const resetSeconds = Math.max(1, Math.ceil((window.resetAt - Date.now()) / 1000));
  reply.header('ratelimit-limit', perMinute);
  reply.header('ratelimit-remaining', Math.max(0, perMinute - window.count));
  reply.header('ratelimit-reset', resetSeconds);
  if (window.count > perMinute) {
    reply.header('retry-after', resetSeconds);
    throw new ApiError(429, 'rate_limited', `Rate limit of ${perMinute} requests a minute exceeded; retry in ${resetSeconds} s`);
  }
}

function authFailureBudget(count: Count, byAddress: Counters, byCredential: Counters, perMinute: number): AuthFailureBudget {
  return {
    async refuseRepeated(request, reply, credential) {
      const window = await count(byCredential, credentialKey(request, credential), 0);
      if (window !== null && window.count >= perMinute) throw lockedOut(reply, window);
    },
    async failed(request, reply, credential) {
      await count(byCredential, credentialKey(request, credential), 1);
      const window = await count(byAddress, clientAddress(request.ip), 1);
      if (window !== null && window.count > perMinute) throw lockedOut(reply, window);
    },
  };
}

function lockedOut(reply: FastifyReply, window: Window): ApiError {
  const retryAfterSeconds = Math.max(1, Math.ceil((window.resetAt - Date.now()) / 1000));
  reply.header('retry-after', retryAfterSeconds);
  return new ApiError(
    429,
    'too_many_failed_authentications',
    `Too many failed authentications from this address; retry in ${retryAfterSeconds} s`,
  );
}

const credentialKey = (request: FastifyRequest, credential: string) => `${clientAddress(request.ip)}|${credentialDigest(credential)}`;

/** Marks every route registered in `app` (an API-key scope) as counted against its workspace. */
export function markWorkspaceRoutes(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, workspaceBudget: true };
  });
}
