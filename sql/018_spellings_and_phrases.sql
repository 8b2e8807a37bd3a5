-- The industry as imported, when its spelling has capitals ("IT and Cybersecurity"): `industry` keeps
-- the normalised value ("it and cybersecurity") that filters, counts and exclusions compare; labels
-- show the spelling most accounts carry. Accounts imported before have none (their labels are humanised
-- until they are imported again).
ALTER TABLE accounts ADD COLUMN industry_spelling text;

-- Feature spec 3 (src/features/spec.ts): description terms include two-word phrases. A model of an
-- older spec would explain prospects with single words ("source" where the description says "open
-- source"): it can no longer be active. On start the service asks each workspace left without a model
-- for a retrain (retrainRetiredModels, src/model/jobs.ts). Vocabularies of spec 2 are rebuilt on use.
-- (Models of spec 1 were retired by 006.)
UPDATE models SET active = false, pinned = false,
  activation_note = 'Retired: trained on feature spec 2, which explains with single description words; ' ||
    'the service requests a retrain under the current spec (or train one: POST /v1/models).'
WHERE spec_version = 2 AND status = 'ready';
