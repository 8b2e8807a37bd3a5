import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Makes `dir` private to this user: from now on the process creates files 0600 and directories
 * 0700 (umask 077), and what is already there (an older data directory: PGlite wrote its files
 * 0666) is changed to that once. Symbolic links are left alone.
 */
export async function makePrivate(dir: string): Promise<void> {
  process.umask(0o077);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const pending = [path.resolve(dir)];
  while (pending.length > 0) {
    const current = pending.pop()!;
    const stat = await lstat(current);
    if (stat.isSymbolicLink()) continue;
    const mode = stat.isDirectory() ? 0o700 : 0o600;
    if ((stat.mode & 0o777) !== mode) await chmod(current, mode);
    if (stat.isDirectory()) for (const entry of await readdir(current)) pending.push(path.join(current, entry));
  }
}
