import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGeneratedUniverse } from '../../src/demo/load.ts';
import { createScoreRun } from '../../src/prospects/repository.ts';
import { DEFAULT_RETENTION_RUNS, snapshotScoreRun } from '../../src/backtests/service.ts';
import { finishScoreRun, scoreAccountRange } from '../../src/prospects/score-runs.ts';
import { addressCategory, isPublicAddress } from '../../src/webhooks/destination.ts';
import { DELIVERY_TIMEOUT_MS, deliverDue, emitEvent, send, sign } from '../../src/webhooks/service.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { waitFor } from '../support/jobs.ts';

// Receivers listen on 127.0.0.1: allowed here only; retries after 50, 100, 200, 400 ms instead of 10 s, 1 min, ….
const TEST_SETTINGS = { webhookAllowPrivate: true, webhookRetryDelaysMs: [50, 100, 200, 400] };
const ALLOW_PRIVATE = { allowPrivate: true };

/** Standard Webhooks verification, written from the spec (not with the service's own code). */
function verify(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const id = headers['webhook-id'] as string;
  const timestamp = headers['webhook-timestamp'] as string;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return (headers['webhook-signature'] as string).split(' ').some((s) => {
    const [version, signature] = s.split(',');
    const given = Buffer.from(signature, 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A real HTTP receiver on 127.0.0.1 that fails the first `failures` attempts of every message. */
async function receiver(failures: number) {
  const received: Received[] = [];
  const seen = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const id = req.headers['webhook-id'] as string;
      const n = (seen.get(id) ?? 0) + 1;
      seen.set(id, n);
      const status = n <= failures ? 500 : 200;
      received.push({ headers: req.headers, body, status });
      res.writeHead(status).end(status === 200 ? 'ok' : 'try again');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('webhook signatures and addresses', () => {
  it('signs per Standard Webhooks (the specification’s example)', () => {
    expect(sign('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('knows which addresses are public hosts, by the special-purpose registries (ipaddr.js)', () => {
    const refused: [string, string][] = [
      ['127.0.0.1', 'loopback'],
      ['127.8.0.1', 'loopback'],
      ['::1', 'loopback'],
      ['10.2.3.4', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.0.10', 'private'],
      ['169.254.169.254', 'linkLocal'],
      ['fc00::1', 'uniqueLocal'],
      ['fd00:ab::2', 'uniqueLocal'],
      ['fe80::1', 'linkLocal'],
      ['fe80::1%eth0', 'linkLocal'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['0.0.0.0', 'unspecified'],
      ['::', 'unspecified'],
      ['100.64.0.1', 'carrierGradeNat'],
      // Never hosts, and accepted before (what an adversarial client tried):
      ['224.0.0.1', 'multicast'],
      ['240.0.0.1', 'reserved'],
      ['198.18.0.1', 'reserved'],
      ['192.0.0.170', 'reserved'],
      ['255.255.255.255', 'broadcast'],
      ['64:ff9b::7f00:1', 'loopback'], // NAT64 of loopback
      ['::7f00:1', 'unallocated'], // [::127.0.0.1] as the URL parser writes it (IPv4-compatible, deprecated)
      ['2002:7f00:1::1', 'loopback'], // 6to4 of loopback
      ['fec0::1', 'deprecatedSiteLocal'],
      ['ff02::1', 'multicast'],
      ['2001:db8::1', 'reserved'],
      ['64:ff9b:1::1', 'rfc6052'],
      ['2001::1', 'teredo'],
    ];
    for (const [ip, category] of refused) {
      expect(addressCategory(ip), ip).toBe(category);
      expect(isPublicAddress(ip), ip).toBe(false);
    }
    for (const ip of ['8.8.8.8', '172.32.0.1', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])
      expect(addressCategory(ip), ip).toBe('public');
  });
});

/** A TCP receiver that answers each request with `reply(socket)`, however slowly it likes. */
async function rawReceiver(reply: (socket: Socket) => void) {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('data', () => reply(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a delivery’s deadline', () => {
  const message = (url: string) => ({ url, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', eventId: 'msg_deadline', body: '{}' });
  const timers: NodeJS.Timeout[] = [];
  /** Writes `text` a character every 200 ms, then `then` forever at that pace. */
  const trickle = (socket: Socket, text: string, then = '') => {
    let at = 0;
    timers.push(setInterval(() => socket.writable && socket.write(at < text.length ? text[at++] : then), 200));
  };
  afterAll(() => timers.forEach(clearInterval));

  it('is 10 s for the whole exchange, documented', () => expect(DELIVERY_TIMEOUT_MS).toBe(10_000));

  it('covers the body: headers at once, then a byte every 200 ms, is cut off at the deadline and is no success', async () => {
    const slow = await rawReceiver((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n');
      trickle(socket, '', 'x');
    });
    try {
      const started = Date.now();
      const result = await send(message(slow.url), ALLOW_PRIVATE, 1_000);
      const took = Date.now() - started;
      expect(result).toMatchObject({ statusCode: 200, error: 'no complete response within 1 s', refused: false });
      expect(took).toBeGreaterThanOrEqual(950);
      expect(took).toBeLessThan(5_000);
    } finally {
      await slow.close();
    }
  });

  it('covers the headers: a status line sent a byte at a time is cut off at the deadline too', async () => {
    const slow = await rawReceiver((socket) => trickle(socket, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
    try {
      const started = Date.now();
      const result = await send(message(slow.url), ALLOW_PRIVATE, 1_000);
      expect(result).toMatchObject({ statusCode: null, error: 'no complete response within 1 s' });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await slow.close();
    }
  });

  it('leaves a prompt receiver alone', async () => {
    const prompt = await rawReceiver((socket) => socket.end('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n'));
    try {
      expect(await send(message(prompt.url), ALLOW_PRIVATE, 1_000)).toEqual({ statusCode: 204, error: null, refused: false });
    } finally {
      await prompt.close();
    }
  });
});

describe('/v1/webhooks', () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;
  let flaky: Awaited<ReturnType<typeof receiver>>;
  let secret: string;
  let webhookId: string;
  const req = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: ws.auth, payload });
  const deliveries = async (id = webhookId) =>
    (await req('GET', `/v1/webhooks/${id}/deliveries`)).json().data as {
      status: string;
      event: { id: string; type: string };
      attempts: { attempt: number; statusCode: number | null; error: string | null; startedAt: string; finishedAt: string }[];
    }[];

  beforeAll(async () => {
    t = await createTestApp(undefined, { settings: TEST_SETTINGS });
    ws = await t.newWorkspace();
    flaky = await receiver(2);
    await loadGeneratedUniverse(t.db.pool, ws.id, { seed: 5, count: 1200, now: new Date(), outcomeScale: 3 });
  }, 300_000);
  afterAll(async () => {
    await t.close();
    await flaky.close();
  });

  it('refuses private and loopback URLs unless WEBHOOK_ALLOW_PRIVATE=true', async () => {
    const strict = await createTestApp();
    const other = await strict.newWorkspace();
    const post = (url: string) =>
      strict.app.inject({ method: 'POST', url: '/v1/webhooks', headers: other.auth, payload: { url, events: ['scoring.completed'] } });
    try {
      for (const [url, category] of [
        [flaky.url, 'loopback'],
        ['http://localhost:9/x', 'loopback'],
        ['http://10.0.0.1/x', 'private'],
        ['http://[::1]:9/x', 'loopback'],
        ['http://169.254.169.254/latest/meta-data', 'linkLocal'],
        ['http://[::ffff:127.0.0.1]/x', 'loopback'],
        ['http://224.0.0.1/x', 'multicast'],
        ['http://240.0.0.1/x', 'reserved'],
        ['http://198.18.0.1/x', 'reserved'],
        ['http://192.0.0.170/x', 'reserved'],
        ['http://255.255.255.255/x', 'broadcast'],
        ['http://[64:ff9b::7f00:1]/x', 'loopback'],
        ['http://[::127.0.0.1]/x', 'unallocated'],
        ['http://[2002:7f00:1::1]/x', 'loopback'],
        ['http://[fec0::1]/x', 'deprecatedSiteLocal'],
        ['http://[ff02::1]/x', 'multicast'],
      ]) {
        const res = await post(url);
        expect(res.statusCode, url).toBe(400);
        expect(res.json().error, url).toMatchObject({ code: 'private_address', details: { category } });
      }
      // A name is refused for what it resolves to, without saying which address that is (no probing of internal names).
      const named = (await post('http://localhost:9/x')).json().error;
      expect(named.message).toMatch(/^Webhook URL refused: localhost resolves to a loopback address, not a public one/);
      expect(named.message).not.toMatch(/127\.0\.0\.1|::1/);
      // A name that does not resolve is said in our words, not the resolver's ("getaddrinfo ENOTFOUND …").
      const unknown = await post('http://no-such-host.invalid/x');
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error).toEqual({
        code: 'unresolvable_host',
        message: 'Webhook URL refused: no-such-host.invalid does not resolve (no such host name); check its spelling',
      });
    } finally {
      await strict.close();
    }
    // With WEBHOOK_ALLOW_PRIVATE=true (this app), the same loopback receiver is accepted.
    const allowed = await req('POST', '/v1/webhooks', { url: flaky.url, events: ['scoring.completed'] });
    expect(allowed.statusCode, allowed.body).toBe(201);
    await req('DELETE', `/v1/webhooks/${allowed.json().webhook.id}`);
    expect((await req('POST', '/v1/webhooks', { url: 'ftp://example.com/x', events: ['scoring.completed'] })).statusCode).toBe(400);
    expect((await req('POST', '/v1/webhooks', { url: flaky.url, events: ['model.deleted'] })).statusCode).toBe(400);
    expect((await req('POST', '/v1/webhooks', { url: flaky.url, events: [] })).statusCode).toBe(400);
  });

  it('creates a webhook, shows its secret once, lists and deletes', async () => {
    const created = await req('POST', '/v1/webhooks', {
      url: flaky.url,
      events: ['model.ready', 'model.activated', 'scoring.completed', 'prospects.tier_changed'],
      description: 'CRM sync',
    });
    expect(created.statusCode, created.body).toBe(201);
    secret = created.json().secret;
    webhookId = created.json().webhook.id;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    const list = await req('GET', '/v1/webhooks');
    expect(list.json().data).toHaveLength(1);
    expect(list.body).not.toContain(secret.slice(6));
    expect((await req('GET', `/v1/webhooks/${webhookId}`)).json().webhook).toMatchObject({ url: flaky.url, description: 'CRM sync' });

    const other = await req('POST', '/v1/webhooks', { url: flaky.url, events: ['model.ready'] });
    const otherId = other.json().webhook.id;
    const stranger = await t.newWorkspace('Stranger');
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/webhooks/${otherId}`, headers: stranger.auth })).statusCode).toBe(404);
    expect((await req('DELETE', `/v1/webhooks/${otherId}`)).statusCode).toBe(204);
    expect((await req('GET', `/v1/webhooks/${otherId}`)).statusCode).toBe(404);
    expect((await req('GET', '/v1/webhooks')).json().data).toHaveLength(1);
  });

  it('delivers model and scoring events, signed, retrying a receiver that fails twice', async () => {
    const trained = await req('POST', '/v1/models', {});
    expect(trained.statusCode).toBe(202);
    await t.jobs.idle();
    const log = await waitFor(
      'three deliveries to succeed',
      async () => {
        const d = await deliveries();
        return d.length === 3 && d.every((x) => x.status === 'succeeded') && d;
      },
      30_000,
    );
    expect(log.map((d) => d.event.type).sort()).toEqual(['model.activated', 'model.ready', 'scoring.completed']);
    for (const d of log) {
      expect(d.attempts.map((a) => a.statusCode)).toEqual([500, 500, 200]);
      expect(d.attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
      expect(d.attempts[0].error).toBe('HTTP 500');
      expect(d.attempts[2].error).toBeNull();
      // Backoff: the second attempt waited at least the first delay (50 ms) after the first.
      expect(Date.parse(d.attempts[1].startedAt) - Date.parse(d.attempts[0].finishedAt)).toBeGreaterThanOrEqual(40);
      const sent = flaky.received.filter((r) => r.headers['webhook-id'] === d.event.id);
      expect(sent.map((r) => r.status)).toEqual([500, 500, 200]);
      for (const r of sent) {
        expect(verify(secret, r.headers, r.body), 'signature').toBe(true);
        expect(verify(`whsec_${Buffer.from('not the secret').toString('base64')}`, r.headers, r.body)).toBe(false);
        expect(Math.abs(Number(r.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
        expect(r.headers['content-type']).toBe('application/json');
        expect(JSON.parse(r.body).type).toBe(d.event.type);
      }
    }
    const completed = JSON.parse(flaky.received.find((r) => JSON.parse(r.body).type === 'scoring.completed')!.body);
    expect(completed.data.run.prospects).toBeGreaterThan(0);
    expect(completed.data.run.tiers.A + completed.data.run.tiers.B + completed.data.run.tiers.C + completed.data.run.tiers.D).toBe(
      completed.data.run.prospects,
    );
    const ready = JSON.parse(flaky.received.find((r) => JSON.parse(r.body).type === 'model.ready')!.body);
    expect(ready.data).toMatchObject({ activated: true, model: { kind: 'forest', active: true } });
    // A retried job emits nothing twice.
    expect(new Set(flaky.received.map((r) => r.headers['webhook-id'])).size).toBe(3);
  });

  it('sends prospects.tier_changed when accounts enter or leave tiers A and B', async () => {
    const before = flaky.received.length;
    const { rows } = await t.db.pool.query<{ domain: string }>(
      `SELECT a.domain FROM backtest_scores s JOIN backtest_runs r USING (run_id) JOIN accounts a ON a.id = s.account_id
       WHERE r.workspace_id = $1 AND s.tier IN ('A', 'B') ORDER BY s.rank LIMIT 3`,
      [ws.id],
    );
    await req('POST', '/v1/outcomes', {
      outcomes: rows.map((r) => ({ domain: r.domain, status: 'won', closedAt: new Date().toISOString() })),
    });
    const model = (await t.db.pool.query<{ id: string }>('SELECT id FROM models WHERE workspace_id = $1 AND active', [ws.id])).rows[0].id;
    const runId = await createScoreRun(t.db.pool, ws.id, model);
    await scoreAccountRange(t.db.pool, runId);
    await finishScoreRun(t.db.pool, runId);
    await snapshotScoreRun(t.db.pool, DEFAULT_RETENTION_RUNS, runId, console, t.jobs.enqueue);
    await t.jobs.idle();
    const changed = await waitFor(
      'tier_changed delivered',
      async () => {
        const hit = flaky.received.slice(before).find((r) => r.status === 200 && JSON.parse(r.body).type === 'prospects.tier_changed');
        return hit && JSON.parse(hit.body);
      },
      30_000,
    );
    expect(changed.data.run.id).toBe(runId);
    expect(changed.data.counts.left).toBeGreaterThanOrEqual(3);
    expect(changed.data.changes.length).toBe(Math.min(changed.data.counts.total, 500));
    const left = changed.data.changes.filter((c: { to: string | null }) => c.to === null).map((c: { domain: string }) => c.domain);
    expect(left).toEqual(expect.arrayContaining(rows.map((r) => r.domain)));
    expect(changed.data.next).toBeNull();
    // The same run finishing again (a retried job) notifies nobody twice.
    await finishScoreRun(t.db.pool, runId);
    await snapshotScoreRun(t.db.pool, DEFAULT_RETENTION_RUNS, runId, console, t.jobs.enqueue);
    await t.jobs.idle();
    await new Promise((r) => setTimeout(r, 300));
    const types = flaky.received
      .slice(before)
      .filter((r) => r.status === 200)
      .map((r) => JSON.parse(r.body).type);
    expect(types.filter((x) => x === 'prospects.tier_changed')).toHaveLength(1);
    expect(types.filter((x) => x === 'scoring.completed')).toHaveLength(1);
  });

  it('sends model.activated when a model is activated by hand', async () => {
    const before = flaky.received.length;
    const model = (await t.db.pool.query<{ id: string }>('SELECT id FROM models WHERE workspace_id = $1 AND active', [ws.id])).rows[0].id;
    expect((await req('POST', `/v1/models/${model}/activate`)).statusCode).toBe(200);
    const activated = await waitFor(
      'model.activated delivered',
      async () => {
        const hit = flaky.received.slice(before).find((r) => r.status === 200);
        return hit && JSON.parse(hit.body);
      },
      30_000,
    );
    expect(activated).toMatchObject({ type: 'model.activated', data: { by: 'api', model: { id: model } } });
  });

  it('gives up after the last attempt, and refuses a private address at delivery', async () => {
    const dead = await receiver(100);
    const created = await req('POST', '/v1/webhooks', { url: dead.url, events: ['scoring.completed'] });
    const id = created.json().webhook.id;
    await emitEvent(
      t.db.pool,
      t.jobs.enqueue,
      { workspaceId: ws.id, type: 'scoring.completed', dedupeKey: 'test:dead', data: {} },
      console,
    );
    const [failed] = await waitFor(
      'the delivery to fail for good',
      async () => {
        const d = await deliveries(id);
        return d[0]?.status === 'failed' && d;
      },
      30_000,
    );
    // 1 + 4 retries (WEBHOOK_RETRY_DELAYS_MS has 4 delays).
    expect(failed.attempts.map((a) => a.statusCode)).toEqual([500, 500, 500, 500, 500]);
    await dead.close();

    // Allowed when created; delivered by a process where the flag is off: refused, not retried.
    await emitEvent(t.db.pool, undefined, { workspaceId: ws.id, type: 'scoring.completed', dedupeKey: 'test:refused', data: {} }, console);
    await deliverDue(t.db.pool, { allowPrivate: false, retryDelaysMs: TEST_SETTINGS.webhookRetryDelaysMs }, ws.id, t.jobs.enqueue);
    const [refused] = (await deliveries()).filter((d) => d.event.type === 'scoring.completed');
    expect(refused.status).toBe('failed');
    expect(refused.attempts).toHaveLength(1);
    expect(refused.attempts[0].statusCode).toBeNull();
    expect(refused.attempts[0].error).toMatch(/^refused: 127\.0\.0\.1 is a loopback address, not a public one/);
  });
});
