-- Each scored row's prospect as a page sends it: JSON text rendered and checked once, when the run
-- scores the account, with holes for the tier and the ages of intent reasons, filled when a page is
-- read (src/prospects/prospect-text.ts). account_hash is the account's content_hash as scored: a page
-- renders an account edited since then from its current values instead. Rows of runs scored before
-- have neither and are rendered when read.
ALTER TABLE account_scores ADD COLUMN prospect text, ADD COLUMN account_hash text;
