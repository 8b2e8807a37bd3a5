/**
 * Fail-fast start-up checks and messages a person can act on: an unusable DATA_DIR, a database that
 * cannot be reached or refuses us, a busy port. `npm start` and `npm run worker` print the message and exit 1.
 */
import { constants } from 'node:fs';
import { access, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A start-up failure whose message says what to do; printed without a stack. */
export class StartupError extends Error {}

const errno = (err: unknown) => (err as NodeJS.ErrnoException | undefined)?.code;

/**
 * Makes sure DATA_DIR is a directory this process can write, creating it if needed. Parents are created
 * one by one (not with `mkdir -p`, which spins for ever on paths such as /proc/nope on Node 20).
 */
export async function checkDataDir(dataDir: string): Promise<void> {
  const target = path.resolve(dataDir);
  const problem = (reason: string) =>
    new StartupError(`DATA_DIR=${dataDir} cannot be used: ${reason}. Set DATA_DIR to a directory this process can write (default ./data).`);
  const missing: string[] = [];
  let existing = target;
  for (;;) {
    try {
      const info = await stat(existing);
      if (!info.isDirectory())
        throw problem(existing === target ? 'it is a file, not a directory' : `${existing} is a file, not a directory`);
      break;
    } catch (err) {
      if (err instanceof StartupError) throw err;
      if (errno(err) === 'ENOTDIR') throw problem(`a part of ${target} is a file, not a directory`);
      if (errno(err) !== 'ENOENT') throw problem((err as Error).message);
      missing.unshift(existing);
      const parent = path.dirname(existing);
      if (parent === existing) throw problem('no part of the path exists');
      existing = parent;
    }
  }
  try {
    for (const dir of missing) await mkdir(dir);
    await access(target, constants.W_OK);
    const probe = path.join(target, `.write-test-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe);
  } catch (err) {
    const code = errno(err);
    const reason =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EROFS'
          ? 'the file system is read-only'
          : code === 'ENOENT'
            ? `${missing[0] ?? target} cannot be created there`
            : (err as Error).message;
    throw problem(reason);
  }
}

/** Where DATABASE_URL points, without its password. */
export function databaseWhere(url: string): { host: string; port: string; database: string; user: string } {
  try {
    const u = new URL(url);
    return {
      host: u.hostname || 'localhost',
      port: u.port || '5432',
      database: decodeURIComponent(u.pathname.slice(1)) || '(default)',
      user: decodeURIComponent(u.username) || '(default)',
    };
  } catch {
    return { host: '?', port: '?', database: '?', user: '?' };
  }
}

/** A database connection error as a message with a hint; anything else unchanged. */
export function explainDatabaseError(err: unknown, url: string | undefined): Error {
  if (!url || !(err instanceof Error)) return err instanceof Error ? err : new Error(String(err));
  const { host, port, database, user } = databaseWhere(url);
  const at = `PostgreSQL at ${host}:${port} (DATABASE_URL)`;
  // A failed migration carries the database's error as its cause.
  const code = errno(err) ?? errno(err.cause);
  const message = err.cause instanceof Error ? err.cause.message : err.message;
  const hint = (() => {
    switch (code) {
      case 'ECONNREFUSED':
        return `${at} refused the connection: is PostgreSQL running and listening on ${host}:${port}?`;
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return `${at}: the host name ${host} does not resolve; check DATABASE_URL`;
      case 'ETIMEDOUT':
      case 'EHOSTUNREACH':
        return `${at} did not answer: is the host reachable, and does a firewall let port ${port} through?`;
      case '28000':
        return `${at}: ${message}. Does the role "${user}" exist? Create it (createuser ${user}) or fix the user name in DATABASE_URL`;
      case '28P01':
        return `${at}: ${message}. Check the password in DATABASE_URL`;
      case '3D000':
        return `${at}: ${message}. Create it (createdb ${database}) or fix the database name in DATABASE_URL`;
      case '42501':
        return `${at}: ${message}. The role "${user}" needs the right to create tables in "${database}" (migrations run at start)`;
      case '0A000':
      case '58P01':
        return /vector/.test(message)
          ? `${at}: ${message}. Install the pgvector extension on the server (https://github.com/pgvector/pgvector)`
          : null;
      default:
        return null;
    }
  })();
  if (hint) return new StartupError(`Cannot use the database: ${hint}.`);
  if (/password authentication|SASL|no pg_hba\.conf entry/i.test(message))
    return new StartupError(`Cannot use the database: ${at}: ${message}. Check the user and password in DATABASE_URL, and pg_hba.conf.`);
  return err;
}

/** A failed `listen` as a message that says what to set. */
export function explainListenError(err: unknown, port: number, host: string): Error {
  const code = errno(err);
  if (code === 'EADDRINUSE')
    return new StartupError(`port ${port} is in use (on ${host}); set PORT to a free port, or stop the process using it.`);
  if (code === 'EACCES') return new StartupError(`port ${port} needs privileges this process lacks; set PORT to 1024 or above.`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new StartupError(`cannot listen on ${host}: no such interface here; set HOST (127.0.0.1, or 0.0.0.0 for every interface).`);
  return err instanceof Error ? err : new Error(String(err));
}
