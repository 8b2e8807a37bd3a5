import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('configuration', () => {
  it('has working defaults with no environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      LOG_LEVEL: 'info',
      DEMO: true,
      VECTOR_REFRESH_DEBOUNCE_MS: 15_000,
      BACKTEST_RETENTION_RUNS: 12,
      WEBHOOK_ALLOW_PRIVATE: 'false',
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
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
    ]) {
      expect(problems).toContain(name);
    }
    expect((error as ConfigError).problems).toHaveLength(8);
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig({ DATABASE_URL: '', REDIS_URL: '', ADMIN_TOKEN: '', BACKTEST_RETENTION_RUNS: '', WEBHOOK_ALLOW_PRIVATE: '' });
    expect(config).toMatchObject({ BACKTEST_RETENTION_RUNS: 12, WEBHOOK_ALLOW_PRIVATE: 'false' });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.ADMIN_TOKEN).toBeUndefined();
  });
});
