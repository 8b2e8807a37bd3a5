-- A model activated by hand (POST /v1/models/{id}/activate) is pinned: retrains (debounced, scheduled or
-- by hand) still produce ready models, but none is activated until the user activates another model or
-- unpins (POST /v1/models/{id}/unpin). Only the active model can be pinned.
ALTER TABLE models ADD COLUMN pinned boolean NOT NULL DEFAULT false;
ALTER TABLE models ADD CONSTRAINT models_pinned_is_active CHECK (NOT pinned OR active);
-- Retrains look up a ready model with the same training fingerprint to reuse it.
CREATE INDEX models_fingerprint ON models (workspace_id, training_fingerprint) WHERE status = 'ready';
