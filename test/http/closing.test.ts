/**
 * Shutting down (SIGTERM: app.close() lets the requests in flight finish): a request that still reaches
 * the app gets a 503 in the standard error shape, and /ready says not_ready in its own, so a client and
 * a load balancer read it as every other answer. fastify's own 503 body ({ error: "Service Unavailable",
 * statusCode }) is neither. And /ready without its database says so without the driver's words.
 */
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';

/** Raw HTTP/1.1 on one socket: what it has received so far. */
function rawClient(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  return { socket, received: () => received };
}

/** The responses in `raw`, in order: status, headers (lower case) and body (by content-length). */
function responses(raw: string) {
  const out: { status: number; headers: Record<string, string>; body: string }[] = [];
  let rest = raw;
  while (rest.startsWith('HTTP/1.1')) {
    const end = rest.indexOf('\r\n\r\n');
    const [statusLine, ...lines] = rest.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const length = Number(headers['content-length'] ?? 0);
    out.push({ status: Number(statusLine.split(' ')[1]), headers, body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
  return out;
}

describe('a request that arrives while the service shuts down', () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;
  let port: number;
  beforeEach(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterEach(() => t?.close());

  it.each([
    [
      'GET /v1/models',
      'GET /v1/models',
      (body: unknown) => expect(body).toEqual({ error: { code: 'shutting_down', message: expect.stringMatching(/shutting down/) } }),
    ],
    [
      'GET /ready',
      'GET /ready',
      (body: unknown) => expect(body).toMatchObject({ status: 'not_ready', error: expect.stringMatching(/shutting down/) }),
    ],
  ])('%s gets a 503 in its documented shape, and the connection closes', async (_name, requestLine, expectBody) => {
    const client = rawClient(port);
    await new Promise((resolve) => client.socket.once('connect', resolve));
    // A request in flight (its body half sent) keeps the app closing, not closed.
    const body = JSON.stringify({ accounts: [{ domain: 'in-flight.example' }] });
    client.socket.write(
      `POST /v1/accounts HTTP/1.1\r\nhost: x\r\nauthorization: ${ws.auth.authorization}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closed = t.app.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The rest of the body, and a request pipelined after it: it reaches the app while it closes.
    client.socket.write(`${body.slice(5)}${requestLine} HTTP/1.1\r\nhost: x\r\nauthorization: ${ws.auth.authorization}\r\n\r\n`);
    await new Promise((resolve) => client.socket.once('close', resolve));
    await closed;
    const [first, second] = responses(client.received());
    expect(first.status, 'the request in flight finishes').toBe(200);
    expect(second.status).toBe(503);
    expect(second.headers['content-type']).toMatch(/^application\/json/);
    expect(second.headers.connection).toBe('close');
    expectBody(JSON.parse(second.body));
  });
});

describe('readiness without the database', () => {
  it("answers 503 not_ready in its own shape, without the driver's words (/ready needs no key)", async () => {
    const t = await createTestApp();
    await t.db.close();
    try {
      const ready = await t.app.inject({ method: 'GET', url: '/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({
        status: 'not_ready',
        database: { reachable: false },
        error: 'The database cannot be reached (the log says why)',
      });
    } finally {
      await t.app.close();
      await t.jobs.close();
    }
  });
});
