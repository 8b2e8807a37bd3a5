-- What a client polls while the universe is scored (the model's `scoring`, the 409 of GET /v1/prospects):
-- the run's job, and how many accounts it has to score. accounts_scored now grows batch by batch while
-- the run is written (a repeated chunk may count twice until the run completes with the exact count).
ALTER TABLE score_runs
  ADD COLUMN job_id uuid,
  ADD COLUMN accounts_total integer;
