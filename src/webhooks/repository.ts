/** The only SQL on the webhook tables (sql/008_proof.sql). */
import type { Queryable } from '../db/pool.ts';
import type { Delivery, Webhook, WebhookEventType } from './schema.ts';

interface WebhookRow {
  id: string;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  created_at: Date;
}
const WEBHOOK_COLUMNS = 'id, url, events, description, created_at';
const toWebhook = (r: WebhookRow): Webhook => ({
  id: r.id,
  url: r.url,
  events: r.events,
  description: r.description,
  createdAt: r.created_at.toISOString(),
});

export async function insertWebhook(
  db: Queryable,
  workspaceId: string,
  input: { url: string; events: WebhookEventType[]; description: string | null; secret: string },
): Promise<Webhook> {
  const { rows } = await db.query<WebhookRow>(
    `INSERT INTO webhooks (workspace_id, url, events, description, secret) VALUES ($1, $2, $3, $4, $5) RETURNING ${WEBHOOK_COLUMNS}`,
    [workspaceId, input.url, input.events, input.description, input.secret],
  );
  return toWebhook(rows[0]);
}

export async function countWebhooks(db: Queryable, workspaceId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM webhooks WHERE workspace_id = $1', [workspaceId]);
  return rows[0].n;
}

export async function listWebhooks(db: Queryable, workspaceId: string): Promise<Webhook[]> {
  const { rows } = await db.query<WebhookRow>(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE workspace_id = $1 ORDER BY created_at, id`, [
    workspaceId,
  ]);
  return rows.map(toWebhook);
}

export async function getWebhook(db: Queryable, workspaceId: string, id: string): Promise<Webhook | null> {
  const { rows } = await db.query<WebhookRow>(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE workspace_id = $1 AND id = $2`, [
    workspaceId,
    id,
  ]);
  return rows[0] ? toWebhook(rows[0]) : null;
}

/** Deletes the endpoint with its deliveries and their log. */
export async function deleteWebhook(db: Queryable, workspaceId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM webhooks WHERE workspace_id = $1 AND id = $2', [workspaceId, id]);
  return (rowCount ?? 0) > 0;
}

/**
 * Records an event once per dedupe key and a pending delivery to every endpoint subscribed to its type.
 * Returns the deliveries created (none when the event was recorded before, or nobody listens).
 */
export async function insertEvent(
  db: Queryable,
  event: { id: string; workspaceId: string; type: WebhookEventType; dedupeKey: string; body: string },
): Promise<number> {
  const inserted = await db.query(
    `INSERT INTO webhook_events (id, workspace_id, type, dedupe_key, body)
     SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM webhooks WHERE workspace_id = $2 AND $3 = ANY (events))
     ON CONFLICT (workspace_id, dedupe_key) DO NOTHING`,
    [event.id, event.workspaceId, event.type, event.dedupeKey, event.body],
  );
  if (!inserted.rowCount) return 0;
  const deliveries = await db.query(
    `INSERT INTO webhook_deliveries (workspace_id, webhook_id, event_id, next_attempt_at)
     SELECT $1, id, $2, now() FROM webhooks WHERE workspace_id = $1 AND $3 = ANY (events)`,
    [event.workspaceId, event.id, event.type],
  );
  return deliveries.rowCount ?? 0;
}

export interface ClaimedDelivery {
  id: string;
  /** This attempt's number (1 = first). */
  attempt: number;
  url: string;
  secret: string;
  eventId: string;
  body: string;
}

/**
 * Claims up to `limit` due deliveries of the workspace for `leaseSeconds`: pending ones whose time has
 * come, and ones whose previous claim expired (the process delivering them died). Several workers may
 * claim at once; each delivery goes to one.
 */
export async function claimDueDeliveries(
  db: Queryable,
  workspaceId: string,
  limit: number,
  leaseSeconds: number,
): Promise<ClaimedDelivery[]> {
  const { rows } = await db.query<{ id: string; attempts: number; url: string; secret: string; event_id: string; body: string }>(
    `UPDATE webhook_deliveries d SET status = 'delivering', attempts = d.attempts + 1, lease_until = now() + make_interval(secs => $3),
       next_attempt_at = NULL, updated_at = now()
     FROM webhooks w, webhook_events e
     WHERE d.id IN (
         SELECT id FROM webhook_deliveries
         WHERE workspace_id = $1 AND ((status = 'pending' AND next_attempt_at <= now()) OR (status = 'delivering' AND lease_until < now()))
         ORDER BY coalesce(next_attempt_at, lease_until) LIMIT $2 FOR UPDATE SKIP LOCKED)
       AND w.id = d.webhook_id AND e.id = d.event_id
     RETURNING d.id, d.attempts, w.url, w.secret, e.id AS event_id, e.body`,
    [workspaceId, limit, leaseSeconds],
  );
  return rows.map((r) => ({ id: r.id, attempt: r.attempts, url: r.url, secret: r.secret, eventId: r.event_id, body: r.body }));
}

/** Logs one attempt and moves the delivery on: succeeded, pending again after `retryInMs`, or failed (retryInMs null). */
export async function recordAttempt(
  db: Queryable,
  deliveryId: string,
  attempt: { attempt: number; statusCode: number | null; error: string | null; startedAt: Date; finishedAt: Date },
  outcome: { succeeded: boolean; retryInMs: number | null },
): Promise<void> {
  await db.query(
    `INSERT INTO webhook_attempts (delivery_id, attempt, status_code, error, started_at, finished_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [deliveryId, attempt.attempt, attempt.statusCode, attempt.error, attempt.startedAt, attempt.finishedAt],
  );
  const status = outcome.succeeded ? 'succeeded' : outcome.retryInMs === null ? 'failed' : 'pending';
  await db.query(
    `UPDATE webhook_deliveries SET status = $2, lease_until = NULL, updated_at = now(),
       next_attempt_at = CASE WHEN $2 = 'pending' THEN now() + make_interval(secs => $3 / 1000.0) END
     WHERE id = $1`,
    [deliveryId, status, outcome.retryInMs ?? 0],
  );
}

/** Milliseconds (on the database's clock) until the workspace's next delivery is due; null when none is waiting. */
export async function msUntilNextDue(db: Queryable, workspaceId: string): Promise<number | null> {
  const { rows } = await db.query<{ ms: number | null }>(
    `SELECT (extract(epoch FROM min(CASE WHEN status = 'pending' THEN next_attempt_at ELSE lease_until END) - now()) * 1000)::float8 AS ms
     FROM webhook_deliveries WHERE workspace_id = $1 AND status IN ('pending', 'delivering')`,
    [workspaceId],
  );
  return rows[0]?.ms ?? null;
}

/** The endpoint's deliveries, newest first, each with its attempts. */
export async function listDeliveries(db: Queryable, workspaceId: string, webhookId: string, limit: number): Promise<Delivery[]> {
  const { rows } = await db.query<{
    id: string;
    event_id: string;
    type: WebhookEventType;
    status: Delivery['status'];
    next_attempt_at: Date | null;
    created_at: Date;
    attempts: { attempt: number; status_code: number | null; error: string | null; started_at: string; finished_at: string }[];
  }>(
    `SELECT d.id, d.event_id, e.type, d.status, d.next_attempt_at, d.created_at,
       coalesce((SELECT json_agg(json_build_object('attempt', a.attempt, 'status_code', a.status_code, 'error', a.error,
                  'started_at', a.started_at, 'finished_at', a.finished_at) ORDER BY a.attempt, a.id)
                 FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]') AS attempts
     FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
     WHERE d.workspace_id = $1 AND d.webhook_id = $2
     ORDER BY d.created_at DESC, d.id LIMIT $3`,
    [workspaceId, webhookId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    event: { id: r.event_id, type: r.type },
    status: r.status,
    attempts: r.attempts.map((a) => ({
      attempt: a.attempt,
      statusCode: a.status_code,
      error: a.error,
      startedAt: new Date(a.started_at).toISOString(),
      finishedAt: new Date(a.finished_at).toISOString(),
    })),
    nextAttemptAt: r.next_attempt_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  }));
}
