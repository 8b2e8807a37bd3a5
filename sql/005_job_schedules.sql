-- Recurring jobs per workspace (JobQueue.schedule), e.g. the retraining schedule a workspace chooses.
-- Postgres is their record: BullMQ job schedulers, or the in-process timers, are derived from these rows
-- at start (and after Redis lost its data), so no schedule lives only in Redis.
CREATE TABLE job_schedules (
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  type text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  -- Runs at offset_ms after each multiple of every_ms since the Unix epoch (JobQueue.schedule).
  every_ms bigint NOT NULL CHECK (every_ms > 0),
  offset_ms bigint NOT NULL DEFAULT 0 CHECK (offset_ms >= 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, type)
);

-- Unfinished jobs, which recovery hands back to the queue after a restart or a Redis outage.
CREATE INDEX jobs_unfinished ON jobs (created_at) WHERE status IN ('queued', 'running');
