/**
 * Limits on the shape of a request, each answered with a 4xx in the standard error shape:
 * JSON nesting (a 100k-deep body must not reach code that recurses), URL length (414), and what
 * Node's HTTP parser refuses before fastify sees a request (header overflow: 431).
 */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.ts';

/** Deeper JSON than this is refused; no request of this API nests more than a handful of levels. */
export const MAX_JSON_DEPTH = 64;
/** Longer URLs (path and query) are refused with 414. Node's header limit (16 KiB) caps them anyway. */
export const MAX_URL_LENGTH = 8_192;

/** Nesting depth of a parsed JSON value, without recursion; stops counting past `limit`. */
export function jsonDepth(value: unknown, limit = Infinity): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

export function registerRequestLimits(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parseJson(request, body as string, (err: Error | null, value?: unknown) => {
      if (err) return done(err, undefined);
      if (jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
        return done(new ApiError(400, 'json_too_deep', `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep`), undefined);
      }
      done(null, value);
    });
  });
  app.addHook('onRequest', async (request) => {
    if (request.url.length > MAX_URL_LENGTH) {
      throw new ApiError(
        414,
        'uri_too_long',
        `The URL is ${request.url.length} characters long; at most ${MAX_URL_LENGTH} are accepted (send long filters in a body)`,
      );
    }
  });
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/**
 * Answers what Node's HTTP parser refuses (fastify's `clientErrorHandler`), in the standard error shape:
 * headers (or a request line) over the header size limit → 431, a timeout → 408, anything else → 400.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const [status, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          'headers_too_large',
          'The request line and headers are larger than the server accepts (16 KiB); a URL that long should be a request body',
        ]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'The request took too long to arrive']
        : [400, 'bad_request', 'The request is not valid HTTP'];
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
