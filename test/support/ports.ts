import { createServer } from 'node:net';

/**
 * A loopback port nothing listens on right now. Tests that start servers take one of these instead of
 * a fixed port: other sessions on the same machine run the same tests (and services) at the same time.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
