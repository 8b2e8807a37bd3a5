-- A workspace's saved header mapping per import (accounts, outcomes, signals): used by the next
-- imports of that kind sent without a `mapping` of their own.
CREATE TABLE import_mappings (
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  import text NOT NULL CHECK (import IN ('accounts', 'outcomes', 'signals')),
  mapping jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, import)
);
