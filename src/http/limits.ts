/**
 * Limits on the size and shape of a request, each answered with a 4xx in the standard error shape
 * before the work it would cost: body size (413, unread), JSON nesting and array length (400 and 413,
 * from the text, before parsing), URL length (414), and what Node's HTTP parser refuses before
 * fastify sees a request (header overflow: 431). Prototype keys in JSON are refused by name (400).
 */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.ts';

/** The largest body a route reads unless it says otherwise (the batch routes do). Larger ones are refused unread (413). */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/** Deeper JSON than this is refused; no request of this API nests more than a handful of levels. */
export const MAX_JSON_DEPTH = 64;
/** Longer URLs (path and query) are refused with 414. Node's header limit (16 KiB) caps them anyway. */
export const MAX_URL_LENGTH = 8_192;

/** Longer arrays are refused (413) before parsing: no request of this API sends more than 10,000 items of anything. */
export const MAX_JSON_ARRAY_ITEMS = 10_000;

/**
 * The deepest nesting and the longest array of a JSON text, read in one pass over the text without
 * parsing it (so a body of a million empty objects costs its bytes, not a million objects). Stops
 * as soon as either passes its limit. On text that is not JSON the figures mean nothing; the parser
 * that follows refuses it.
 */
export function jsonShape(text: string, limits: { depth: number; items: number }): { depth: number; items: number } {
  let depth = 0;
  let deepest = 0;
  let longest = 0;
  // Per open container: commas seen directly in it, whether it has any content, whether it is an array.
  const commas = new Uint32Array(limits.depth + 2);
  const filled = new Uint8Array(limits.depth + 2);
  const isArray = new Uint8Array(limits.depth + 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      if (depth > 0) {
        if (isArray[depth] === 1 && filled[depth] === 1) longest = Math.max(longest, commas[depth] + 1);
        depth--;
      }
      continue;
    }
    filled[depth] = 1;
    if (c === 0x2c /* , */) {
      if (++commas[depth] + 1 > limits.items && isArray[depth] === 1) return { depth: deepest, items: commas[depth] + 1 };
    } else if (c === 0x22 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (depth > limits.depth) return { depth, items: longest };
      commas[depth] = 0;
      filled[depth] = 0;
      isArray[depth] = c === 0x5b ? 1 : 0;
    }
  }
  return { depth: deepest, items: longest };
}

/**
 * What makes well-formed JSON refused by fastify's parser (secure-json-parse): a key named `__proto__`,
 * or a `constructor` key holding an object with a `prototype` key; said as a message says it. Null when
 * `text` has neither, or is not JSON. JSON.parse makes such keys plain properties, so reading them is safe.
 */
function prototypeKey(text: string): string | null {
  let found: string | null = null;
  try {
    JSON.parse(text, (key, value) => {
      if (found !== null) return value;
      if (key === '__proto__') found = 'a key named "__proto__"';
      else if (key === 'constructor' && typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype'))
        found = 'a "constructor" key holding a "prototype" key';
      return value;
    });
  } catch {
    return null;
  }
  return found;
}

export function registerRequestLimits(app: FastifyInstance): void {
  // fastify reads text/plain as a string, so JSON sent without its type (fetch's default for a string
  // body) failed validation as "expected object, received string": a 415 saying what to send instead.
  app.removeContentTypeParser('text/plain');
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // No body at all, as clients that label every request JSON send: validated like a request without one.
    if ((body as string).trim() === '') return done(null, undefined);
    // Shape first, from the text: deep or long bodies are refused before they cost a parse.
    const shape = jsonShape(body as string, { depth: MAX_JSON_DEPTH, items: MAX_JSON_ARRAY_ITEMS });
    if (shape.depth > MAX_JSON_DEPTH) {
      return done(new ApiError(400, 'json_too_deep', `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep`), undefined);
    }
    if (shape.items > MAX_JSON_ARRAY_ITEMS) {
      return done(
        new ApiError(413, 'too_many_items', `An array in the JSON body has more than ${MAX_JSON_ARRAY_ITEMS} items; send it in batches`),
        undefined,
      );
    }
    parseJson(request, body as string, (err: Error | null, json?: unknown) => {
      // The parser refuses prototype keys as it refuses broken JSON ("not valid JSON"): a well-formed body is told which rule it broke.
      const key = err ? prototypeKey(body as string) : null;
      if (key === null) return done(err, json);
      done(
        new ApiError(
          400,
          'prototype_key',
          `The JSON body has ${key}, which is not accepted (it could change an object's prototype): rename or remove it`,
        ),
        undefined,
      );
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
