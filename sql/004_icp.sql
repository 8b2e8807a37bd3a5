-- The ICP profile: declared criteria per workspace, and the attribute analysis each model version
-- was trained with (so drift between versions can be shown).

CREATE TABLE icp_criteria (
  workspace_id uuid PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
  -- Normalised criteria as the API returns them: [{ field, values | min/max, weight }].
  criteria jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- computeIcpAttributes (src/icp/attributes.ts) at training time; null for models trained before.
ALTER TABLE models ADD COLUMN icp_profile jsonb;
