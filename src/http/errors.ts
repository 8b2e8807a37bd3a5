import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataErrorReason } from '../db/errors.ts';
import { DomainError, NotReadyYet, type FailureKind } from '../lib/errors.ts';

export { notFound } from '../lib/errors.ts';

/** The one error shape every 4xx/5xx response uses. */
export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'validation_failed' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/** The one mapping from what went wrong to the status code that says it. */
const STATUS: Record<FailureKind, number> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unsupported_media: 415,
  unprocessable: 422,
  failed: 500,
  unavailable: 503,
};

/** A failure of the HTTP exchange itself (authentication, limits, media types), with its status code. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

function body(code: string, message: string, details?: unknown): ErrorResponse {
  return details === undefined ? { error: { code, message } } : { error: { code, message, details } };
}

export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof ApiError || err instanceof DomainError) {
      const status = err instanceof ApiError ? err.statusCode : STATUS[err.kind];
      if (status >= 500) request.log.error({ err }, 'request failed');
      if (err instanceof NotReadyYet) reply.header('retry-after', String(err.retryAfterSeconds));
      return reply.code(status).send(body(err.code, err.message, err.details));
    }
    // A value the database refused (a safety net behind validation): the client's fault, but never the database's words.
    const reason = dataErrorReason(err);
    if (reason !== null) {
      request.log.warn({ err }, 'the database refused a value that passed validation');
      return reply.code(400).send(body('invalid_value', `The request holds a value the database cannot store: ${reason}`));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        path: `${err.validationContext ?? 'request'}${v.instancePath.replaceAll('/', '.')}`,
        message: v.message,
      }));
      return reply
        .code(400)
        .send(body('validation_failed', `Invalid ${err.validationContext ?? 'request'}: ${issues[0]?.path} ${issues[0]?.message}`, issues));
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response does not match its schema');
      return reply.code(500).send(body('internal_error', `Internal error (request ${request.id})`));
    }
    const status = err.statusCode ?? 500;
    if (status < 500) {
      // fastify's own client errors (bad JSON, body too large, unsupported media type, ...).
      const code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request';
      return reply.code(status).send(body(code, err.message));
    }
    request.log.error({ err }, 'request failed');
    return reply.code(status).send(body('internal_error', `Internal error (request ${request.id})`));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(body('not_found', `No route ${request.method} ${request.url.split('?')[0]}`));
  });
}
