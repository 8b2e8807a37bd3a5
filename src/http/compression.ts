/**
 * Responses compressed as the client's Accept-Encoding asks: a prospect page of 100 (≈ 170 kB of JSON)
 * is ≈ 27 kB gzipped, which matters to clients across a network. Bodies under 1 kB go as they are.
 * Brotli at quality 4 costs about what gzip's default level does (docs/performance.md); its default (11)
 * would cost many times more CPU than the page itself. The plugin compresses every response as it is
 * sent; a prospect page is compressed by its route instead, once, and kept compressed (src/prospects/page-cache.ts).
 * Both choose the coding with negotiatedCoding.
 */
import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';
import { promisify } from 'node:util';
import { brotliCompress, constants, deflate, gzip } from 'node:zlib';
import { weights } from './negotiation.ts';

export const COMPRESSION_THRESHOLD_BYTES = 1024;

/**
 * The content codings offered, preferred in this order when the client weighs them the same, `*` included
 * (RFC 9110 leaves that choice to the server). Brotli first: at quality 4 it costs no more CPU than gzip
 * (docs/performance.md), and one order everywhere means the copy of a page kept for browsers (which list
 * `gzip, deflate, br`) is the one a client saying `*` gets too.
 */
const CODINGS = ['br', 'gzip', 'deflate'] as const;
export type ContentCoding = (typeof CODINGS)[number];

const BROTLI_OPTIONS = { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } };

const [brotliAsync, gzipAsync, deflateAsync] = [promisify(brotliCompress), promisify(gzip), promisify(deflate)];

/** Each coding as the plugin applies it (zlib's defaults but brotli's quality); off the event loop. A test counts the calls. */
export const compressors: Record<ContentCoding, (body: Buffer) => Promise<Buffer>> = {
  br: (body) => brotliAsync(body, BROTLI_OPTIONS),
  gzip: (body) => gzipAsync(body),
  deflate: (body) => deflateAsync(body),
};

/** `body` in `coding`, or null when it goes as it is (under the threshold, as the plugin leaves it). */
export async function compressedBody(coding: ContentCoding, body: Buffer): Promise<Buffer | null> {
  return body.length < COMPRESSION_THRESHOLD_BYTES ? null : compressors[coding](body);
}

/**
 * The coding a response to `acceptEncoding` goes in (RFC 9110 §12.5.3): the offered one the client weighs
 * highest, ties to the order above; `*` weighs the codings it does not name, q=0 excludes, `x-gzip` is gzip.
 * Null: none, and then the response goes plain even where identity too is refused (`identity;q=0`, `*;q=0`):
 * a 406 is allowed there but helps no client (docs/architecture.md, "Compression and conditional requests").
 */
export function negotiatedCoding(acceptEncoding: string | undefined): ContentCoding | null {
  if (!acceptEncoding) return null;
  const weighed = weights(acceptEncoding);
  let chosen: ContentCoding | null = null;
  let weight = 0;
  for (const coding of CODINGS) {
    const q = weighed.get(coding) ?? (coding === 'gzip' ? weighed.get('x-gzip') : undefined) ?? weighed.get('*') ?? 0;
    if (q > weight) [chosen, weight] = [coding, q];
  }
  return chosen;
}

export async function registerCompression(app: FastifyInstance): Promise<void> {
  // The plugin has a rule of its own (it reads `*` as gzip, even after gzip;q=0): it is handed the coding
  // negotiatedCoding chose, as the request's only acceptable one, so one rule decides every response.
  app.addHook('onRequest', async (request) => {
    request.headers['accept-encoding'] = negotiatedCoding(request.headers['accept-encoding']) ?? 'identity';
  });
  await app.register(compress, {
    global: true,
    threshold: COMPRESSION_THRESHOLD_BYTES,
    encodings: [...CODINGS],
    brotliOptions: BROTLI_OPTIONS,
  });
}
