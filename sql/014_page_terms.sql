-- Filtered prospect pages whose filters match rarely. A page that its walk cannot fill
-- (src/prospects/repository.ts, pageRows) reads the run's matching rows through the filter indexes.
-- With two filters that each match many rows but rarely together (at 1M, `industry=retail&keyword=staffing`:
-- 74,000 and 40,000 rows, none in common), PostgreSQL built a bitmap of each and ANDed them: ≈ 40–65 ms.
-- One GIN index over the filter values a row has (its technologies, keywords, industry and country)
-- answers any combination of them at once, intersecting the values' posting lists inside the index
-- (≈ 5 ms for that pair). It replaces the two GIN indexes on the arrays (and is smaller than both).
-- The values share one namespace: a keyword that is also a technology's name is a false match, which the
-- page's exact conditions on the columns leave out.
CREATE INDEX account_scores_terms ON account_scores USING gin ((technologies || keywords || industry || country));
DROP INDEX account_scores_technologies;
DROP INDEX account_scores_keywords;
