/**
 * Long computations written as generators that yield between steps (a tree, a fold): the compute thread
 * interleaves them across workspaces a slice at a time (src/compute/worker.mjs); anywhere else they simply
 * run to the end.
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs the steps to the end and returns their result. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
