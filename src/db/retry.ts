/**
 * Concurrent writers on PostgreSQL: a transaction the server aborted so that another could go on (a
 * deadlock, 40P01, or a serialisation failure, 40001) did nothing and can simply run again. Every
 * statement outside a transaction and every `withTransaction` goes through `retryConflicts` (src/db/pool.ts),
 * so repositories need no retry code of their own; writing batches in a stable order (by domain) keeps
 * such aborts rare in the first place.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from '../lib/errors.ts';

/** SQLSTATEs of a transaction aborted for a conflict with another one: safe to run again as a whole. */
const CONFLICT_CODES = new Set(['40P01', '40001']);

/** Attempts in all, the first included: a few, since each retry waits for the other writer to finish. */
export const CONFLICT_ATTEMPTS = 5;
/** The wait before the second attempt is drawn from 0 to this; it doubles for each attempt after. */
const FIRST_BACKOFF_MS = 25;

export const isConflict = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONFLICT_CODES.has(code);
};

/** Concurrent writes kept colliding after every retry: the client may try again in a moment. */
export class WriteConflict extends DomainError {
  constructor(cause: unknown) {
    super(
      'unavailable',
      'write_conflict',
      'Concurrent writes to the same records kept colliding, so nothing of this request was stored; retry in a moment',
    );
    this.cause = cause;
  }
}

/**
 * Runs `work`, and again (at most CONFLICT_ATTEMPTS times in all, after a random wait that doubles each
 * time, so two colliding writers do not meet again in step) while PostgreSQL aborts it for a conflict.
 * `work` must be a statement or a whole transaction: a statement inside a transaction cannot be retried
 * alone. Throws WriteConflict (a 503) when the attempts run out.
 */
export async function retryConflicts<T>(work: () => Promise<T>, attempts = CONFLICT_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isConflict(err)) throw err;
      if (attempt >= attempts) throw new WriteConflict(err);
      await sleep(Math.random() * FIRST_BACKOFF_MS * 2 ** (attempt - 1));
    }
  }
}
