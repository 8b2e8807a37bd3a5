/**
 * Failures a caller can act on, thrown by services and jobs. They say what went wrong (`kind`, `code`),
 * not how a protocol answers it: src/http/errors.ts maps each kind to a status code.
 */
export type FailureKind =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'too_large'
  | 'unsupported_media'
  | 'unprocessable'
  | 'failed'
  | 'unavailable';

/** Problems listed in an error's details at most; its message gives the total. Keeps an answer small whatever the input. */
export const MAX_ERROR_DETAILS = 20;

export class DomainError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** A 400 listing what is wrong with a request's values: the first MAX_ERROR_DETAILS of them, and how many there are. */
export function invalidValues(code: string, errors: string[]): DomainError {
  const listed = errors.slice(0, MAX_ERROR_DETAILS);
  const more = errors.length > listed.length ? ` (and ${errors.length - listed.length} more)` : '';
  return new DomainError('invalid', code, `${listed.join('; ')}${more}`, { errors: listed, count: errors.length });
}

export const notFound = (what: string) => new DomainError('not_found', 'not_found', `${what} not found`);

/** Not possible yet, but under way: asking again in about `retryAfterSeconds` may succeed (a Retry-After header). */
export class NotReadyYet extends DomainError {
  constructor(
    code: string,
    message: string,
    details: unknown,
    readonly retryAfterSeconds: number,
  ) {
    super('conflict', code, message, details);
  }
}

/** The job queue (Redis) cannot be reached, so nothing was started. */
export class QueueUnavailable extends DomainError {
  constructor() {
    super('unavailable', 'queue_unavailable', 'The job queue (Redis) is unreachable, so nothing was started; retry in a moment');
  }
}

/**
 * What a client may read about a failure (a job's or a model's `error`): a DomainError's message, which
 * is written for clients; anything else (a database's, a driver's or a library's text) stays in the
 * logs, and the client reads `fallback`.
 */
export function publicMessage(err: unknown, fallback: string): string {
  return err instanceof DomainError ? err.message : fallback;
}
