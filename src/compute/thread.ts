/**
 * CPU-bound work (growing forests, cross-validation, scoring a universe) runs on one worker thread,
 * not on the event loop that answers requests: in embedded mode the API, the jobs and PGlite share
 * one process, and a 20 s training on the main thread would stall every tenant's requests (and
 * BullMQ workers' lock renewals). Tasks are plain exported functions of a module, called with
 * structured-clonable input. A function that returns a result runs to the end when its message is
 * read (scoring a batch: a fraction of a second). A generator function (training a forest, a tree at a
 * time) is run in slices, the owners of such tasks taking turns (./worker.mjs): a maximum-budget
 * training of one workspace shares the thread with another workspace's small one instead of making it
 * wait for minutes.
 *
 * Infrastructure only: which functions run here is decided by the modules that declare them with
 * `computeTask` and call `runTask`.
 */
import { Worker } from 'node:worker_threads';
import { DomainError, type FailureKind } from '../lib/errors.ts';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface TaskError {
  message: string;
  stack?: string;
  /** Set when the task threw a DomainError: its message is written for clients. */
  domain?: { kind: FailureKind; code: string };
}

/** The task's error on this side of the thread, a DomainError again if it was one. */
function rebuiltError({ message, stack, domain }: TaskError): Error {
  const err = domain ? new DomainError(domain.kind, domain.code, message) : new Error(message);
  return Object.assign(err, { stack });
}

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function thread(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./worker.mjs', import.meta.url));
  w.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: TaskError }) => {
    const task = pending.get(id);
    if (!task) return;
    pending.delete(id);
    if (pending.size === 0) w.unref();
    if (error) task.reject(rebuiltError(error));
    else task.resolve(result);
  });
  // A crashed thread fails what it was running; the next task starts a new one.
  const fail = (err: Error) => {
    if (worker === w) worker = null;
    for (const task of pending.values()) task.reject(err);
    pending.clear();
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`compute thread exited with code ${code}`)));
  worker = w;
  return w;
}

// biome-ignore lint/suspicious/noExplicitAny: a task's input type is whatever its function takes
type TaskFunction = (input: any) => unknown;

/** What a task returns: a generator task's return value, else the (awaited) result. */
export type TaskResult<F extends TaskFunction> = ReturnType<F> extends Generator<unknown, infer R, unknown> ? R : Awaited<ReturnType<F>>;

/**
 * A function the compute thread can run: the module that exports it and its name, typed by the function
 * itself, so a call's input and result are checked and "go to definition" reaches the function.
 */
export interface ComputeTask<F extends TaskFunction> {
  readonly module: string;
  readonly name: string;
  /** Never read: carries the function's type. */
  readonly fn?: F;
}

/** The task for `fn`, an exported function (declared with its own name) of the module at `module` (its `import.meta.url`). */
export function computeTask<F extends TaskFunction>(module: string, fn: F): ComputeTask<F> {
  return { module, name: fn.name };
}

/**
 * Runs `task` on the compute thread and returns its result. `owner` (a workspace id) is whose turn a
 * generator task's slices are counted to.
 */
export function runTask<F extends TaskFunction>(task: ComputeTask<F>, input: Parameters<F>[0], owner = 'shared'): Promise<TaskResult<F>> {
  const w = thread();
  const id = nextId++;
  w.ref(); // keep the process alive while a task runs
  return new Promise<TaskResult<F>>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    w.postMessage({ id, module: task.module, task: task.name, input, owner });
  });
}

/** Stops the compute thread (shutdown, tests); a later task starts a new one. */
export async function stopComputeThread(): Promise<void> {
  const w = worker;
  worker = null;
  if (w) await w.terminate();
}

/** A task that does nothing: `warmComputeThread` runs it so the thread has started and loaded its loader. */
export function ping(): boolean {
  return true;
}
const PING = computeTask(import.meta.url, ping);

/**
 * Starts the compute thread now rather than at the first task (a second or two to register the
 * TypeScript loader): worker processes call it at start, so their first job is not the slow one.
 */
export async function warmComputeThread(): Promise<void> {
  await runTask(PING, undefined);
}
