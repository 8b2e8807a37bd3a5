import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, queuePrefix } from '../../src/config.ts';
import { describeRetrain, describeTraining } from '../../src/model/jobs.ts';
import { describeScoring } from '../../src/prospects/jobs.ts';
import { prettyLine, processLog } from '../../src/lib/log.ts';
import { explainDatabaseError, explainListenError, StartupError } from '../../src/startup.ts';
import { openTestDatabase } from '../support/db.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

/** `npm start` with this environment; resolves when it exits, or kills it once `until` matches its output. */
function start(env: Record<string, string>, until?: RegExp, timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  const child = spawn(TSX, ['src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      DATABASE_URL: '',
      REDIS_URL: '',
      ADMIN_TOKEN: '',
      QUEUE_PREFIX: '',
      LOG_FORMAT: '',
      DEMO: 'false',
      HOST: '127.0.0.1',
      ...env,
    },
  });
  let output = '';
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const onData = (d: Buffer) => {
      output += d;
      if (until?.test(output)) child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('production mode cannot be half-configured', () => {
  it('refuses REDIS_URL without DATABASE_URL, saying what to set', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(
      /Set DATABASE_URL to a PostgreSQL with pgvector.*or unset REDIS_URL/,
    );
    expect(loadConfig({ REDIS_URL: 'redis://r:6379', DATABASE_URL: 'postgres://db/x' }).REDIS_URL).toBe('redis://r:6379');
  });

  it('checks QUEUE_PREFIX, and derives a default from the database itself: stable for one database, different for two', async () => {
    expect(() => loadConfig({ QUEUE_PREFIX: 'a:b' })).toThrow(/QUEUE_PREFIX/);
    expect(loadConfig({ QUEUE_PREFIX: '{acme-prod}' }).QUEUE_PREFIX).toBe('{acme-prod}');
    const [one, two] = await Promise.all([openTestDatabase(), openTestDatabase()]);
    try {
      const a = await queuePrefix({}, one.pool);
      expect(a).toMatch(/^lak-[0-9a-f]{12}$/);
      expect(await queuePrefix({}, one.pool)).toBe(a);
      expect(await queuePrefix({}, two.pool)).not.toBe(a);
      expect(await queuePrefix({ QUEUE_PREFIX: 'mine' }, one.pool)).toBe('mine');
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});

describe('logs for people and machines', () => {
  it('writes one readable line per record on a terminal, with the error stack only for errors', () => {
    const line = prettyLine({
      level: 30,
      time: Date.UTC(2026, 0, 1, 12, 3, 4),
      pid: 1,
      hostname: 'h',
      reqId: 'req-1',
      msg: 'GET /health 200 3 ms',
      statusCode: 200,
      url: '/health',
    });
    expect(line).toMatch(/^\d\d:\d\d:\d\d INFO {2}GET \/health 200 3 ms statusCode=200 url=\/health\n$/);
    expect(line).not.toContain('req-1');
    const err = new Error('boom');
    const failed = prettyLine({ level: 50, msg: 'job failed', err: { message: err.message, stack: err.stack } });
    expect(failed).toMatch(/ERROR job failed err=boom\n\s+at /);
  });

  it('writes JSON lines (pino levels) or pretty lines from workers and scripts, honouring the level', () => {
    let out = '';
    const sink = {
      write: (s: string) => {
        out += s;
        return true;
      },
    } as unknown as NodeJS.WritableStream;
    const json = processLog('warn', false, sink);
    json.info({ a: 1 }, 'hidden');
    json.warn({ a: 1 }, 'shown');
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(out)).toMatchObject({ level: 40, a: 1, msg: 'shown' });
    out = '';
    processLog('info', true, sink).info({ jobId: 'j' }, 'job done');
    expect(out).toMatch(/INFO {2}job done jobId=j\n$/);
  });

  it('sums a finished job up in a few words', () => {
    expect(describeTraining({ modelId: '0123456789ab', kind: 'forest', activated: true })).toBe('model 01234567 ready (forest), activated');
    expect(describeScoring({ accountsScored: 20000 })).toBe('20,000 accounts scored');
    expect(describeRetrain({ reused: true, version: 3, activated: false })).toBe('reused version 3, not activated');
  });

  it('explains database errors with a hint, and a busy port', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(explainDatabaseError(refused, 'postgres://app:secret@127.0.0.1:5432/leads').message).toMatch(
      /is PostgreSQL running and listening on 127\.0\.0\.1:5432\?/,
    );
    const role = Object.assign(new Error('role "nobody" does not exist'), { code: '28000' });
    const explained = explainDatabaseError(role, 'postgres://nobody:pw@db:5432/leads');
    expect(explained).toBeInstanceOf(StartupError);
    expect(explained.message).toContain('Does the role "nobody" exist?');
    expect(explained.message).not.toContain('pw');
    const noDb = Object.assign(new Error('database "leads" does not exist'), { code: '3D000' });
    expect(explainDatabaseError(noDb, 'postgres://u@db/leads').message).toContain('createdb leads');
    expect(explainListenError(Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' }), 3000, '127.0.0.1').message).toBe(
      'port 3000 is in use (on 127.0.0.1); set PORT to a free port, or stop the process using it.',
    );
  });
});

describe('npm start fails fast with a message a person can act on', () => {
  it('stops at once on an unusable DATA_DIR: a path that cannot be created, or a file', async () => {
    const proc = await start({ DATA_DIR: '/proc/nope' }, undefined, 30_000);
    expect(proc.code).toBe(1);
    expect(proc.output).toContain('DATA_DIR=/proc/nope cannot be used');
    expect(proc.output).toContain('Set DATA_DIR');
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'lookalike-file-')), 'not-a-dir');
    await writeFile(file, 'x');
    const onFile = await start({ DATA_DIR: file }, undefined, 30_000);
    expect(onFile.code).toBe(1);
    expect(onFile.output).toContain('it is a file, not a directory');
    expect(onFile.output).not.toContain('ENOTDIR');
  }, 60_000);

  it('says what to set when PostgreSQL is not there, when REDIS_URL comes alone, and when the port is busy', async () => {
    const port = await freePort();
    const noDb = await start(
      { DATABASE_URL: `postgres://nobody@127.0.0.1:${port}/leads`, ADMIN_TOKEN: 'a-long-enough-admin-token' },
      undefined,
      30_000,
    );
    expect(noDb.code).toBe(1);
    expect(noDb.output).toContain(`is PostgreSQL running and listening on 127.0.0.1:${port}?`);
    const redisOnly = await start({ REDIS_URL: 'redis://127.0.0.1:6379' }, undefined, 30_000);
    expect(redisOnly.code).toBe(1);
    expect(redisOnly.output).toContain('Set DATABASE_URL');

    const busy = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => busy.once('listening', r));
    const busyPort = (busy.address() as { port: number }).port;
    try {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'lookalike-busy-'));
      const run = await start({ DATA_DIR: dataDir, PORT: String(busyPort) }, undefined, 60_000);
      expect(run.code).toBe(1);
      expect(run.output).toContain(`port ${busyPort} is in use (on 127.0.0.1); set PORT`);
      expect(run.output).not.toMatch(/^\s+at /m);
    } finally {
      busy.close();
    }
  }, 120_000);

  it('logs one line per request: JSON when stdout is not a terminal, pretty with LOG_FORMAT=pretty', async () => {
    const port = await freePort();
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lookalike-logs-'));
    const poll = setInterval(() => fetch(`http://127.0.0.1:${port}/health`).catch(() => {}), 300);
    try {
      const json = await start({ DATA_DIR: dataDir, PORT: String(port) }, /"url":"\/health"/);
      const requestLines = json.output.split('\n').filter((l) => l.includes('/health'));
      expect(requestLines.length).toBeGreaterThan(0);
      expect(JSON.parse(requestLines[0])).toMatchObject({
        level: 30,
        method: 'GET',
        url: '/health',
        statusCode: 200,
        msg: expect.stringMatching(/^GET \/health 200 \d+ ms$/),
      });
      expect(json.output).not.toContain('incoming request');
      const pretty = await start({ DATA_DIR: dataDir, PORT: String(port), LOG_FORMAT: 'pretty' }, /GET \/health 200/);
      expect(pretty.output).toMatch(/^\d\d:\d\d:\d\d INFO {2}GET \/health 200 \d+ ms/m);
      expect(pretty.output).toMatch(/report at http:\/\/127\.0\.0\.1:\d+\/report/);
    } finally {
      clearInterval(poll);
    }
  }, 120_000);
});
