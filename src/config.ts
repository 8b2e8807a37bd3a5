import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { installationId } from './db/installation.ts';
import { emptyAsUndefined } from './lib/schemas.ts';
import type { Queryable } from './db/pool.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every setting comes from the environment; tools that drive the service rely on these names. */
export const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  REDIS_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .optional(),
  ),
  DATA_DIR: z.string().min(1).default('./data'),
  ADMIN_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** Requests a minute per API key (per address without one); shared through Redis when REDIS_URL is set. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Failed authentications a minute per client address before its unknown credentials get 429s. */
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /**
   * Which reverse proxies' X-Forwarded-For gives the client's address (fastify's trustProxy): unset or
   * `false` = none (the socket's address); `true` = any (only when nothing but the proxy can reach the
   * service); else a comma-separated list of the proxies' addresses or CIDR ranges (the recommended form).
   */
  TRUST_PROXY: z.preprocess(emptyAsUndefined, z.string().optional()).transform((value, ctx): TrustProxy => {
    const parsed = parseTrustProxy(value);
    if (typeof parsed === 'string') {
      ctx.issues.push({ code: 'custom', message: parsed, input: value });
      return z.NEVER;
    }
    return parsed.value;
  }),
  /**
   * API processes (node:cluster, sharing PORT). More than 1 only in production mode, with DATABASE_URL
   * and REDIS_URL: jobs then run in `npm run worker` processes, not in an API process.
   */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  DEMO: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('true')
    .transform((value) => value === 'true'),
  /** BullMQ's Redis key prefix. Default: one derived from the database (see queuePrefix), so installations sharing a Redis never see each other's jobs. */
  QUEUE_PREFIX: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_.{}-]{1,64}$/, 'must be 1-64 letters, digits, _ . - { } (no colons)')
      .optional(),
  ),
  /** From the last account change to the re-vectorising it triggers, in ms (imports often come as many batches). Unset: 15 s. */
  VECTOR_REFRESH_DEBOUNCE_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(86_400_000).optional()),
  /** Scoring runs whose prospects are kept for backtests, per workspace. Unset: 12. */
  BACKTEST_RETENTION_RUNS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(1000).optional()),
  /** Memory for prospect pages kept to be sent again while nothing has changed, in MB (0: none). Unset: 64. */
  PAGE_CACHE_MB: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65_536).optional()),
  /** Webhook endpoints on private and loopback addresses are refused unless this is true. */
  WEBHOOK_ALLOW_PRIVATE: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['true', 'false'], { message: 'must be true or false' })
      .default('false')
      .transform((value) => value === 'true'),
  ),
  /** Waits between webhook delivery attempts, comma-separated milliseconds. Unset: 10 s, 1 min, 5 min, 30 min. */
  WEBHOOK_RETRY_DELAYS_MS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'must be comma-separated milliseconds, e.g. 10000,60000,300000')
      .transform((value) => value.split(',').map(Number))
      .optional(),
  ),
  /** Log lines: pretty when stdout is a terminal, JSON otherwise; `json` or `pretty` forces one. */
  LOG_FORMAT: z.preprocess(emptyAsUndefined, z.enum(['json', 'pretty'], { message: 'must be json or pretty' }).optional()),
});

export type Config = z.infer<typeof EnvSchema>;

/** What the configuration sets for the service's modules; a setting left unset takes the module's default. */
export interface ModuleSettings {
  vectorRefreshDebounceMs?: number;
  backtestRetentionRuns?: number;
  webhookAllowPrivate?: boolean;
  webhookRetryDelaysMs?: number[];
  pageCacheMb?: number;
}

export const moduleSettings = (config: Config): ModuleSettings => ({
  vectorRefreshDebounceMs: config.VECTOR_REFRESH_DEBOUNCE_MS,
  backtestRetentionRuns: config.BACKTEST_RETENTION_RUNS,
  webhookAllowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
  webhookRetryDelaysMs: config.WEBHOOK_RETRY_DELAYS_MS,
  pageCacheMb: config.PAGE_CACHE_MB,
});

/** What fastify's `trustProxy` takes: no proxy, any, or the proxies' addresses and ranges. */
export type TrustProxy = boolean | string[];

/** TRUST_PROXY → fastify's trustProxy, or what is wrong with it. */
export function parseTrustProxy(text: string | undefined): { value: TrustProxy } | string {
  if (text === undefined || text === 'false') return { value: false };
  if (text === 'true') return { value: true };
  const entries = text.split(',').map((entry) => entry.trim());
  const bad = entries.filter((entry) => !(ipaddr.isValid(entry) || isCidr(entry)));
  if (bad.length > 0) {
    return `must be true, false, or proxy addresses and CIDR ranges separated by commas; ${bad.map((b) => `"${b}"`).join(', ')} is not one`;
  }
  return { value: entries };
}

function isCidr(text: string): boolean {
  try {
    ipaddr.parseCIDR(text);
    return true;
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  if (parsed.data.REDIS_URL && !parsed.data.DATABASE_URL) {
    // Production mode is all or nothing: queued jobs would wait for ever for workers that cannot open the embedded database.
    throw new ConfigError([
      'REDIS_URL is set but DATABASE_URL is not. With REDIS_URL, jobs run in worker processes (npm run worker), which need the ' +
        "API's database over the network. Set DATABASE_URL to a PostgreSQL with pgvector (postgres://user:password@host:5432/db), " +
        'or unset REDIS_URL to run everything in this process on the embedded database.',
    ]);
  }
  return parsed.data;
}

/**
 * The BullMQ key prefix: QUEUE_PREFIX, or `lak-` and the first 12 hex digits of the database's
 * installation id (a random id sql/010_installation.sql stores in the database). It follows the database itself, not how
 * a URL spells its host, so the API and its workers always agree, and two installations never share a queue.
 */
export async function queuePrefix(config: Pick<Config, 'QUEUE_PREFIX'>, db: Queryable): Promise<string> {
  if (config.QUEUE_PREFIX) return config.QUEUE_PREFIX;
  return `lak-${(await installationId(db)).replaceAll('-', '').slice(0, 12)}`;
}
