-- Feature spec 2 (src/features/spec.ts): model features over the whole vocabulary (sparse, no caps),
-- and similarity vectors as TF-IDF-weighted sparsevec. Vectors and vocabularies are derived data:
-- they are dropped here and recomputed by the next vectorising or training job.
DELETE FROM feature_vocabularies;
DROP TABLE account_vectors;
-- 1,000,000 = MAX_VOCABULARY (src/features/vocabulary.ts): a dimension per vocabulary token. HNSW
-- indexes sparsevec with up to 1,000 non-zeros, which similarityVector never exceeds.
CREATE TABLE account_vectors (
  account_id bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  vocabulary_version integer NOT NULL,
  content_hash text NOT NULL,
  embedding sparsevec(1000000) NOT NULL
);
CREATE INDEX account_vectors_workspace ON account_vectors (workspace_id);

-- Feature indexes now run past smallint.
ALTER TABLE account_scores ALTER COLUMN reason_features TYPE integer[];

-- Models of spec 1 cannot read spec 2 features: their score runs go, and they can no longer be active.
DELETE FROM score_runs WHERE model_id IN (SELECT id FROM models WHERE coalesce(spec_version, 1) < 2);
UPDATE models SET active = false,
  activation_note = 'Retired: trained on feature spec 1, which this version no longer reads; train a new model (POST /v1/models).'
WHERE coalesce(spec_version, 1) < 2 AND status = 'ready';
