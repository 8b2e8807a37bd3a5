// The compute thread's entry (plain JS: a worker thread starts without the parent's TypeScript loader,
// so it registers tsx itself, then imports the task modules it is asked to run).
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();

parentPort.on('message', async ({ id, module, task, input }) => {
  try {
    const exports = await import(module);
    if (typeof exports[task] !== 'function') throw new Error(`${module} exports no task ${task}`);
    parentPort.postMessage({ id, result: await exports[task](input) });
  } catch (err) {
    parentPort.postMessage({
      id,
      error: { message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined },
    });
  }
});
