/**
 * Background CSV imports (`POST /v1/accounts/import?async=true`) read a spooled file that only the
 * process that received it has, so they run in that process, not on the job queue. A restart or a
 * crash cuts them short: at the next start the process ends its own interrupted imports as failed,
 * with a reason, and deletes their spooled files. Re-running an import is safe: rows upsert by domain,
 * and rows already stored report as unchanged.
 */
import { readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Queryable } from '../db/pool.ts';
import { failJob, unfinishedJobs } from '../jobs/repository.ts';

export const IMPORT_JOB = 'accounts.import';

/** Which process runs an import: recorded as the job's payload. */
export const importOwner = () => ({ host: os.hostname(), pid: process.pid });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export const INTERRUPTED_IMPORT =
  'Interrupted: the service stopped while importing. Rows stored before the stop are kept; send the file again to import the rest (safe: rows upsert by domain).';

/**
 * Fails the unfinished imports of processes on this host that are gone (this one included, when it
 * was restarted under the same pid), and removes spooled files no running import reads.
 * Returns the ids of the jobs it ended.
 */
export async function endInterruptedImports(db: Queryable, spoolDir: string): Promise<string[]> {
  const host = os.hostname();
  const ended: string[] = [];
  const running = new Set<string>();
  for (const job of await unfinishedJobs(db, [IMPORT_JOB])) {
    const owner = job.payload as Partial<ReturnType<typeof importOwner>>;
    const ours = owner.host === host || owner.host === undefined;
    if (ours && (owner.pid === undefined || owner.pid === process.pid || !alive(owner.pid))) ended.push(job.id);
    else running.add(job.id);
  }
  // Files first: once a job reads as failed, its file is gone.
  const files = await readdir(spoolDir).catch(() => [] as string[]);
  for (const file of files) {
    if (!running.has(path.basename(file, '.csv'))) await rm(path.join(spoolDir, file), { force: true });
  }
  for (const id of ended) await failJob(db, id, INTERRUPTED_IMPORT);
  return ended;
}
