/**
 * Background CSV imports (`POST /v1/accounts/import?async=true`) as the 'accounts.import' job. It reads a
 * spooled file that only the process that received it has, so it runs in that process ('here'), not on
 * the job queue. A restart or a crash cuts it short: at the next start the process ends its own
 * interrupted imports as failed, with a reason, and deletes their spooled files. Re-running an import is
 * safe: rows upsert by domain, and rows already stored report as unchanged.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { Queryable } from '../db/pool.ts';
import { DELIMITERS } from '../lib/csv.ts';
import type { Enqueue, JobHandlers, UnfinishedJob } from '../jobs/queue.ts';
import { failJob } from '../jobs/repository.ts';
import { ACCOUNT_COLUMNS, type AccountColumn } from './row.ts';
import { importAccountsCsv, type ImportSummary } from './service.ts';

/** Which process runs an import, and how to read the file (mapping, separator) as it was sent: recorded as the job's payload. */
const AccountsImport = z.object({
  host: z.string(),
  pid: z.number().int(),
  mapping: z.record(z.string(), z.enum(ACCOUNT_COLUMNS as [AccountColumn, ...AccountColumn[]]).nullable()).optional(),
  skipMissing: z.boolean().optional(),
  delimiter: z.enum(DELIMITERS).optional(),
});

declare module '../jobs/types.ts' {
  interface JobPayloads {
    'accounts.import': z.infer<typeof AccountsImport>;
  }
}

export const importOwner = () => ({ host: os.hostname(), pid: process.pid });

/** Where an import's upload waits for it. */
export const spoolFile = (spoolDir: string, jobId: string) => path.join(spoolDir, `${jobId}.csv`);

export interface ImportJobDeps {
  /** Where async CSV imports are spooled before the background import reads them. */
  spoolDir: string;
  /** Called after accounts were stored, with what changed (schedules re-vectorising). */
  onAccountsChanged: (enqueue: Enqueue, workspaceId: string, counts: { inserted: number; updated: number }) => Promise<unknown>;
}

export function importJobs(deps: ImportJobDeps): Pick<JobHandlers, 'accounts.import'> {
  return {
    'accounts.import': {
      payload: AccountsImport,
      queue: 'here',
      process: async ({ pool, job, progress, enqueue }) => {
        const file = spoolFile(deps.spoolDir, job.id);
        try {
          const summary = await importAccountsCsv(
            pool,
            job.workspaceId,
            createReadStream(file),
            { mapping: job.payload.mapping, skipMissing: job.payload.skipMissing, delimiter: job.payload.delimiter },
            (p) => progress({ ...p }),
          );
          await deps.onAccountsChanged(enqueue, job.workspaceId, summary);
          return summary;
        } finally {
          await rm(file, { force: true });
        }
      },
      describe: (result) => {
        const r = result as ImportSummary;
        return `${r.rows} rows: ${r.inserted} inserted, ${r.updated} updated, ${r.unchanged} unchanged, ${r.rejectedCount} rejected`;
      },
      interrupted: (db, jobs) => endInterruptedImports(db, deps.spoolDir, jobs),
    },
  };
}

/**
 * Whether a process still runs. A killed process whose parent died with it stays a zombie until init
 * reaps it, and a container's init may take its time: signal 0 still reaches a zombie, so on Linux its
 * state is read too.
 */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (!existsSync('/proc/self/stat')) return true; // not Linux: signal 0 is all there is
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false; // gone since the signal
  }
};

export const INTERRUPTED_IMPORT =
  'Interrupted: the service stopped while importing. Rows stored before the stop are kept; send the file again to import the rest (safe: rows upsert by domain).';

/**
 * Fails the unfinished imports of processes on this host that are gone (this one included, when it
 * was restarted under the same pid), and removes spooled files no running import reads.
 * Returns the ids of the jobs it ended.
 */
async function endInterruptedImports(db: Queryable, spoolDir: string, unfinished: UnfinishedJob[]): Promise<string[]> {
  const host = os.hostname();
  const ended: string[] = [];
  const running = new Set<string>();
  for (const job of unfinished) {
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
