import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, moduleSettings } from '../../src/config.ts';

describe('configuration', () => {
  it('has working defaults with no environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      LOG_LEVEL: 'info',
      DEMO: true,
      WEBHOOK_ALLOW_PRIVATE: false,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    // Settings left unset take their module's default (15 s debounce, 12 snapshots, 10 s … 30 min retries).
    expect(moduleSettings(config)).toEqual({
      vectorRefreshDebounceMs: undefined,
      backtestRetentionRuns: undefined,
      webhookAllowPrivate: false,
      webhookRetryDelaysMs: undefined,
      pageCacheMb: undefined,
    });
  });

  it('reads the module settings once, typed', () => {
    const config = loadConfig({
      VECTOR_REFRESH_DEBOUNCE_MS: '500',
      BACKTEST_RETENTION_RUNS: '3',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_DELAYS_MS: '50, 100,200',
      PAGE_CACHE_MB: '0',
    });
    expect(moduleSettings(config)).toEqual({
      vectorRefreshDebounceMs: 500,
      backtestRetentionRuns: 3,
      webhookAllowPrivate: true,
      webhookRetryDelaysMs: [50, 100, 200],
      pageCacheMb: 0,
    });
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        DEMO: 'maybe',
        ADMIN_TOKEN: 'short',
        VECTOR_REFRESH_DEBOUNCE_MS: '-1',
        BACKTEST_RETENTION_RUNS: '0',
        WEBHOOK_ALLOW_PRIVATE: 'yes',
        WEBHOOK_RETRY_DELAYS_MS: '10s,1m',
        PAGE_CACHE_MB: '-5',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of [
      'PORT',
      'DATABASE_URL',
      'LOG_LEVEL',
      'DEMO',
      'ADMIN_TOKEN',
      'VECTOR_REFRESH_DEBOUNCE_MS',
      'BACKTEST_RETENTION_RUNS',
      'WEBHOOK_ALLOW_PRIVATE',
      'WEBHOOK_RETRY_DELAYS_MS',
      'PAGE_CACHE_MB',
    ]) {
      expect(problems).toContain(name);
    }
    expect((error as ConfigError).problems).toHaveLength(10);
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig({ DATABASE_URL: '', REDIS_URL: '', ADMIN_TOKEN: '', BACKTEST_RETENTION_RUNS: '', WEBHOOK_ALLOW_PRIVATE: '' });
    expect(config).toMatchObject({ BACKTEST_RETENTION_RUNS: undefined, WEBHOOK_ALLOW_PRIVATE: false });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.ADMIN_TOKEN).toBeUndefined();
  });
});
