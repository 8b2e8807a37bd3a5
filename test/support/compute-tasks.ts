// Tasks for the compute thread's tests (src/compute/thread.ts): CPU work of a chosen length, stepped or whole.
import { computeTask } from '../../src/compute/thread.ts';
import { DomainError } from '../../src/lib/errors.ts';

/** Keeps the thread busy for `ms`. */
function spin(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

/** `steps` steps of `stepMs` each, yielding between them; returns how many ran. */
export function* steppedWork(input: { steps: number; stepMs: number }): Generator<void, number, void> {
  for (let i = 0; i < input.steps; i++) {
    spin(input.stepMs);
    yield;
  }
  return input.steps;
}

/** `ms` of work in one piece. */
export function wholeWork(input: { ms: number }): number {
  spin(input.ms);
  return input.ms;
}

/** Fails after a step, as training fails on data it cannot learn from: with a DomainError. */
export function* failingWork(): Generator<void, never, void> {
  yield;
  throw new DomainError('unprocessable', 'training_data', 'The training data cannot train a forest: test');
}

export const STEPPED_WORK = computeTask(import.meta.url, steppedWork);
export const WHOLE_WORK = computeTask(import.meta.url, wholeWork);
export const FAILING_WORK = computeTask(import.meta.url, failingWork);
