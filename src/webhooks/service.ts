/**
 * Signed webhooks (Standard Webhooks, https://www.standardwebhooks.com):
 * - every message has an id (`webhook-id`, the same on every attempt), a send time in Unix seconds
 *   (`webhook-timestamp`) and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed
 *   with the base64 part of the endpoint's secret `whsec_<base64 key>`;
 * - events are recorded in Postgres with one delivery per subscribed endpoint; the 'webhooks.deliver' job
 *   sends what is due, logs each attempt, and retries failures with exponential backoff (RETRY_DELAYS_MS);
 * - destinations that are not public unicast addresses (./destination.ts: loopback, private, link-local,
 *   multicast, reserved, … by ipaddr.js) are refused when an endpoint is created and again at every
 *   delivery, after DNS resolution and on the very address connected to (no rebinding), unless
 *   WEBHOOK_ALLOW_PRIVATE=true;
 * - a delivery has DELIVERY_TIMEOUT_MS for the whole exchange (DNS, connect, headers and body).
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type pg from 'pg';
import { withTransaction } from '../db/pool.ts';
import { DomainError } from '../lib/errors.ts';
import { addressCategory, describeCategory } from './destination.ts';
import type { Enqueue } from '../jobs/queue.ts';
import type { JobLog } from '../lib/log.ts';
import type { ActivatedBy } from '../model/activation.ts';
import { getModel } from '../model/repository.ts';
import {
  claimDueDeliveries,
  countWebhooks,
  insertEvent,
  insertWebhook,
  msUntilNextDue,
  recordAttempt,
  type ClaimedDelivery,
} from './repository.ts';
import { MAX_WEBHOOKS, type CreateWebhookBody, type Webhook, type WebhookEventType } from './schema.ts';

/** Where a failure that must not fail its caller is told. */
type ErrorLog = Pick<JobLog, 'error'>;

// ---------------------------------------------------------------------------------------------
// Settings

/** Waits before attempts 2, 3, …: 5 attempts in all, the last about 36 minutes after the first. */
export const RETRY_DELAYS_MS = [10_000, 60_000, 5 * 60_000, 30 * 60_000];

/** How deliveries are made: from the configuration (WEBHOOK_ALLOW_PRIVATE, WEBHOOK_RETRY_DELAYS_MS), read once at start. */
export interface WebhookSettings {
  /** Endpoints on private and loopback addresses let through (local development, private networks, tests). */
  allowPrivate: boolean;
  /** Waits before attempts 2, 3, …; one more attempt than there are waits. */
  retryDelaysMs: number[];
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = { allowPrivate: false, retryDelaysMs: RETRY_DELAYS_MS };

/** A receiver must answer, headers and body, within this long after the delivery starts. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Deliveries sent at once by one job. */
const DELIVERY_BATCH = 10;
/** A claimed delivery whose process died is taken over after this long. */
const LEASE_SECONDS = 60;

// ---------------------------------------------------------------------------------------------
// Destinations: public unicast addresses only (./destination.ts)

class RefusedDestination extends Error {
  constructor(
    message: string,
    /** The address's category (./destination.ts), e.g. 'loopback'. */
    readonly category: string,
  ) {
    super(message);
  }
}

/** Every address a host name resolves to (an IP literal: itself). */
async function resolveAll(hostname: string): Promise<{ address: string; family: number }[]> {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return [{ address: host, family: isIP(host) }];
  return dns.promises.lookup(host, { all: true, verbatim: true });
}

/**
 * The refusal for the first address that is not public, or null. It names the host as the user wrote it
 * and the address's category, never the address a name resolved to: that would let a tenant map
 * internal names.
 */
function refusal(hostname: string, addresses: { address: string }[], allowPrivate: boolean): RefusedDestination | null {
  if (allowPrivate) return null;
  for (const { address } of addresses) {
    const category = addressCategory(address);
    if (category === 'public') continue;
    const literal = isIP(hostname.replace(/^\[|\]$/g, '')) !== 0;
    return new RefusedDestination(
      `${hostname} ${literal ? 'is' : 'resolves to'} ${describeCategory(category)}, not a public one` +
        ' (webhooks are delivered only to public unicast addresses; WEBHOOK_ALLOW_PRIVATE=true lifts this for private networks)',
      category,
    );
  }
  return null;
}

/** Throws RefusedDestination when the URL's host is (or resolves to) an address that is not public and that is not allowed. */
async function checkDestination(url: URL, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const refused = refusal(url.hostname, await resolveAll(url.hostname), allowPrivate);
  if (refused) throw refused;
}

/** dns.lookup for the HTTP request itself: the address connected to is the one checked. */
const guardedLookup =
  (allowPrivate: boolean): LookupFunction =>
  (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      const refused = refusal(hostname, list, allowPrivate);
      if (refused) return callback(refused, '', 0);
      if (list.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };

// ---------------------------------------------------------------------------------------------
// Endpoints

/** A Standard Webhooks secret: `whsec_` and 24 random bytes in base64. */
export const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

/** Why a host name's lookup failed, in our words: the resolver's ("getaddrinfo ENOTFOUND …") are the system's. */
function lookupFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOTFOUND' || code === 'ENODATA') return 'does not resolve (no such host name); check its spelling';
  return 'could not be looked up (the name servers did not answer); try again in a moment';
}

export async function createWebhook(
  pool: pg.Pool,
  settings: Pick<WebhookSettings, 'allowPrivate'>,
  workspaceId: string,
  body: CreateWebhookBody,
): Promise<{ webhook: Webhook; secret: string }> {
  if ((await countWebhooks(pool, workspaceId)) >= MAX_WEBHOOKS) {
    throw new DomainError('conflict', 'too_many_webhooks', `A workspace has at most ${MAX_WEBHOOKS} webhooks; delete one first`);
  }
  const url = new URL(body.url);
  try {
    await checkDestination(url, settings.allowPrivate);
  } catch (err) {
    if (err instanceof RefusedDestination)
      throw new DomainError('invalid', 'private_address', `Webhook URL refused: ${err.message}`, { category: err.category });
    throw new DomainError('invalid', 'unresolvable_host', `Webhook URL refused: ${url.hostname} ${lookupFailure(err)}`);
  }
  const secret = newSecret();
  const webhook = await insertWebhook(pool, workspaceId, {
    url: url.toString(),
    events: body.events,
    description: body.description ?? null,
    secret,
  });
  return { webhook, secret };
}

// ---------------------------------------------------------------------------------------------
// Signing and sending

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` with the key inside `whsec_<base64 key>`. */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

interface AttemptResult {
  statusCode: number | null;
  error: string | null;
  /** A refused destination is not retried. */
  refused: boolean;
}

/**
 * One POST of a message to an endpoint, signed now. `timeoutMs` bounds the whole exchange (resolving the
 * host, connecting, the response's headers and its body), not the time between two bytes: a receiver that
 * answers a byte at a time cannot hold the delivery longer.
 */
export async function send(
  d: Pick<ClaimedDelivery, 'url' | 'secret' | 'eventId' | 'body'>,
  settings: Pick<WebhookSettings, 'allowPrivate'>,
  timeoutMs = DELIVERY_TIMEOUT_MS,
): Promise<AttemptResult> {
  const url = new URL(d.url);
  const deadline = AbortSignal.timeout(timeoutMs);
  const late = `no complete response within ${timeoutMs / 1000} s`;
  const failed = (err: unknown): AttemptResult =>
    err instanceof RefusedDestination
      ? { statusCode: null, error: `refused: ${err.message}`, refused: true }
      : { statusCode: null, error: deadline.aborted ? late : (err as Error).message, refused: false };
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(new Error(late));
      deadline.addEventListener('abort', onAbort, { once: true });
      checkDestination(url, settings.allowPrivate)
        .then(resolve, reject)
        .finally(() => deadline.removeEventListener('abort', onAbort));
    });
  } catch (err) {
    return failed(err);
  }
  const timestamp = Math.floor(Date.now() / 1000);
  const body = Buffer.from(d.body, 'utf8');
  const headers = {
    'content-type': 'application/json',
    'content-length': String(body.length),
    'user-agent': 'lookalike-accounts-webhooks/1',
    'webhook-id': d.eventId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': sign(d.secret, d.eventId, timestamp, d.body),
  };
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    // Known once the headers are in: a failure after them (the body) still reports it.
    let statusCode: number | null = null;
    const done = (r: AttemptResult) => {
      if (!settled) resolve(r);
      settled = true;
    };
    const fail = (err: unknown) => done({ ...failed(err), statusCode });
    // The signal destroys the request and its response when the deadline passes, wherever the exchange is.
    const req = request(url, { method: 'POST', headers, lookup: guardedLookup(settings.allowPrivate), signal: deadline }, (res) => {
      statusCode = res.statusCode ?? null;
      // The body is read (and dropped) to the end: the exchange is complete only then.
      res.resume();
      res.on('end', () => done({ statusCode, error: null, refused: false }));
      res.on('error', fail);
      res.on('close', () => fail(new Error('the receiver closed the connection mid-response')));
    });
    req.on('error', fail);
    req.end(body);
  });
}

// ---------------------------------------------------------------------------------------------
// Emitting and delivering

/** Asks the queue to deliver the workspace's due deliveries in `delayMs`: one pending job per workspace (a debounced trigger, so it survives a queue outage). */
export function scheduleDelivery(enqueue: Enqueue, workspaceId: string, delayMs: number) {
  return enqueue(workspaceId, 'webhooks.deliver', {}, { debounceMs: Math.max(1, Math.ceil(delayMs)) });
}

/**
 * Records an event for every endpoint subscribed to its type and triggers delivery. Once per
 * `dedupeKey`, so a retried job does not notify twice. Never throws: a notification must not fail the
 * work it reports on (errors are logged; recorded deliveries wait for the next trigger).
 */
export async function emitEvent(
  pool: pg.Pool,
  enqueue: Enqueue | undefined,
  event: { workspaceId: string; type: WebhookEventType; dedupeKey: string; data: unknown },
  log: ErrorLog,
): Promise<number> {
  try {
    const id = `msg_${randomUUID().replaceAll('-', '')}`;
    const body = JSON.stringify({ type: event.type, timestamp: new Date().toISOString(), data: event.data });
    const deliveries = await withTransaction(pool, (client) =>
      insertEvent(client, { id, workspaceId: event.workspaceId, type: event.type, dedupeKey: event.dedupeKey, body }),
    );
    if (deliveries > 0 && enqueue) await scheduleDelivery(enqueue, event.workspaceId, 1);
    return deliveries;
  } catch (err) {
    log.error(
      {
        workspaceId: event.workspaceId,
        event: event.type,
        dedupeKey: event.dedupeKey,
        err: err instanceof Error ? err.message : String(err),
      },
      `webhook event ${event.type} not recorded or not scheduled`,
    );
    return 0;
  }
}

/**
 * The 'webhooks.deliver' job: sends every delivery of the workspace that is due, logs each attempt,
 * plans retries (settings.retryDelaysMs), then schedules itself for the next one due.
 */
export async function deliverDue(pool: pg.Pool, settings: WebhookSettings, workspaceId: string, enqueue: Enqueue) {
  const delays = settings.retryDelaysMs;
  let sent = 0;
  let succeeded = 0;
  for (;;) {
    const batch = await claimDueDeliveries(pool, workspaceId, DELIVERY_BATCH, LEASE_SECONDS);
    if (batch.length === 0) break;
    await Promise.all(
      batch.map(async (d) => {
        const startedAt = new Date();
        const result = await send(d, settings);
        // A 2xx whose body did not arrive in time is no success: the exchange was not complete.
        const ok = result.error === null && result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
        const error = ok ? null : (result.error ?? `HTTP ${result.statusCode}`);
        const retryInMs = ok || result.refused || d.attempt > delays.length ? null : delays[d.attempt - 1];
        await recordAttempt(
          pool,
          d.id,
          { attempt: d.attempt, statusCode: result.statusCode, error, startedAt, finishedAt: new Date() },
          { succeeded: ok, retryInMs },
        );
        sent++;
        if (ok) succeeded++;
      }),
    );
  }
  const next = await msUntilNextDue(pool, workspaceId);
  if (next !== null) await scheduleDelivery(enqueue, workspaceId, next);
  return { sent, succeeded, nextInMs: next };
}

// ---------------------------------------------------------------------------------------------
// The events

/** After a training job: `model.ready` (saying whether the model was activated). Never throws. */
export async function notifyModelReady(
  pool: pg.Pool,
  enqueue: Enqueue,
  log: ErrorLog,
  workspaceId: string,
  outcome: { modelId: string; activated: boolean },
) {
  try {
    const model = await getModel(pool, workspaceId, outcome.modelId);
    if (model?.status !== 'ready') return;
    const data = { model: modelSummary(model), activated: outcome.activated };
    await emitEvent(pool, enqueue, { workspaceId, type: 'model.ready', dedupeKey: `model.ready:${model.id}`, data }, log);
  } catch (err) {
    log.error({ workspaceId, err: err instanceof Error ? err.message : String(err) }, 'model.ready webhook event not emitted');
  }
}

/**
 * After any activation (src/model/activation.ts): `model.activated`, with who activated it. A training
 * activates its model once, so a retried training job sends it once; every other activation is an event.
 * Never throws.
 */
export async function notifyModelActivated(
  pool: pg.Pool,
  enqueue: Enqueue,
  log: ErrorLog,
  workspaceId: string,
  modelId: string,
  by: ActivatedBy,
) {
  try {
    const model = await getModel(pool, workspaceId, modelId);
    if (!model) return;
    await emitEvent(
      pool,
      enqueue,
      {
        workspaceId,
        type: 'model.activated',
        dedupeKey: `model.activated:${model.id}:${by === 'training' ? 'training' : randomUUID()}`,
        data: { model: modelSummary(model), by },
      },
      log,
    );
  } catch (err) {
    log.error({ workspaceId, err: err instanceof Error ? err.message : String(err) }, 'model.activated webhook event not emitted');
  }
}

function modelSummary(model: NonNullable<Awaited<ReturnType<typeof getModel>>>) {
  return {
    id: model.id,
    version: model.version,
    kind: model.kind,
    confidence: model.confidence,
    active: model.active,
    metrics: model.metrics && {
      auc: model.metrics.auc,
      precisionAtK: model.metrics.precisionAtK,
      recallAtK: model.metrics.recallAtK,
      lift: model.metrics.lift,
    },
    note: model.note,
  };
}
