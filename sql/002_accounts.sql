-- The account universe, intent signals, CRM outcomes and exclusion rules; all per workspace.

CREATE TABLE accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  domain text NOT NULL,
  name text,
  industry text,
  employees integer,
  revenue double precision,
  country text,
  region text,
  city text,
  founded_year integer,
  business_model text,
  stage text,
  technologies text[] NOT NULL DEFAULT '{}',
  keywords text[] NOT NULL DEFAULT '{}',
  description text,
  -- Hash of the normalised fields: a re-import of the same data is detected as unchanged without a diff.
  content_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, domain)
);
CREATE INDEX accounts_workspace_industry ON accounts (workspace_id, industry);
CREATE INDEX accounts_workspace_country ON accounts (workspace_id, country);
CREATE INDEX accounts_technologies ON accounts USING gin (technologies);
CREATE INDEX accounts_keywords ON accounts USING gin (keywords);

CREATE TABLE signals (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  type text NOT NULL,
  occurred_at timestamptz NOT NULL,
  value double precision,
  topic text,
  source text,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- The same signal posted twice is stored once.
CREATE UNIQUE INDEX signals_dedupe ON signals (account_id, type, occurred_at, coalesce(topic, ''), coalesce(source, ''));
CREATE INDEX signals_workspace_time ON signals (workspace_id, occurred_at);

-- The current outcome per account; every change is also kept in outcome_history.
CREATE TABLE outcomes (
  account_id bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('won', 'lost', 'churned', 'open', 'competitor_customer')),
  amount double precision,
  closed_at timestamptz,
  churned_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outcomes_workspace_status ON outcomes (workspace_id, status);

CREATE TABLE outcome_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  status text NOT NULL,
  amount double precision,
  closed_at timestamptz,
  churned_at timestamptz,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outcome_history_account ON outcome_history (account_id, recorded_at);

CREATE TABLE exclusion_rules (
  workspace_id uuid PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
  industries text[] NOT NULL DEFAULT '{}',
  countries text[] NOT NULL DEFAULT '{}',
  domains text[] NOT NULL DEFAULT '{}',
  min_employees integer,
  max_employees integer,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Background work. State lives here in both queue modes, so the API reads jobs the same way.
CREATE TABLE jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  type text NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
  payload jsonb NOT NULL DEFAULT '{}',
  progress jsonb,
  result jsonb,
  error text,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX jobs_workspace_created ON jobs (workspace_id, created_at DESC);
