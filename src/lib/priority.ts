/**
 * Requests before bulk work in this process. Bulk work (jobs, CSV imports) runs inBackground; before
 * each step that could hold up a request (a statement on the embedded database, a chunk of a CSV to
 * parse and check on this thread) it waits for the requests in flight at that moment to end (those in
 * flight for less than PRIORITY_MS). Requests that arrive later do not lengthen the wait, so bulk work
 * is slowed, never starved.
 *
 * Why: PGlite is one connection on this thread, and statements queue for it first come, first served;
 * each page statement also waits a turn of the event loop, and an import's turn parses a whole chunk
 * of its upload. So each of a page's ~8 statements waited behind a 2,000-account batch or a chunk of
 * another workspace's import: 1.6–3.7 s a page while it ran.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const background = new AsyncLocalStorage<true>();

/** The longest a bulk step waits, should a request's end never be told (a safety net: requests end far sooner). */
const MAX_WAIT_MS = 10_000;

/**
 * How long a request keeps its priority. A request ends when its response is read, so a download read
 * slowly (a CSV at 2 kB/s) stayed in flight for minutes, and every workspace's bulk work waited
 * MAX_WAIT_MS before each statement: one workspace's slow download stopped the others' scoring.
 */
export const PRIORITY_MS = MAX_WAIT_MS;

let nextRequest = 0;
/** Requests in flight, by id: when each started. */
const inFlight = new Map<number, number>();
let waiting: { requests: Set<number>; resume: () => void }[] = [];

/** Runs `work` as bulk work: its steps yield to requests (see above). */
export const inBackground = <T>(work: () => Promise<T>): Promise<T> => background.run(true, work);

/** A request starts; call what it returns when it ends (more calls do nothing). */
export function requestStarted(): () => void {
  const id = nextRequest++;
  inFlight.set(id, Date.now());
  return () => {
    if (!inFlight.delete(id)) return;
    waiting = waiting.filter(({ requests, resume }) => {
      requests.delete(id);
      if (requests.size === 0) resume();
      return requests.size > 0;
    });
  };
}

/**
 * Outside bulk work, or with no request in flight for less than PRIORITY_MS, nothing; in bulk work,
 * resolves once those requests have ended.
 */
export function yieldToRequests(): Promise<void> | undefined {
  if (inFlight.size === 0 || !background.getStore()) return undefined;
  const since = Date.now() - PRIORITY_MS;
  const requests = new Set([...inFlight].filter(([, started]) => started > since).map(([id]) => id));
  if (requests.size === 0) return undefined;
  return new Promise((resume) => {
    waiting.push({ requests, resume });
    setTimeout(resume, MAX_WAIT_MS).unref();
  });
}
