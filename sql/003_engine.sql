-- The lookalike engine: per-workspace feature vocabularies, account vectors (pgvector), model
-- versions, and materialised universe scores.

-- The vocabulary decides what each vector dimension means; it is kept until the universe has
-- changed enough to rebuild it (then every vector is recomputed), so vectors stay comparable.
CREATE TABLE feature_vocabularies (
  workspace_id uuid PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
  version integer NOT NULL,
  spec_version integer NOT NULL,
  universe_size integer NOT NULL,
  vocabulary jsonb NOT NULL,
  built_at timestamptz NOT NULL DEFAULT now()
);

-- FEATURE_DIM of feature spec version 1 (src/features/spec.ts). The HNSW index is created by the
-- app (src/features/vector-index.ts): always on PostgreSQL, on PGlite only for large universes,
-- because building it in WASM is slow and exact search is fast enough below that size.
CREATE TABLE account_vectors (
  account_id bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  vocabulary_version integer NOT NULL,
  -- The account content the vector was computed from: a changed account has a different hash.
  content_hash text NOT NULL,
  embedding vector(236) NOT NULL
);
CREATE INDEX account_vectors_workspace ON account_vectors (workspace_id);

CREATE TABLE models (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  version integer NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'training', 'ready', 'failed')),
  active boolean NOT NULL DEFAULT false,
  -- 'forest' (random forest, PU bagging) or 'similarity' (cold start: too few won accounts for a forest).
  kind text,
  confidence text,
  spec_version integer,
  vocabulary_version integer,
  seed integer NOT NULL,
  params jsonb NOT NULL DEFAULT '{}',
  training_fingerprint text,
  counts jsonb,
  metrics jsonb,
  importances jsonb,
  -- What the model needs at scoring time: forest, vocabulary, won-account references, evidence for reasons.
  artifact jsonb,
  activation_note text,
  error text,
  job_id uuid,
  duration_ms integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  trained_at timestamptz,
  UNIQUE (workspace_id, version)
);
CREATE UNIQUE INDEX models_one_active ON models (workspace_id) WHERE active;

-- One materialisation of the universe's scores under one model. Pages are read from one run, so a
-- cursor pins it: paging while a newer run is written gives no duplicates and no gaps.
CREATE TABLE score_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  model_id uuid NOT NULL REFERENCES models (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
  accounts_scored integer NOT NULL DEFAULT 0,
  -- Minimum score of tiers A, B and C among this run's prospects: a tier is a score range.
  tier_cutoffs jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX score_runs_workspace ON score_runs (workspace_id, finished_at DESC);

CREATE TABLE account_scores (
  run_id uuid NOT NULL REFERENCES score_runs (id) ON DELETE CASCADE,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  score real NOT NULL,
  fit real NOT NULL,
  similarity real NOT NULL,
  intent real NOT NULL,
  -- Share of the declared ICP criteria met; null when the ranking does not use them (a forest exists).
  criteria real,
  -- Top reasons as feature indexes and signed weights; sentences are rendered at read time from the
  -- model's evidence, which keeps a million rows small.
  reason_features smallint[] NOT NULL,
  reason_weights real[] NOT NULL,
  -- Nearest won accounts and their cosine similarity.
  similar_ids bigint[] NOT NULL,
  similar_scores real[] NOT NULL,
  PRIMARY KEY (run_id, account_id)
);
-- The prospect page: one run, best first, keyset on (score, account_id).
CREATE INDEX account_scores_rank ON account_scores (run_id, score DESC, account_id DESC);
