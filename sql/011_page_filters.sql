-- Prospect pages filter the scored rows themselves: the attributes the
-- documented filters read are copied onto account_scores when a run scores an account, so any
-- combination of filters is one indexed query on the run's rows, not a join into the whole universe.
-- The indexes (src/prospects/repository.ts pageRows says how a page uses them; 013 makes the walking ones covering):
--   country, industry  → (run_id, <column>, score DESC, account_id DESC): walked best first, stopping at the page
--   tier, minScore      → the ranking index (run_id, score DESC, account_id DESC)
--   technology, keyword → GIN on the arrays, employees → (run_id, employees): a page whose walk does
--                         not fill quickly reads the matching rows through these and sorts them
-- A page is a read, not a computation (deliverable 6): the explanation a page shows (reasons as
-- sentences, nearest won accounts) is stored as rendered, as JSON text (json, not jsonb: the page
-- query only passes it through). Null in runs scored before this migration: those are explained when
-- read, as before.
ALTER TABLE account_scores
  ADD COLUMN explanation json,
  ADD COLUMN industry text,
  ADD COLUMN country text,
  ADD COLUMN employees integer,
  ADD COLUMN technologies text[] NOT NULL DEFAULT '{}',
  ADD COLUMN keywords text[] NOT NULL DEFAULT '{}';

UPDATE account_scores s SET industry = a.industry, country = a.country, employees = a.employees,
  technologies = a.technologies, keywords = a.keywords
FROM accounts a WHERE a.id = s.account_id;

CREATE INDEX account_scores_country ON account_scores (run_id, country, score DESC, account_id DESC);
CREATE INDEX account_scores_industry ON account_scores (run_id, industry, score DESC, account_id DESC);
CREATE INDEX account_scores_technologies ON account_scores USING gin (technologies);
CREATE INDEX account_scores_keywords ON account_scores USING gin (keywords);
CREATE INDEX account_scores_employees ON account_scores (run_id, employees);
