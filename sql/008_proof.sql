-- Proof and reach: backtest snapshots of scoring runs, and signed webhooks with their delivery log.

-- A compact copy of each completed scoring run's prospects (account, score, tier, rank), kept for
-- BACKTEST_RETENTION_RUNS runs per workspace (src/backtests/service.ts). Score runs themselves are
-- pruned to the last two (src/prospects/scoring.ts); these survive them, so GET /v1/backtests can
-- show how an older ranking turned out. run_id is the score run's id, without a foreign key for that reason.
CREATE TABLE backtest_runs (
  run_id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  model_id uuid NOT NULL,
  model_version integer,
  finished_at timestamptz NOT NULL,
  prospects integer NOT NULL,
  tier_cutoffs jsonb
);
CREATE INDEX backtest_runs_workspace ON backtest_runs (workspace_id, finished_at DESC);

CREATE TABLE backtest_scores (
  run_id uuid NOT NULL REFERENCES backtest_runs (run_id) ON DELETE CASCADE,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  -- 1 = best prospect of the run.
  rank integer NOT NULL,
  score real NOT NULL,
  tier "char" NOT NULL,
  PRIMARY KEY (run_id, account_id)
);

-- Webhook endpoints. The secret signs deliveries (Standard Webhooks), so it is kept as is, not hashed;
-- the API shows it once, on creation.
CREATE TABLE webhooks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  url text NOT NULL,
  events text[] NOT NULL,
  description text,
  secret text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_workspace ON webhooks (workspace_id);

-- One message per event; its id is the webhook-id header, the same on every attempt and endpoint.
-- dedupe_key makes emitting idempotent (a retried job emits the same event once).
CREATE TABLE webhook_events (
  id text PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  type text NOT NULL,
  dedupe_key text NOT NULL,
  -- The request body exactly as sent (and signed) on every attempt.
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, dedupe_key)
);

-- One event to one endpoint: pending (next_attempt_at), delivering (claimed until lease_until),
-- succeeded or failed (attempts exhausted, or refused).
CREATE TABLE webhook_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event_id text NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivering', 'succeeded', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  lease_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (workspace_id, next_attempt_at) WHERE status IN ('pending', 'delivering');
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at DESC);

-- The delivery log: every HTTP attempt, its status code or error.
CREATE TABLE webhook_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempt integer NOT NULL,
  status_code integer,
  error text,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempt);
