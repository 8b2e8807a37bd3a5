// The compute thread's entry (plain JS: a worker thread starts without the parent's TypeScript loader,
// so it registers tsx itself, then imports the task modules it is asked to run).
//
// A task that returns a result runs at once, to the end. A task that returns a generator (steps: a tree,
// a fold) is run a slice at a time, and the owners of such tasks (workspaces) take turns: one slice of the
// first owner's oldest task, then the next owner's, and so on. A large training of one workspace then
// shares the thread with a small one of another instead of holding it for minutes; messages (new tasks)
// are read between slices.
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();

/** How long one owner's task runs before the next owner gets its turn. */
const SLICE_MS = workerData?.sliceMs ?? 50;

/** Owner → its stepped tasks, oldest first. The Map's order is the rotation: an owner that ran goes to the back. */
const turns = new Map();
let turning = false;

const isSteps = (value) =>
  value !== null && typeof value === 'object' && typeof value.next === 'function' && typeof value[Symbol.iterator] === 'function';

function postError(id, err) {
  // A DomainError (kind and code) crosses as one, so its message still reaches clients as ours.
  const domain = err && typeof err.kind === 'string' && typeof err.code === 'string' ? { kind: err.kind, code: err.code } : undefined;
  parentPort.postMessage({
    id,
    error: { message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined, domain },
  });
}

function turn() {
  const [owner, tasks] = turns.entries().next().value;
  turns.delete(owner);
  const task = tasks[0];
  const until = performance.now() + SLICE_MS;
  try {
    let step;
    do step = task.steps.next();
    while (!step.done && performance.now() < until);
    if (step.done) {
      tasks.shift();
      parentPort.postMessage({ id: task.id, result: step.value });
    }
  } catch (err) {
    tasks.shift();
    postError(task.id, err);
  }
  if (tasks.length > 0) turns.set(owner, tasks);
  // setImmediate, not a loop: messages that arrived meanwhile are read before the next slice.
  if (turns.size > 0) setImmediate(turn);
  else turning = false;
}

parentPort.on('message', async ({ id, module, task, input, owner }) => {
  try {
    const exports = await import(module);
    if (typeof exports[task] !== 'function') throw new Error(`${module} exports no task ${task}`);
    const result = exports[task](input);
    if (!isSteps(result)) {
      parentPort.postMessage({ id, result: await result });
      return;
    }
    const tasks = turns.get(owner) ?? [];
    tasks.push({ id, steps: result });
    turns.set(owner, tasks);
    if (!turning) {
      turning = true;
      setImmediate(turn);
    }
  } catch (err) {
    postError(id, err);
  }
});
