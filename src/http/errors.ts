import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataErrorReason } from '../db/errors.ts';
import { DomainError, MAX_ERROR_DETAILS, NotReadyYet, type FailureKind } from '../lib/errors.ts';

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

/** The media types a route reads: an upload's declared ones (`consumes`), else JSON. */
const readTypes = (request: FastifyRequest) =>
  ((request.routeOptions.schema as { consumes?: string[] } | undefined)?.consumes ?? ['application/json']).join(' or ');

function unsupportedMediaMessage(request: FastifyRequest): string {
  return `This route does not read ${request.headers['content-type'] ?? 'a body without a content type'}; send ${readTypes(request)}`;
}

/** A body in a media type the route does not read (415), saying which it reads. */
export const unsupportedMedia = (request: FastifyRequest) => new ApiError(415, 'unsupported_media_type', unsupportedMediaMessage(request));

/** Our words for fastify's own client errors, by its error code; any other keeps fastify's message. */
const FRAMEWORK_ERRORS: Record<string, (request: FastifyRequest) => [code: string, message: string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: (request) => [
    'payload_too_large',
    `The body is larger than ${request.routeOptions.bodyLimit} bytes, the most ${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]} reads`,
  ],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (request) => ['unsupported_media_type', unsupportedMediaMessage(request)],
  FST_ERR_CTP_INVALID_JSON_BODY: () => ['bad_request', 'The body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: () => ['bad_request', 'The content type is application/json but the body is empty'],
  FST_ERR_BAD_URL: () => ['bad_url', 'The URL holds an invalid percent-encoding'],
  FST_ERR_MAX_PARAM_LENGTH: () => [
    'path_parameter_too_long',
    `A path parameter is longer than ${MAX_PATH_PARAMETER_LENGTH} characters (a domain has at most 253)`,
  ],
};

/** Longest path parameter the router accepts: a domain of the maximum length. */
export const MAX_PATH_PARAMETER_LENGTH = 253;

/**
 * fastify's own client errors (bad URL, too long a path parameter, bad JSON, body too large,
 * unsupported media type, ...) in our shape, and logged: they are often a client's misconfiguration.
 * Also fastify's `frameworkErrors` handler, for the errors its router answers before any hook runs.
 */
export function sendFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  const known = FRAMEWORK_ERRORS[err.code]?.(request);
  const [code, message] = known ?? [
    status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request',
    err.message,
  ];
  request.log.info({ code: err.code, method: request.method, url: request.url, statusCode: status }, `refused: ${message}`);
  return reply.code(status).send(body(code, message));
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
      const where = err.validationContext ?? 'request';
      // A body of many bad rows has many issues: the answer stays small, and says how many there were.
      const issues = err.validation.slice(0, MAX_ERROR_DETAILS).map((v) => ({
        path: `${where}${v.instancePath.replaceAll('/', '.')}`,
        message: v.message,
      }));
      const total = err.validation.length;
      const first = `${issues[0]?.path} ${issues[0]?.message}`;
      const message =
        total === 1
          ? `Invalid ${where}: ${first}`
          : `Invalid ${where}: ${total} problems (the first ${issues.length} in details); the first: ${first}`;
      return reply.code(400).send(body('validation_failed', message, issues));
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response does not match its schema');
      return reply.code(500).send(body('internal_error', `Internal error (request ${request.id})`));
    }
    const status = err.statusCode ?? 500;
    if (status < 500) return sendFrameworkError(err, request, reply);
    request.log.error({ err }, 'request failed');
    return reply.code(status).send(body('internal_error', `Internal error (request ${request.id})`));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(body('not_found', `No route ${request.method} ${request.url.split('?')[0]}`));
  });
}
