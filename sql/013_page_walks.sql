-- Filtered prospect pages that stay fast at 1M accounts: a page walks a run's scored rows
-- best first on an index and stops once it is full (src/prospects/repository.ts, pageRows). The walk
-- now reads nothing but the index: every filter is answered from columns the walking index carries,
-- so rows the filters reject cost an index tuple, not a visit to the wide scored row (≈ 1 KB with its
-- stored explanation). Before, `keyword=staffing&country=US` read ≈ 12,000 scored rows at 1M (≈ 115 ms)
-- and `maxEmployees=20&country=US` sorted 138,000 (≈ 340 ms).
--
-- Technologies and keywords do not fit in a B-tree (up to 1,000 values per account), so the walk
-- carries a 256-bit signature of them instead (a Bloom filter: 2 bits per value). A row whose
-- signature lacks a wanted value's bits cannot have it; one that has them is checked against the
-- arrays (≈ 0.5 % false positives with the ≈ 10 values of a typical account). hashtextextended is
-- the hash behind hash partitioning, so PostgreSQL keeps it stable across versions: signatures stored
-- by one version stay valid under the next.
CREATE FUNCTION page_tag_bits(technologies text[], keywords text[]) RETURNS bit(256)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(bit_or(set_bit(set_bit(B'0'::bit(256), (h & 255)::int, 1), ((h >> 8) & 255)::int, 1)), B'0'::bit(256))
  FROM (SELECT hashtextextended('t:' || t, 0) FROM unnest(technologies) t
        UNION ALL SELECT hashtextextended('k:' || k, 0) FROM unnest(keywords) k) values_(h)
$$;

-- Generated, so whatever writes a scored row writes its signature.
ALTER TABLE account_scores ADD COLUMN tag_bits bit(256) GENERATED ALWAYS AS (page_tag_bits(technologies, keywords)) STORED;

-- The walking indexes carry the filter columns (INCLUDE: read, not ordered by). With country (else
-- industry) filtered, the page walks that column's index, so only matching rows are walked.
DROP INDEX account_scores_rank;
DROP INDEX account_scores_country;
DROP INDEX account_scores_industry;
CREATE INDEX account_scores_rank ON account_scores (run_id, score DESC, account_id DESC) INCLUDE (country, industry, employees, tag_bits);
CREATE INDEX account_scores_country ON account_scores (run_id, country, score DESC, account_id DESC) INCLUDE (industry, employees, tag_bits);
CREATE INDEX account_scores_industry ON account_scores (run_id, industry, score DESC, account_id DESC) INCLUDE (country, employees, tag_bits);
