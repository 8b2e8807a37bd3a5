-- Scored rows carry their rendered explanation since 011, so the compact form of it (top contributions
-- as feature indexes and weights, nearest won accounts) is no longer written: it cost ≈ 15 % of storing
-- a run on PGlite. Rows of runs scored before 011 (no stored explanation) are explained again when a
-- page reads them, from the account and the run's model (src/prospects/explanation.ts).
ALTER TABLE account_scores
  DROP COLUMN reason_features,
  DROP COLUMN reason_weights,
  DROP COLUMN similar_ids,
  DROP COLUMN similar_scores;
