import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.ts';

/**
 * While the app closes (SIGTERM: the requests in flight finish first), a request that still arrives on
 * an open connection gets a 503 `shutting_down` in the standard error shape and the connection closes,
 * so the client retries elsewhere. This replaces fastify's own 503 (`return503OnClosing`), whose body
 * (`{ error: "Service Unavailable", statusCode }`) is not the shape the document declares. `/ready` answers
 * for itself (not_ready, in its own shape): the returned function tells it the app is closing.
 */
export function refuseWhileClosing(app: FastifyInstance): () => boolean {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close');
    if (request.routeOptions.url === '/ready') return;
    throw new ApiError(503, 'shutting_down', 'The service is shutting down; retry in a moment');
  });
  return () => closing;
}
