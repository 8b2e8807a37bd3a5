-- Key scopes: a read key can pull prospects, lookalikes, fit, ICP, models and jobs, not change anything.
ALTER TABLE api_keys ADD COLUMN scope text NOT NULL DEFAULT 'write' CHECK (scope IN ('read', 'write'));
