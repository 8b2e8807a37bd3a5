-- One random id per database: the default BullMQ queue prefix is derived from it (src/config.ts queuePrefix),
-- so installations sharing a Redis never see each other's jobs, however their DATABASE_URLs spell the host.
CREATE TABLE installation (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  one_row boolean NOT NULL DEFAULT true UNIQUE CHECK (one_row),
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO installation DEFAULT VALUES;
