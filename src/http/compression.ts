/**
 * Responses compressed as the client's Accept-Encoding asks: a prospect page of 100 (≈ 170 kB of JSON)
 * is ≈ 27 kB gzipped, which matters to clients across a network. Bodies under 1 kB go as they are.
 * Brotli at quality 4 costs about what gzip's default level does (docs/performance.md); its default (11)
 * would cost many times more CPU than the page itself.
 */
import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';
import { constants } from 'node:zlib';

export const COMPRESSION_THRESHOLD_BYTES = 1024;

export async function registerCompression(app: FastifyInstance): Promise<void> {
  await app.register(compress, {
    global: true,
    threshold: COMPRESSION_THRESHOLD_BYTES,
    encodings: ['br', 'gzip', 'deflate'],
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
  });
}
