/**
 * Requests before background work on the embedded database. PGlite is one connection, and statements
 * queue for it first come, first served: each of a page's half-dozen statements waited behind a
 * statement of another workspace's import or job (a 2,000-account batch holds it ≈ 0.3 s), so a page
 * took 1–2 s while anyone imported. Bulk work (jobs, CSV imports and exports) runs inBackground; before
 * each of its statements it waits for the requests in flight at that moment to end. Requests that
 * arrive later do not lengthen that wait, so bulk work is slowed, never starved. On PostgreSQL,
 * statements do not queue behind each other (a pool of connections) and nothing waits.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const background = new AsyncLocalStorage<true>();

/** The longest a bulk statement waits, should a request's end never be told (a safety net: requests end far sooner). */
const MAX_WAIT_MS = 10_000;

/** Runs `work` as bulk work: its statements yield to requests' (see above). */
export const inBackground = <T>(work: () => Promise<T>): Promise<T> => background.run(true, work);

/** `items` read as bulk work: each step of the generator runs inBackground, whoever consumes it. */
export async function* backgroundItems<T>(items: AsyncGenerator<T>): AsyncGenerator<T> {
  for (;;) {
    const step = await inBackground(() => items.next());
    if (step.done) return;
    yield step.value;
  }
}

/** The requests in flight on one database, and the bulk statements waiting for them. */
export class RequestPriority {
  private next = 0;
  private readonly inFlight = new Set<number>();
  private waiting: { requests: Set<number>; resume: () => void }[] = [];

  /** A request starts; call what it returns when it ends (more calls do nothing). */
  begin(): () => void {
    const id = this.next++;
    this.inFlight.add(id);
    return () => {
      if (!this.inFlight.delete(id)) return;
      this.waiting = this.waiting.filter(({ requests, resume }) => {
        requests.delete(id);
        if (requests.size === 0) resume();
        return requests.size > 0;
      });
    };
  }

  /** Outside bulk work, or with no request in flight, nothing; in bulk work, once the requests in flight now have ended. */
  turn(): Promise<void> | undefined {
    if (this.inFlight.size === 0 || !background.getStore()) return undefined;
    return new Promise((resume) => {
      this.waiting.push({ requests: new Set(this.inFlight), resume });
      setTimeout(resume, MAX_WAIT_MS).unref();
    });
  }
}
