// Generated from openapi/openapi.json by `npm run openapi` (openapi-typescript). Do not edit.
export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is up */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The database is reachable and migrated; which database and queue modes are in use */
        get: operations["ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a workspace and its first API key (admin token) */
        post: operations["createWorkspace"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces/{id}/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issue an API key for a workspace (admin token), e.g. after its only key was revoked */
        post: operations["createWorkspaceApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List this workspace's API keys (never the keys themselves) */
        get: operations["listApiKeys"];
        put?: never;
        /** Create another API key for this workspace */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key; requests with it fail from now on */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/imports/accounts/mapping": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The workspace's saved header mapping for accounts imports */
        get: operations["getAccountsImportMapping"];
        /** Save a header mapping used by the accounts imports sent without one */
        put: operations["saveAccountsImportMapping"];
        post?: never;
        /** Forget the workspace's saved mapping for accounts imports */
        delete: operations["deleteAccountsImportMapping"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List accounts in the universe, ordered by domain, with cursor pagination and filters */
        get: operations["listAccounts"];
        put?: never;
        /**
         * Insert or update up to 10000 accounts by domain (all or nothing)
         * @description Every row is validated first; if any row is invalid nothing is stored and the 422 response lists each rejected row (error.details.rejected). A domain repeated in one batch: the last row wins and is reported in duplicates. Bodies over 32 MiB are refused (413); for more, import a CSV.
         */
        post: operations["upsertAccounts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import accounts from CSV, streamed, any size
         * @description Header row = Account field names (case, snake_case and camelCase accepted), their aliases, or the headers of HubSpot, Salesforce, Pipedrive, Apollo, People Data Labs and Crunchbase exports (docs/importing.md); `mapping` names the field of any other header; unknown columns are reported and ignored. Lists are separated by ";", "|" or ",". Good rows are stored, bad rows are reported with their line number. ?dryRun=true stores nothing. Re-importing the same file reports every row unchanged. With ?async=true the file is spooled to disk and imported in the background: the 202 response carries a job whose progress (rowsDone) GET /v1/jobs/{id} shows.
         */
        post: operations["importAccountsCsv"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{domain}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One account with its recent signals and its CRM outcome */
        get: operations["getAccount"];
        put?: never;
        post?: never;
        /** Delete an account with its signals, outcome and scores */
        delete: operations["deleteAccount"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/signals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record up to 10000 intent and trigger signals
         * @description Signals for accounts not in the universe are reported in unknownDomains and not stored. A malformed row rejects the request (400) with the path of the first 20 bad fields, e.g. body.signals.3.type. Bodies over 8 MiB are refused (413).
         */
        post: operations["recordSignals"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/imports/signals/mapping": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The workspace's saved header mapping for signals imports */
        get: operations["getSignalsImportMapping"];
        /** Save a header mapping used by the signals imports sent without one */
        put: operations["saveSignalsImportMapping"];
        post?: never;
        /** Forget the workspace's saved mapping for signals imports */
        delete: operations["deleteSignalsImportMapping"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/signals/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import intent and activity signals from CSV, streamed, any size
         * @description Columns: domain or website, type (or `types` mapping the file's activity values, or ?type= for the whole file), date, and optionally value, topic and source. Good rows are stored in batches as the file is read; bad rows are reported with their line; signals of domains not in the universe are reported and not stored.
         */
        post: operations["importSignalsCsv"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/outcomes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record up to 10000 CRM outcomes (won, lost, churned, open, competitor_customer)
         * @description Upserts the current outcome per account and keeps every change in its history. Unknown domains are reported, or created when Account fields (name, industry, employees, ...) are sent in the same object. Bodies over 16 MiB are refused (413).
         */
        post: operations["recordOutcomes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/imports/outcomes/mapping": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The workspace's saved header mapping for outcomes imports */
        get: operations["getOutcomesImportMapping"];
        /** Save a header mapping used by the outcomes imports sent without one */
        put: operations["saveOutcomesImportMapping"];
        post?: never;
        /** Forget the workspace's saved mapping for outcomes imports */
        delete: operations["deleteOutcomesImportMapping"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/outcomes/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import outcomes from a deals export (CSV, streamed): HubSpot deals, Salesforce opportunities, Pipedrive deals
         * @description Each deal finds its account by domain or website, else by company name (normalised, within the workspace; unmatched and ambiguous names are reported with their lines). Deal stages become statuses (Closed Won → won, Closed Lost → lost, the other stages of the standard pipelines → open; `stages` maps custom ones). An account with several deals takes its strongest (churned, won, open, lost). Bad rows are reported with their line (at most 1000); good rows are kept.
         */
        post: operations["importOutcomesCsv"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exclusions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The workspace's hard exclusion rules */
        get: operations["getExclusions"];
        /** Replace the exclusion rules applied to every prospect list and lookalike result */
        put: operations["putExclusions"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/icp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The ICP your outcomes imply: attribute lift, top segments, criteria check, drift and a summary
         * @description Lift = share among won accounts / share in the universe, with a 95% Wilson interval. An attribute is strong when at least 5 won accounts have it, its lift is at least 1.2× and its one-sided Fisher's exact test survives Benjamini–Hochberg at q ≤ 0.05 over every value held by 5+ universe accounts; with fewer than 10 won accounts the evidence is thin and nothing is strong. Segments combine 2–3 strong attributes. CSV: ?format=csv (or Accept: text/csv) returns one table, chosen by part=attributes (default) or part=segments. 400 no_outcomes when the workspace has no outcomes, no_won_accounts when none is won.
         */
        get: operations["getIcp"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/icp/criteria": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your declared ICP criteria (weighted hypotheses for a cold start) */
        get: operations["getIcpCriteria"];
        /** Replace your declared ICP criteria; GET /v1/icp checks each against your outcomes */
        put: operations["putIcpCriteria"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Status, progress, result and error of a background job */
        get: operations["getJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This workspace's most recent jobs, newest first */
        get: operations["listJobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/settings/retraining": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The workspace's retraining schedule
         * @description Besides the schedule, recorded outcome changes (POST /v1/outcomes) trigger a retrain 60 s after the last change. A retrained model becomes active unless it is clearly worse than the active one; then the universe is rescored.
         */
        get: operations["getRetrainingSettings"];
        /**
         * Set the retraining schedule (daily, weekly or off)
         * @description Besides the schedule, recorded outcome changes (POST /v1/outcomes) trigger a retrain 60 s after the last change. A retrained model becomes active unless it is clearly worse than the active one; then the universe is rescored.
         */
        put: operations["putRetrainingSettings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Model versions, newest first, with status, metrics and which one is active */
        get: operations["listModels"];
        put?: never;
        /**
         * Train a new lookalike model version now (in the background)
         * @description Returns at once with the queued model and its job. The newest ready model becomes active unless it is clearly worse than the active one on the same cross-validation folds, or the active model is pinned (activated by hand); then scoring of the universe is scheduled. Retrains after outcome changes or on a schedule reuse a ready model trained on exactly the same data (same trainingFingerprint) instead of adding a version. A workspace has at most one model queued for training: while one is queued, a request with the same seed and params is answered with it (202, the same model and job ids, alreadyQueued: true; its training reads the data when it starts), and one with other settings gets 409 training_already_queued naming it.
         */
        post: operations["trainModel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One model version: status, training counts, cross-validated metrics, feature importances */
        get: operations["getModel"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{id}/activate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make a ready model the active one and pin it (roll back or forward); rescoring is scheduled if needed
         * @description The model is pinned: retrains (after outcome changes, on the schedule or by hand) still produce ready models, but none is activated while the pin holds; their note says so. Activating another model moves the pin to it; POST /v1/models/{id}/unpin removes it, so the next retrain may replace the model again.
         */
        post: operations["activateModel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{id}/unpin": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Unpin a model activated by hand: it stays active, and the next retrain may replace it */
        post: operations["unpinModel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/prospects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Ranked, explained prospect accounts from the active model (JSON pages or the whole list as CSV)
         * @description Accounts already won, lost, churned or open, and accounts excluded by the workspace rules, are never returned. Pages are read from one materialised scoring run; nextCursor pins that run, so walking the pages while a new model is being scored gives no duplicates and no gaps. Send "Accept: text/csv" (or format=csv) for the whole filtered list as a spreadsheet with reasons in columns: UTF-8 with a byte order mark, so spreadsheets opened by double-click read the "—" and accents right (bom=false leaves it out); headers are camelCase like the JSON fields. Before a first run can be served the answer is 409 no_scores: while a model trains or its universe is scored, error.details says what is under way (underway: training or scoring, modelId, job, progress) and a Retry-After header says when to ask again; otherwise details.underway is null and the message says what to do. While a newer model's universe is scored, the previous run is served (model.active false, model.runId names it). A JSON page carries an ETag: sent back in If-None-Match, it gets 304 and no body while the page reads the same. The CSV, streamed as it is read, carries none (If-None-Match "*" alone matches it), nor a Content-Length; HEAD answers with the headers a GET gets without reading its rows.
         */
        get: operations["listProspects"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/lookalikes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Accounts most similar to a set of seed accounts (no model needed)
         * @description pgvector nearest neighbours around the seeds (up to 500; many seeds are grouped into centroids), merged and re-ranked by similarity to each account’s nearest seeds. Seeds, and accounts already won, lost, churned or open (unless includeCustomers), are left out; exclusion rules apply. Unknown seed domains are reported, not fatal. 409 vectors_pending (with Retry-After, details.accountsToVectorise): a seed has no similarity vector yet and more accounts than a request vectorises itself wait for the vectors.refresh job (after a large import).
         */
        post: operations["findLookalikes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{domain}/fit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Score, tier and explanation of one account, computed now with the active model
         * @description Works for accounts no scoring run has seen yet, e.g. an inbound lead just added with POST /v1/accounts.
         */
        get: operations["getAccountFit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/backtests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How earlier rankings turned out: outcomes decided after each scoring run, by tier, at k, and the lift of tier A
         * @description Every completed scoring run is snapshotted (rank, score and tier of its prospects) and kept for the last BACKTEST_RETENTION_RUNS runs (default 12). For each, the accounts that were prospects then and whose outcome was decided after it (closedAt later than the run, or recorded later when there is no closedAt): counts and win rate by tier, precision and recall at 10, 50 and 100, lift of tier A over all the run’s prospects, with 95% Wilson intervals, and a sentence to quote.
         */
        get: operations["listBacktests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/backtests/{runId}/tier-changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Accounts that entered, left or moved within tiers A and B at a scoring run, against the run before it
         * @description The rest of a prospects.tier_changed webhook payload, which carries the first 500.
         */
        get: operations["listTierChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The workspace’s webhooks (without their secrets) */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Subscribe a URL to events (model.ready, model.activated, scoring.completed, prospects.tier_changed)
         * @description Each delivery is a POST of `{ type, timestamp, data }` signed per Standard Webhooks: headers `webhook-id` (the same on every retry), `webhook-timestamp` (Unix seconds) and `webhook-signature` = `v1,` + base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}" keyed with the base64-decoded part of the secret after `whsec_`. A 2xx answer within 10 s is a success; anything else is retried after 10 s, 1 min, 5 min and 30 min (5 attempts). The secret is returned once, now. URLs on private, loopback or link-local addresses are refused (also when their host name resolves to one), unless the service runs with WEBHOOK_ALLOW_PRIVATE=true.
         */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One webhook (without its secret) */
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        /** Stop sending to this webhook (pending deliveries and its log go with it) */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The delivery log of a webhook: each event sent, every attempt with its status code or error, newest first */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/coverage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Per account field: how many accounts miss it and how much the active model relies on it — what to enrich first
         * @description reliance = the share of the active model’s feature importance on features from that field (industry:*, num:log_employees, tech:*, unknown:industry, …); a cold-start model weighs every field alike. Sorted by priority = reliance × missingShare.
         */
        get: operations["getAccountCoverage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/prospects/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How many prospects each tier holds in the current scoring run (the report page shows it) */
        get: operations["getProspectSummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Error: {
            error: {
                /** @example validation_failed */
                code: string;
                message: string;
                details?: unknown;
            };
        };
        Job: {
            /** Format: uuid */
            id: string;
            /** @example accounts.import */
            type: string;
            /** @enum {string} */
            status: "queued" | "running" | "completed" | "failed";
            /**
             * @description What the job has done so far, e.g. { rowsDone, rowsTotal? }
             * @example {
             *       "rowsDone": 50000
             *     }
             */
            progress: {
                [key: string]: unknown;
            } | null;
            result: unknown | null;
            error: string | null;
            attempts: number;
            /** Format: date-time */
            createdAt: string;
            startedAt: string | null;
            finishedAt: string | null;
        };
        JobRef: {
            /** Format: uuid */
            id: string;
        };
        Account: {
            /** @example acme.com */
            domain: string;
            name: string | null;
            /** @example software */
            industry: string | null;
            /** @example 1200 */
            employees: number | null;
            /**
             * @description Annual revenue in USD
             * @example 150000000
             */
            revenue: number | null;
            /**
             * @description ISO 3166-1 alpha-2
             * @example US
             */
            country: string | null;
            region: string | null;
            city: string | null;
            foundedYear: number | null;
            businessModel: ("b2b" | "b2c" | "b2b2c" | "marketplace" | "nonprofit" | "government") | null;
            /** @example series_b */
            stage: string | null;
            /**
             * @example [
             *       "salesforce",
             *       "snowflake"
             *     ]
             */
            technologies: string[];
            /**
             * @example [
             *       "fintech",
             *       "payments"
             *     ]
             */
            keywords: string[];
            description: string | null;
        };
        SavedImportMapping: {
            /** @description CSV header → field, or null to ignore the column */
            mapping: {
                [key: string]: string | null;
            };
            /** Format: date-time */
            updatedAt: string;
        };
        /**
         * @description Account fields as in Account; only domain is required. Values are normalised per row: website URLs become domains, country names become ISO codes, "1,200" and ranges like "51-200" become numbers, lists may be arrays or ";"-separated.
         * @example {
         *       "domain": "https://www.Acme.com/about",
         *       "name": "Acme",
         *       "industry": "software",
         *       "employees": "51-200",
         *       "revenue": "$12M",
         *       "country": "United States",
         *       "businessModel": "B2B",
         *       "stage": "Series B",
         *       "technologies": [
         *         "Salesforce",
         *         "Snowflake"
         *       ],
         *       "keywords": "saas;analytics"
         *     }
         */
        AccountRow: {
            [key: string]: unknown;
        };
        RejectedRow: {
            /** @description Position in the JSON batch (0-based) */
            index?: number;
            /** @description Line in the CSV file (1-based; the header is line 1) */
            line?: number;
            domain?: string;
            errors: string[];
        };
        ImportColumn: {
            header: string;
            /** @description What the column fills; null when it is ignored or a fallback */
            field: string | null;
            /** @description The field this column fills in rows where the column chosen for it is empty */
            fallbackFor?: string;
            /** @description Why: named in the mapping, a known header, or why it is ignored */
            reason: string;
        };
        ImportSummary: {
            inserted: number;
            updated: number;
            unchanged: number;
            rejected: components["schemas"]["RejectedRow"][];
            duplicates: {
                domain: string;
                index?: number;
                line?: number;
                /** @description The earlier index or line this row replaced (last wins) */
                replaces: number;
            }[];
            /** @description Data rows read (header excluded) */
            rows: number;
            rejectedCount: number;
            duplicateCount: number;
            /** @description Header columns that are not used; ignored */
            unknownColumns: string[];
            /** @description Each column of the header: the field it fills, or why it is ignored */
            columns: components["schemas"]["ImportColumn"][];
            /** @description Dry runs: the first 20 rows as they would be stored */
            sample?: components["schemas"]["Account"][];
        };
        Signal: {
            /** @enum {string} */
            type: "web_visit" | "event_attended" | "event_sponsored" | "competitor_evaluation" | "competitor_displaced" | "topic_surge" | "funding_round" | "hiring_surge" | "leadership_change";
            /** Format: date-time */
            occurredAt: string;
            value: number | null;
            topic: string | null;
            source: string | null;
        };
        UnknownDomain: {
            index: number;
            domain: string;
        };
        /** @description Extra Account fields (name, industry, employees, ...) in the same object create the account if it is not in the universe yet. */
        OutcomeRecord: {
            /** @example acme.com */
            domain: string;
            /** @enum {string} */
            status: "won" | "lost" | "churned" | "open" | "competitor_customer";
            /**
             * @description Deal value (e.g. ACV) in USD
             * @example 48000
             */
            amount?: number | null;
            closedAt?: (string) | null;
            churnedAt?: (string) | null;
        } & {
            [key: string]: unknown;
        };
        Outcome: {
            /** @enum {string} */
            status: "won" | "lost" | "churned" | "open" | "competitor_customer";
            amount: number | null;
            closedAt: string | null;
            churnedAt: string | null;
            /** Format: date-time */
            updatedAt: string;
        };
        AccountDetails: {
            account: components["schemas"]["Account"];
            /** @description The 100 most recent signals, newest first */
            signals: components["schemas"]["Signal"][];
            outcome: components["schemas"]["Outcome"] | null;
        };
        ExclusionRules: {
            /**
             * @description Industries never to prospect
             * @default []
             * @example [
             *       "gambling"
             *     ]
             */
            industries: string[];
            /**
             * @description Countries never to prospect (names or ISO codes)
             * @default []
             * @example [
             *       "RU"
             *     ]
             */
            countries: string[];
            /**
             * @description Accounts never to prospect (domains or URLs)
             * @default []
             * @example [
             *       "competitor.com"
             *     ]
             */
            domains: string[];
            /**
             * @description Smaller accounts are excluded; unknown sizes are kept
             * @default null
             */
            minEmployees: number | null;
            /**
             * @description Larger accounts are excluded; unknown sizes are kept
             * @default null
             */
            maxEmployees: number | null;
        };
        /**
         * @example {
         *       "attribute": "technology",
         *       "value": "snowflake",
         *       "label": "Uses Snowflake",
         *       "strength": "strong",
         *       "lift": 4.97,
         *       "liftInterval": {
         *         "low": 3.63,
         *         "high": 6.48
         *       },
         *       "wonWith": 29,
         *       "universeWith": 1060,
         *       "wonShare": 0.2636,
         *       "universeShare": 0.053,
         *       "pValue": 2.1e-11,
         *       "qValue": 4.3e-10
         *     }
         */
        IcpAttribute: {
            /** @enum {string} */
            attribute: "businessModel" | "industry" | "sizeBand" | "region" | "country" | "stage" | "technology" | "keyword";
            /** @description The stored value: industry, size band, region, ISO country code, technology, ... */
            value: string;
            label: string;
            /**
             * @description strong: over-indexes with real evidence (at least 5 won accounts have it, lift ≥ 1.2, q ≤ 0.05, and at least 10 won accounts in all); weak: lift above 1 without that evidence; none: does not over-index
             * @enum {string}
             */
            strength: "strong" | "weak" | "none";
            /** @description Share among won accounts / share in the universe */
            lift: number;
            /** @description 95% Wilson interval of the share among won accounts, divided by the universe share */
            liftInterval: {
                low: number;
                high: number;
            };
            /** @description Won accounts with this value */
            wonWith: number;
            /** @description Universe accounts with this value (won accounts included) */
            universeWith: number;
            wonShare: number;
            universeShare: number;
            /** @description One-sided Fisher's exact test: won accounts have this value more often than chance */
            pValue: number;
            /** @description Benjamini–Hochberg adjusted p-value over every value held by at least 5 universe accounts; null for rarer values (never strong) */
            qValue: number | null;
        };
        IcpCounts: {
            universe: number;
            won: number;
            lost: number;
            churned: number;
            /** @description won / (won + lost); null without decided deals */
            winRate: number | null;
            /** @description churned / (won + churned) */
            churnRate: number | null;
            /** @description Mean outcome amount of won accounts, USD */
            averageDealValue: number | null;
            /** @description Accounts with no outcome at all that no exclusion rule removes: the addressable market */
            untouched: number;
            open: number;
            competitorCustomer: number;
        };
        /**
         * @example {
         *       "values": [
         *         {
         *           "attribute": "businessModel",
         *           "value": "b2b",
         *           "label": "B2B"
         *         },
         *         {
         *           "attribute": "industry",
         *           "value": "software",
         *           "label": "Software"
         *         },
         *         {
         *           "attribute": "technology",
         *           "value": "salesforce",
         *           "label": "Uses Salesforce"
         *         }
         *       ],
         *       "label": "B2B, Software, Uses Salesforce",
         *       "matching": 310,
         *       "won": 41,
         *       "lost": 12,
         *       "churned": 2,
         *       "winRate": 0.7736,
         *       "churnRate": 0.0465,
         *       "averageDealValue": 61200,
         *       "untouched": 236,
         *       "winRateLift": 3.1,
         *       "lift": 24.05,
         *       "liftInterval": {
         *         "low": 18.4,
         *         "high": 30.1
         *       },
         *       "pValue": 1.2e-38
         *     }
         */
        IcpSegment: {
            values: {
                /** @enum {string} */
                attribute: "businessModel" | "industry" | "sizeBand" | "region" | "country" | "stage" | "technology" | "keyword";
                value: string;
                label: string;
            }[];
            label: string;
            /** @description Universe accounts in the segment */
            matching: number;
            won: number;
            lost: number;
            churned: number;
            /** @description won / (won + lost); null without decided deals */
            winRate: number | null;
            /** @description churned / (won + churned) */
            churnRate: number | null;
            /** @description Mean outcome amount of won accounts, USD */
            averageDealValue: number | null;
            /** @description Accounts with no outcome at all that no exclusion rule removes: the addressable market */
            untouched: number;
            /** @description The segment's win rate / the workspace's */
            winRateLift: number | null;
            /** @description Share of won accounts in the segment / share of the universe in it */
            lift: number;
            /** @description 95% Wilson interval of the share among won accounts, divided by the universe share */
            liftInterval: {
                low: number;
                high: number;
            };
            pValue: number;
        };
        /**
         * @description A list criterion matches an account with any of its values; a range criterion one within min..max (inclusive)
         * @example {
         *       "field": "industry",
         *       "values": [
         *         "software",
         *         "fintech"
         *       ],
         *       "weight": 2
         *     }
         */
        IcpCriterion: {
            /** @enum {string} */
            field: "businessModel" | "industry" | "sizeBand" | "region" | "country" | "stage" | "technology" | "keyword";
            values: string[];
            /**
             * @description Relative importance (default 1)
             * @default 1
             */
            weight: number;
        } | {
            /** @enum {string} */
            field: "employees" | "revenue";
            min: number | null;
            max: number | null;
            /**
             * @description Relative importance (default 1)
             * @default 1
             */
            weight: number;
        };
        IcpCriteria: {
            criteria: components["schemas"]["IcpCriterion"][];
            /** @description Null when none were ever declared */
            updatedAt: string | null;
        };
        IcpCriterionCheck: {
            criterion: components["schemas"]["IcpCriterion"];
            label: string;
            wonWith: number;
            universeWith: number;
            /** @description Null when no universe account matches */
            lift: number | null;
            liftInterval: {
                low: number;
                high: number;
            } | null;
            /**
             * @description supported / contradicted: won accounts match it more / less often than chance (two-sided Fisher test, Benjamini–Hochberg over the criteria, q ≤ 0.05) by a lift of at least 1.2× (or 1/1.2); not_supported: neither; not_enough_data: fewer than 10 won accounts, or fewer than 5 won accounts either match or would be expected to
             * @enum {string}
             */
            verdict: "supported" | "not_supported" | "contradicted" | "not_enough_data";
            note: string;
        };
        IcpDrift: {
            /** @enum {string} */
            status: "compared" | "no_active_model" | "no_earlier_model" | "no_snapshot";
            message: string;
            /** @description The profile snapshot of the active model */
            current: {
                /** Format: uuid */
                modelId: string;
                version: number;
                /** Format: date-time */
                computedAt: string;
            } | null;
            /** @description The snapshot of the most recent earlier ready model */
            previous: {
                /** Format: uuid */
                modelId: string;
                version: number;
                /** Format: date-time */
                computedAt: string;
            } | null;
            changes: {
                /** @enum {string} */
                attribute: "businessModel" | "industry" | "sizeBand" | "region" | "country" | "stage" | "technology" | "keyword";
                value: string;
                label: string;
                /**
                 * @description appeared / disappeared: became / stopped being strong; rose / fell: strong in both, lift changed by 25% or more
                 * @enum {string}
                 */
                change: "appeared" | "disappeared" | "rose" | "fell";
                liftBefore: number | null;
                liftAfter: number | null;
            }[];
        };
        IcpProfile: {
            /**
             * @description thin: fewer than 10 won accounts; nothing is marked strong
             * @enum {string}
             */
            evidence: "thin" | "sufficient";
            evidenceNote: string;
            /** @description Plain-language ICP, for a slide */
            summary: string;
            counts: components["schemas"]["IcpCounts"];
            /** @description Every value at least one won account has; strong first, then by p-value */
            attributes: components["schemas"]["IcpAttribute"][];
            /** @description Combinations of 2–3 strong attributes with at least 5 won accounts, most significant first (top 10) */
            segments: components["schemas"]["IcpSegment"][];
            /** @description Your declared criteria, checked against the data */
            criteria: components["schemas"]["IcpCriterionCheck"][];
            drift: components["schemas"]["IcpDrift"];
        };
        ModelMetrics: {
            folds: number;
            /** @description Cross-validated ROC AUC: held-out won accounts against held-out lost/churned and unlabelled */
            auc: number;
            foldAuc: (number | null)[];
            topFraction: number;
            /** @description Size of the top of each held-out list, summed over folds */
            k: number;
            pool: number;
            heldOutPositives: number;
            hits: number;
            /** @description Share of held-out won accounts ranked in the top k among unlabelled accounts */
            recallAtK: number;
            precisionAtK: number;
            baseRate: number;
            /** @description precision@k over the base rate */
            lift: number;
            /** @description How the ranking blends fit, similarity and intent, chosen by this model's cross-validation */
            blend?: {
                /** @description Share of similarity against fit that cross-validation chose (0 = fit alone) */
                similarity: number;
                /** @description Share of the linear model in the fit against the forest's, chosen by cross-validation (0 = the forest alone) */
                linear?: number;
                /** @description Cross-validated average precision of every pair of shares tried */
                grid: {
                    linear?: number;
                    similarity: number;
                    averagePrecision: number;
                }[];
                /** @description The weights the ranking uses */
                weights: {
                    fit: number;
                    similarity: number;
                    intent: number;
                } | null;
                /** @description How fit and similarity at these weights are put on one scale (Platt scaling fitted on the cross-validation's held-out accounts): score = (weights.fit + weights.similarity) × σ(slope × logit(blend) + intercept) + weights.intent × intent, where blend is their weighted mean. Null: uncalibrated */
                calibration?: {
                    slope: number;
                    intercept: number;
                } | null;
            };
        };
        ModelScoring: {
            /**
             * @description none: no scoring run of this model exists (it has not been active since it was trained, or newer runs replaced its run); queued or running: its universe is being scored, and GET /v1/prospects serves the previous run until this one completes; completed: its prospects are served while it is active; failed: error says why
             * @enum {string}
             */
            status: "none" | "queued" | "running" | "completed" | "failed";
            /**
             * @description Share of the universe scored so far (1 once completed; null when unknown)
             * @example 0.4
             */
            progress: number | null;
            /** @description The scoring run (a prospect page's model.runId names the run it reads) */
            runId: string | null;
            /** @description The scoring job (GET /v1/jobs/{id}) */
            job: components["schemas"]["JobRef"] | null;
            startedAt: string | null;
            completedAt: string | null;
            error: string | null;
        };
        Model: {
            /** Format: uuid */
            id: string;
            version: number;
            /** @enum {string} */
            status: "queued" | "training" | "ready" | "failed";
            active: boolean;
            /** @description Activated by hand: retrains produce new ready models but do not activate them until you activate another model or unpin this one (POST /v1/models/{id}/unpin) */
            pinned: boolean;
            /** @description similarity = cold start: too few won accounts for a forest */
            kind: ("forest" | "similarity") | null;
            confidence: ("high" | "medium" | "low") | null;
            featureSpecVersion: number | null;
            seed: number;
            params: {
                [key: string]: unknown;
            };
            /** @description Hash of the labelled examples, vocabulary, seed and parameters */
            trainingFingerprint: string | null;
            counts: {
                won: number;
                competitorCustomers: number;
                lost: number;
                churned: number;
                unlabelledSample: number;
                universe: number;
            } | null;
            metrics: components["schemas"]["ModelMetrics"] | null;
            importances: {
                key: string;
                label: string;
                importance: number;
            }[] | null;
            /** @description Why the model is or is not active, or what the numbers mean */
            note: string | null;
            error: string | null;
            durationMs: number | null;
            job: components["schemas"]["JobRef"] | null;
            /** Format: date-time */
            createdAt: string;
            trainedAt: string | null;
            /** @description The scoring of the universe that follows this model once it is active */
            scoring: components["schemas"]["ModelScoring"];
        };
        DataCoverage: {
            /**
             * @description Share (0–1) of what the active model relies on that this account has, each field weighted by the model’s reliance on it
             * @example 0.82
             */
            share: number;
            /** @description The missing fields the model relies on most (at most 3): what to enrich first */
            missing: {
                /** @enum {string} */
                field: "industry" | "employees" | "revenue" | "country" | "region" | "city" | "foundedYear" | "businessModel" | "stage" | "technologies" | "keywords" | "description";
                /** @description Share of the model’s feature importance on this field */
                reliance: number;
            }[];
        };
        FieldCoverage: {
            /** @enum {string} */
            field: "industry" | "employees" | "revenue" | "country" | "region" | "city" | "foundedYear" | "businessModel" | "stage" | "technologies" | "keywords" | "description";
            /** @description Accounts without a value */
            missing: number;
            missingShare: number;
            /** @description Share of the active model’s feature importance on this field (null: no active model) */
            reliance: number | null;
            /** @description reliance × missingShare: how much enriching this field would add; the list is sorted by it */
            priority: number | null;
        };
        Reason: {
            /** @example tech:snowflake */
            feature: string;
            /** @example Uses Snowflake — 7 of 9 won accounts do, 4% of the universe does */
            label: string;
            /** @enum {string} */
            direction: "positive" | "negative";
            /** @description Size of the effect (fit: probability points; intent: decayed evidence; similarity: cosine) */
            weight: number;
        };
        SimilarAccount: {
            domain: string;
            similarity: number;
        };
        Subscores: {
            /** @description The model's fit probability (null without a forest: cold start) */
            fit: number | null;
            /** @description Mean cosine similarity to the nearest won accounts */
            similarity: number;
            /** @description Recency-weighted intent and trigger signals */
            intent: number;
            /** @description Share of your declared ICP criteria met (cold start only; null otherwise) */
            criteria: number | null;
        };
        Prospect: {
            domain: string;
            name: string | null;
            /**
             * @description 0–1
             * @example 0.82
             */
            score: number;
            /** @enum {string} */
            tier: "A" | "B" | "C" | "D";
            subscores: components["schemas"]["Subscores"];
            reasons: components["schemas"]["Reason"][];
            /** @description Nearest won accounts */
            similarTo: components["schemas"]["SimilarAccount"][];
            account: components["schemas"]["Account"];
            dataCoverage: components["schemas"]["DataCoverage"];
        };
        ModelRef: {
            /** Format: uuid */
            id: string;
            version: number;
            /** @enum {string} */
            kind: "forest" | "similarity";
            /** @enum {string} */
            confidence: "high" | "medium" | "low";
            /** @description false while a newer model is being scored: its previous run is served until the new run completes (GET /v1/models/{id} shows its scoring) */
            active: boolean;
            /** @description The scoring run the scores come from (null: computed now) */
            runId: string | null;
            /** @description When that run completed */
            scoredAt: string | null;
        };
        Lookalike: {
            domain: string;
            name: string | null;
            /** @description Mean cosine similarity to its nearest seeds */
            similarity: number;
            resembles: {
                domain: string;
                similarity: number;
                /**
                 * @description What it shares with this seed
                 * @example [
                 *       "Industry: Software",
                 *       "Uses Snowflake"
                 *     ]
                 */
                shared: string[];
            }[];
            account: components["schemas"]["Account"];
        };
        Fit: {
            domain: string;
            score: number;
            /** @enum {string} */
            tier: "A" | "B" | "C" | "D";
            subscores: components["schemas"]["Subscores"];
            reasons: components["schemas"]["Reason"][];
            similarTo: components["schemas"]["SimilarAccount"][];
            model: components["schemas"]["ModelRef"];
            /**
             * @description The model's confidence, lowered one step when dataCoverage.share < 0.5 and to low when < 0.25 (a score computed mostly from missing data)
             * @enum {string}
             */
            confidence: "high" | "medium" | "low";
            dataCoverage: components["schemas"]["DataCoverage"];
            /** @description The account’s CRM outcome, if any (such accounts are never prospects) */
            outcome: string | null;
        };
        Webhook: {
            /** Format: uuid */
            id: string;
            url: string;
            events: ("model.ready" | "model.activated" | "scoring.completed" | "prospects.tier_changed")[];
            description: string | null;
            /** Format: date-time */
            createdAt: string;
        };
        WebhookDeliveryAttempt: {
            /** @description 1 = the first try */
            attempt: number;
            /** @description The receiver's HTTP status; null when no response came */
            statusCode: number | null;
            error: string | null;
            /** Format: date-time */
            startedAt: string;
            /** Format: date-time */
            finishedAt: string;
        };
        WebhookDelivery: {
            /** Format: uuid */
            id: string;
            event: {
                /** @description The webhook-id header: the same on every attempt */
                id: string;
                /** @enum {string} */
                type: "model.ready" | "model.activated" | "scoring.completed" | "prospects.tier_changed";
            };
            /** @enum {string} */
            status: "pending" | "delivering" | "succeeded" | "failed";
            attempts: components["schemas"]["WebhookDeliveryAttempt"][];
            /** @description When it is tried again (pending only) */
            nextAttemptAt: string | null;
            /** Format: date-time */
            createdAt: string;
        };
        OutcomeImportSummary: {
            /** @description Data rows read (header excluded) */
            rows: number;
            /** @description Outcomes that are new or changed */
            recorded: number;
            unchanged: number;
            /** @description Accounts given an outcome (an account with several deals takes its strongest) */
            accounts: number;
            /** @description Of those, accounts found by company name */
            matchedByName: number;
            /** @description Accounts per status */
            statuses: {
                [key: string]: number;
            };
            /** @description Domains not in the universe; not stored */
            unknownDomains: {
                /** @description Line in the CSV file (1-based; the header is line 1) */
                line: number;
                domain: string;
            }[];
            /** @description Company names no account has; not stored */
            unmatchedNames: {
                /** @description Line in the CSV file (1-based; the header is line 1) */
                line: number;
                company: string;
            }[];
            /** @description Company names several accounts have; not stored (add the domain to the file) */
            ambiguousNames: {
                /** @description Line in the CSV file (1-based; the header is line 1) */
                line: number;
                company: string;
                domains: string[];
            }[];
            rejected: {
                /** @description Line in the CSV file (1-based; the header is line 1) */
                line: number;
                errors: string[];
            }[];
            rejectedCount: number;
            columns: components["schemas"]["ImportColumn"][];
            /** @description Dry runs: the first outcomes as they would be stored */
            sample?: {
                /** @description Line in the CSV file (1-based; the header is line 1) */
                line: number;
                domain: string;
                /** @enum {string} */
                status: "won" | "lost" | "churned" | "open" | "competitor_customer";
                amount: number | null;
                closedAt: string | null;
                churnedAt: string | null;
            }[];
        };
        RetrainingSettings: {
            /**
             * @description Retrain on a schedule: daily at 03:00 UTC, weekly on Mondays at 03:00 UTC, or off
             * @example weekly
             * @enum {string}
             */
            schedule: "off" | "daily" | "weekly";
        };
        SignalImportSummary: {
            /** @description Data rows read (header excluded) */
            rows: number;
            inserted: number;
            /** @description Signals already stored (same account, type, time, topic and source) */
            duplicates: number;
            /** @description Rows whose account is not in the universe; not stored */
            unknownDomains: {
                /** @description Line in the CSV file (1-based; the header is line 1) */
                line: number;
                domain: string;
            }[];
            unknownDomainCount: number;
            rejected: {
                /** @description Line in the CSV file (1-based; the header is line 1) */
                line: number;
                errors: string[];
            }[];
            rejectedCount: number;
            columns: components["schemas"]["ImportColumn"][];
            /** @description Dry runs: the first signals as they would be stored */
            sample?: {
                /** @description Line in the CSV file (1-based; the header is line 1) */
                line: number;
                domain: string;
                /** @enum {string} */
                type: "web_visit" | "event_attended" | "event_sponsored" | "competitor_evaluation" | "competitor_displaced" | "topic_surge" | "funding_round" | "hiring_surge" | "leadership_change";
                occurredAt: string;
                value: number | null;
                topic: string | null;
                source: string | null;
            }[];
        };
        Workspace: {
            /** Format: uuid */
            id: string;
            name: string;
        };
        ApiKey: {
            /** Format: uuid */
            id: string;
            name: string;
            /**
             * @description read: GET requests and POST /v1/lookalikes (prospects, lookalikes, fit, ICP, models, jobs); write: everything
             * @enum {string}
             */
            scope: "read" | "write";
            /**
             * @description First characters of the key, to recognise it
             * @example lak_3f9Qx2
             */
            prefix: string;
            /** Format: date-time */
            createdAt: string;
            revokedAt: string | null;
        };
        /** @description 95% interval (Wilson score interval for a share) */
        Interval: {
            low: number;
            high: number;
        };
        Backtest: {
            run: {
                /** Format: uuid */
                id: string;
                model: {
                    /** Format: uuid */
                    id: string;
                    version: number | null;
                };
                /** Format: date-time */
                scoredAt: string;
                /** @description Unlabelled accounts (prospects) the run ranked: the population followed */
                prospects: number;
            };
            outcomes: {
                /** @description Accounts of the run with an outcome decided after the run */
                total: number;
                won: number;
                lost: number;
                churned: number;
                open: number;
                competitorCustomer: number;
            };
            overall: {
                winRate: number | null;
                winRateInterval: components["schemas"]["Interval"] | null;
            };
            tiers: {
                /** @enum {string} */
                tier: "A" | "B" | "C" | "D";
                /** @description Prospects in this tier at the run */
                accounts: number;
                outcomes: {
                    /** @description Accounts of the run with an outcome decided after the run */
                    total: number;
                    won: number;
                    lost: number;
                    churned: number;
                    open: number;
                    competitorCustomer: number;
                };
                /** @description Won since / accounts in the tier (null until an outcome is recorded after the run) */
                winRate: number | null;
                winRateInterval: components["schemas"]["Interval"] | null;
            }[];
            atK: {
                k: number;
                /** @description Accounts won since among the run’s top k */
                won: number;
                /** @description won / k (k capped at the run’s prospects; null until an outcome is recorded after the run) */
                precision: number | null;
                precisionInterval: components["schemas"]["Interval"] | null;
                /** @description won / all accounts of the run won since */
                recall: number | null;
                recallInterval: components["schemas"]["Interval"] | null;
            }[];
            /** @description Null while nothing has been won, or with no tier A */
            liftA: {
                /** @description Win rate of tier A / win rate of all the run’s prospects */
                lift: number;
                interval: components["schemas"]["Interval"];
                /** @description One-sided Fisher's exact test that tier A over-indexes */
                pValue: number;
            } | null;
            /** @example Of the 40 A-tier accounts of 3 March 2026, 9 were won since (23%), against 3% of D-tier. */
            summary: string;
        };
        TierChange: {
            domain: string;
            name: string | null;
            /** @description Tier at the previous run; null if it was not a prospect then */
            from: ("A" | "B" | "C" | "D") | null;
            /** @description Tier at this run; null if it is no longer a prospect (e.g. won, or an open deal) */
            to: ("A" | "B" | "C" | "D") | null;
            score: number | null;
            previousScore: number | null;
            rank: number | null;
        };
        ProspectSummary: {
            model: components["schemas"]["ModelRef"];
            /** @description Prospects in the current scoring run (not in the CRM, not excluded) */
            prospects: number;
            /** @description Prospects per tier */
            tiers: {
                A: number;
                B: number;
                C: number;
                D: number;
            };
            /** @description Lowest score of tiers A, B and C in this run */
            cutoffs: {
                A: number;
                B: number;
                C: number;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is up */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The database is reachable and migrated */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ready" | "not_ready";
                        database: {
                            /** @enum {string} */
                            mode: "postgres" | "pglite";
                            reachable: boolean;
                            pendingMigrations: string[];
                        };
                        queue: {
                            /** @enum {string} */
                            mode: "bullmq" | "in-process";
                        };
                        error?: string;
                    };
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ready" | "not_ready";
                        database: {
                            /** @enum {string} */
                            mode: "postgres" | "pglite";
                            reachable: boolean;
                            pendingMigrations: string[];
                        };
                        queue: {
                            /** @enum {string} */
                            mode: "bullmq" | "in-process";
                        };
                        error?: string;
                    };
                };
            };
        };
    };
    createWorkspace: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @example Acme Sales */
                    name: string;
                };
            };
        };
        responses: {
            /** @description The workspace and its first API key (shown once) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        workspace: components["schemas"]["Workspace"];
                        /**
                         * @description Shown once; store it now
                         * @example lak_3f9Qx2…
                         */
                        apiKey: string;
                    };
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createWorkspaceApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @default api key
                     * @example ABM sync
                     */
                    name?: string;
                    /**
                     * @description read: GET requests and POST /v1/lookalikes (prospects, lookalikes, fit, ICP, models, jobs); write: everything
                     * @default write
                     * @enum {string}
                     */
                    scope?: "read" | "write";
                };
            };
        };
        responses: {
            /** @description Issue an API key for a workspace (admin token), e.g. after its only key was revoked */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        key: components["schemas"]["ApiKey"];
                        /** @description Shown once; store it now */
                        apiKey: string;
                    };
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this workspace */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The workspace's API keys (never the secrets) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ApiKey"][];
                    };
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @default api key
                     * @example ABM sync
                     */
                    name?: string;
                    /**
                     * @description read: GET requests and POST /v1/lookalikes (prospects, lookalikes, fit, ICP, models, jobs); write: everything
                     * @default write
                     * @enum {string}
                     */
                    scope?: "read" | "write";
                };
            };
        };
        responses: {
            /** @description The new key (its secret is shown once) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        key: components["schemas"]["ApiKey"];
                        /** @description Shown once; store it now */
                        apiKey: string;
                    };
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key is revoked */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        key: components["schemas"]["ApiKey"];
                    };
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this workspace */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAccountsImportMapping: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The workspace's saved header mapping for accounts imports */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SavedImportMapping"];
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this workspace */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    saveAccountsImportMapping: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description CSV header → field, or null to ignore the column */
                    mapping: {
                        [key: string]: string | null;
                    };
                };
            };
        };
        responses: {
            /** @description Save a header mapping used by the accounts imports sent without one */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SavedImportMapping"];
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteAccountsImportMapping: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Forget the workspace's saved mapping for accounts imports */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this workspace */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAccounts: {
        parameters: {
            query?: {
                limit?: number;
                /** @description nextCursor from the previous page */
                cursor?: string;
                /** @description An industry, any case */
                industry?: string;
                /** @description A country: ISO 3166-1 alpha-2 or alpha-3 code or English name, any case */
                country?: string;
                technology?: string;
                keyword?: string;
                minEmployees?: number;
                maxEmployees?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of accounts and the cursor of the next one */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Account"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    upsertAccounts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    accounts: components["schemas"]["AccountRow"][];
                };
            };
        };
        responses: {
            /** @description How many accounts were inserted and updated */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        inserted: number;
                        updated: number;
                        unchanged: number;
                        rejected: components["schemas"]["RejectedRow"][];
                        duplicates: {
                            domain: string;
                            index?: number;
                            line?: number;
                            /** @description The earlier index or line this row replaced (last wins) */
                            replaces: number;
                        }[];
                    };
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rows failed validation; details lists every bad row */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    importAccountsCsv: {
        parameters: {
            query?: {
                /** @description Import in the background and return a job */
                async?: "true" | "false";
                /** @description JSON object of CSV header → field (one of domain, name, industry, employees, revenue, country, region, city, foundedYear, businessModel, stage, technologies, keywords, description, location, categories), or null to ignore the column; before the recognised headers */
                mapping?: string;
                /** @description Store nothing; answer the columns as mapped, the first rows as they would be stored, and the row errors */
                dryRun?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "text/csv": string;
                "text/tab-separated-values": string;
            };
        };
        responses: {
            /** @description Import summary: inserted, updated and rejected rows with their line numbers (202: the background job) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportSummary"];
                };
            };
            /** @description Import summary: inserted, updated and rejected rows with their line numbers (202: the background job) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job: components["schemas"]["JobRef"];
                    };
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAccount: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                domain: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account with its signals and outcome */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountDetails"];
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this workspace */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteAccount: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                domain: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account is deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this workspace */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    recordSignals: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    signals: {
                        /** @example acme.com */
                        domain: string;
                        /** @enum {string} */
                        type: "web_visit" | "event_attended" | "event_sponsored" | "competitor_evaluation" | "competitor_displaced" | "topic_surge" | "funding_round" | "hiring_surge" | "leadership_change";
                        /**
                         * @description ISO 8601 date or date-time, from 1900 to one year from now
                         * @example 2026-10-01
                         */
                        occurredAt: string;
                        /**
                         * @description Strength, at least 0: page views, a surge score 0–100, or a funding amount in USD
                         * @example 12
                         */
                        value?: number | null;
                        /** @example data warehouse */
                        topic?: string | null;
                        /** @example bombora */
                        source?: string | null;
                    }[];
                };
            };
        };
        responses: {
            /** @description How many signals were recorded; unknown domains are reported */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        inserted: number;
                        /** @description Signals already stored (same account, type, time, topic and source) */
                        duplicates: number;
                        /** @description Rows whose account is not in the universe; not stored */
                        unknownDomains: components["schemas"]["UnknownDomain"][];
                    };
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSignalsImportMapping: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The workspace's saved header mapping for signals imports */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SavedImportMapping"];
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this workspace */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    saveSignalsImportMapping: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description CSV header → field, or null to ignore the column */
                    mapping: {
                        [key: string]: string | null;
                    };
                };
            };
        };
        responses: {
            /** @description Save a header mapping used by the signals imports sent without one */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SavedImportMapping"];
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteSignalsImportMapping: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Forget the workspace's saved mapping for signals imports */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this workspace */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    importSignalsCsv: {
        parameters: {
            query?: {
                /** @description JSON object of CSV header → field (one of domain, type, occurredAt, value, topic, source), or null to ignore the column; before the recognised headers */
                mapping?: string;
                /** @description JSON object of a type or activity value (as the file writes it) → signal type (web_visit, event_attended, event_sponsored, competitor_evaluation, competitor_displaced, topic_surge, funding_round, hiring_surge, leadership_change) */
                types?: string;
                /** @description The type of every row without one (e.g. topic_surge for an intent vendor's file) */
                type?: "web_visit" | "event_attended" | "event_sponsored" | "competitor_evaluation" | "competitor_displaced" | "topic_surge" | "funding_round" | "hiring_surge" | "leadership_change";
                /** @description How to read dates like 03/04/2024 (ISO dates are always read) */
                dateFormat?: "DD/MM/YYYY" | "MM/DD/YYYY";
                /** @description Store nothing; answer the columns as mapped, the first rows as they would be stored, and the row errors */
                dryRun?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "text/csv": string;
                "text/tab-separated-values": string;
            };
        };
        responses: {
            /** @description Import intent and activity signals from CSV, streamed, any size */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignalImportSummary"];
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    recordOutcomes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    outcomes: components["schemas"]["OutcomeRecord"][];
                };
            };
        };
        responses: {
            /** @description How many outcomes were recorded; unknown domains are reported or created */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Outcomes that are new or changed */
                        recorded: number;
                        unchanged: number;
                        /** @description Unknown domains created from the Account fields sent with them */
                        accountsCreated: number;
                        /** @description Unknown domains sent without Account fields; not stored */
                        unknownDomains: components["schemas"]["UnknownDomain"][];
                        /** @description Rows whose Account fields were invalid; not stored */
                        rejected: {
                            index: number;
                            domain?: string;
                            errors: string[];
                        }[];
                    };
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOutcomesImportMapping: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The workspace's saved header mapping for outcomes imports */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SavedImportMapping"];
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this workspace */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    saveOutcomesImportMapping: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description CSV header → field, or null to ignore the column */
                    mapping: {
                        [key: string]: string | null;
                    };
                };
            };
        };
        responses: {
            /** @description Save a header mapping used by the outcomes imports sent without one */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SavedImportMapping"];
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteOutcomesImportMapping: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Forget the workspace's saved mapping for outcomes imports */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this workspace */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    importOutcomesCsv: {
        parameters: {
            query?: {
                /** @description JSON object of CSV header → field (one of domain, company, status, amount, closedAt, churnedAt), or null to ignore the column; before the recognised headers */
                mapping?: string;
                /** @description JSON object of deal stage (as the file writes it) → status (won, lost, churned, open, competitor_customer), for custom pipelines */
                stages?: string;
                /** @description How to read dates like 03/04/2024 (ISO dates are always read) */
                dateFormat?: "DD/MM/YYYY" | "MM/DD/YYYY";
                /** @description Store nothing; answer the columns as mapped, the first rows as they would be stored, and the row errors */
                dryRun?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "text/csv": string;
                "text/tab-separated-values": string;
            };
        };
        responses: {
            /** @description Import outcomes from a deals export (CSV, streamed): HubSpot deals, Salesforce opportunities, Pipedrive deals */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OutcomeImportSummary"];
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getExclusions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The workspace's exclusion rules */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExclusionRules"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putExclusions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description Industries never to prospect
                     * @default []
                     * @example [
                     *       "gambling"
                     *     ]
                     */
                    industries?: string[];
                    /**
                     * @description Countries never to prospect (names or ISO codes)
                     * @default []
                     * @example [
                     *       "RU"
                     *     ]
                     */
                    countries?: string[];
                    /**
                     * @description Accounts never to prospect (domains or URLs)
                     * @default []
                     * @example [
                     *       "competitor.com"
                     *     ]
                     */
                    domains?: string[];
                    /**
                     * @description Smaller accounts are excluded; unknown sizes are kept
                     * @default null
                     */
                    minEmployees?: number | null;
                    /**
                     * @description Larger accounts are excluded; unknown sizes are kept
                     * @default null
                     */
                    maxEmployees?: number | null;
                };
            };
        };
        responses: {
            /** @description The exclusion rules now in force */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExclusionRules"];
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getIcp: {
        parameters: {
            query?: {
                /** @description csv: the part chosen by `part` as CSV. Default: json, or csv when Accept is text/csv */
                format?: "json" | "csv";
                /** @description Which table the CSV holds */
                part?: "attributes" | "segments";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The profile (JSON), or one of its tables (CSV) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IcpProfile"];
                    "text/csv": string;
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getIcpCriteria: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Your declared ICP criteria */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IcpCriteria"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putIcpCriteria: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    criteria: ({
                        /** @enum {string} */
                        field: "businessModel" | "industry" | "sizeBand" | "region" | "country" | "stage" | "technology" | "keyword";
                        values: string[];
                        /**
                         * @description Relative importance (default 1)
                         * @default 1
                         */
                        weight?: number;
                    } | {
                        /** @enum {string} */
                        field: "employees" | "revenue";
                        /** @description A number, or text such as "1,200" or "$50M" */
                        min?: number | string | null;
                        /** @description A number, or text such as "1,200" or "$50M" */
                        max?: number | string | null;
                        /**
                         * @description Relative importance (default 1)
                         * @default 1
                         */
                        weight?: number;
                    })[];
                };
            };
        };
        responses: {
            /** @description The declared ICP criteria now in force */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IcpCriteria"];
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job: status, progress, result or error */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job: components["schemas"]["Job"];
                    };
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this workspace */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listJobs: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Jobs, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Job"][];
                    };
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRetrainingSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The retraining schedule */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RetrainingSettings"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putRetrainingSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description Retrain on a schedule: daily at 03:00 UTC, weekly on Mondays at 03:00 UTC, or off
                     * @example weekly
                     * @enum {string}
                     */
                    schedule: "off" | "daily" | "weekly";
                };
            };
        };
        responses: {
            /** @description The retraining schedule now in force */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RetrainingSettings"];
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listModels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Model versions, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Model"][];
                    };
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    trainModel: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Same data + same seed = the same model. Default 42. */
                    seed?: number;
                    /** @description Model settings; defaults suit tens to hundreds of won accounts */
                    params?: {
                        bags?: number;
                        treesPerBag?: number;
                        maxDepth?: number;
                        minNumSamples?: number;
                        /** @description Candidate features at every split: 'sqrt' (default) or 'log2' of the features that vary, or a share of them */
                        maxFeatures?: "sqrt" | "log2" | number;
                        unlabelledRatio?: number;
                        /** @description The largest share of the fit cross-validation may give the linear model stacked with the forest (default 1; 0 = the forest alone) */
                        maxLinearShare?: number;
                    };
                };
            };
        };
        responses: {
            /** @description The queued model version and the job that trains it */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        model: {
                            /** Format: uuid */
                            id: string;
                            /** @enum {string} */
                            status: "queued" | "training" | "ready" | "failed";
                        };
                        job: components["schemas"]["JobRef"];
                        /** @description true: the workspace already had this model queued, and this request is answered with it */
                        alreadyQueued: boolean;
                    };
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not possible in the current state (error.message says what to do first) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getModel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The model version */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        model: components["schemas"]["Model"];
                    };
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this workspace */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    activateModel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The model, now active and pinned, and the scoring job if its prospects need scoring */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        model: components["schemas"]["Model"];
                        scoringJob: components["schemas"]["JobRef"] | null;
                    };
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this workspace */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not possible in the current state (error.message says what to do first) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    unpinModel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The model, no longer pinned (unpinning a model that is not pinned changes nothing) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        model: components["schemas"]["Model"];
                    };
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this workspace */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listProspects: {
        parameters: {
            query?: {
                /** @description Prospects per page, 1–1000 (default 100); ignored for CSV, which has them all */
                limit?: number;
                /** @description nextCursor of the previous page; it pins the scoring run, so pages never overlap */
                cursor?: string;
                /** @description One or more tiers, comma-separated, any case */
                tier?: ("A" | "B" | "C" | "D")[];
                /** @description Only this industry (case-insensitive) */
                industry?: string;
                /** @description Only this country: ISO 3166-1 alpha-2 or alpha-3 code or English name, any case */
                country?: string;
                /** @description At least this many employees (accounts of unknown size are left out) */
                minEmployees?: number;
                /** @description At most this many employees (accounts of unknown size are left out) */
                maxEmployees?: number;
                /** @description Only accounts that use this technology (case-insensitive) */
                technology?: string;
                /** @description Only accounts with this keyword (category, specialty or tag; case-insensitive) */
                keyword?: string;
                /** @description Only prospects scoring at least this (0–1) */
                minScore?: number;
                /** @description csv = the whole filtered list as a CSV download (same as Accept: text/csv) */
                format?: "json" | "csv";
                /** @description CSV only: start with a UTF-8 byte order mark, so spreadsheets detect the encoding (default true) */
                bom?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of ranked prospects with the cursor of the next page (JSON), or the whole filtered list (CSV) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Prospect"][];
                        nextCursor: string | null;
                        model: components["schemas"]["ModelRef"];
                        /**
                         * @description low in cold start (too few won accounts for a forest) or when the model barely beats chance
                         * @enum {string}
                         */
                        confidence: "high" | "medium" | "low";
                    };
                    "text/csv": string;
                };
            };
            /** @description Not modified: the page reads as the one whose ETag If-None-Match named (no body) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not possible in the current state (error.message says what to do first) */
            409: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Gone: the cursor belongs to scores that have been replaced; start again without it */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    findLookalikes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @example [
                     *       "acme.com",
                     *       "globex.io"
                     *     ]
                     */
                    seedDomains: string[];
                    /** @default 50 */
                    limit?: number;
                    filters?: {
                        /**
                         * @description An industry, any case
                         * @example software
                         */
                        industry?: string;
                        /**
                         * @description A country: ISO 3166-1 alpha-2 or alpha-3 code or English name, any case
                         * @example US
                         */
                        country?: string;
                        minEmployees?: number;
                        maxEmployees?: number;
                        technology?: string;
                        keyword?: string;
                    };
                    /**
                     * @description Also return accounts with a won, lost, churned or open outcome
                     * @default false
                     */
                    includeCustomers?: boolean;
                };
            };
        };
        responses: {
            /** @description The accounts most similar to the seeds */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Lookalike"][];
                        /** @description Seed domains not in the universe (ignored) */
                        unknownSeeds: string[];
                        /**
                         * @description How the nearest neighbours were found
                         * @enum {string}
                         */
                        search: "hnsw" | "exact";
                    };
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not possible in the current state (error.message says what to do first) */
            409: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAccountFit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                domain: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account's score, tier, sub-scores and reasons under the active model */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Fit"];
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this workspace */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not possible in the current state (error.message says what to do first) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rows failed validation; details lists every bad row */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listBacktests: {
        parameters: {
            query?: {
                /** @description A scoring run id (that run and later ones) or an ISO date / date-time (runs finished then or later) */
                since?: string;
                /** @description Only runs scored by this model version */
                modelId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description How earlier rankings turned out: outcomes decided after each scoring run, by tier, at k, and the lift of tier A */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Snapshotted runs, newest first */
                        data: components["schemas"]["Backtest"][];
                        /** @description Runs kept per workspace (BACKTEST_RETENTION_RUNS) */
                        retentionRuns: number;
                    };
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this workspace */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listTierChanges: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
            };
            header?: never;
            path: {
                runId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accounts that entered, left or moved within tiers A and B at a scoring run, against the run before it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        run: {
                            /** Format: uuid */
                            id: string;
                            /** Format: date-time */
                            scoredAt: string;
                        };
                        previousRun: {
                            /** Format: uuid */
                            id: string;
                            /** Format: date-time */
                            scoredAt: string;
                        } | null;
                        counts: {
                            total: number;
                            /** @description Into tier A or B from C, D or outside the prospects */
                            entered: number;
                            /** @description Out of tiers A and B */
                            left: number;
                            /** @description Between A and B */
                            moved: number;
                        };
                        data: components["schemas"]["TierChange"][];
                        nextOffset: number | null;
                    };
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this workspace */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The workspace’s webhooks (without their secrets) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Webhook"][];
                    };
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: uri
                     * @example https://hooks.example.com/lookalike
                     */
                    url: string;
                    /**
                     * @example [
                     *       "scoring.completed",
                     *       "prospects.tier_changed"
                     *     ]
                     */
                    events: ("model.ready" | "model.activated" | "scoring.completed" | "prospects.tier_changed")[];
                    description?: string;
                };
            };
        };
        responses: {
            /** @description Subscribe a URL to events (model.ready, model.activated, scoring.completed, prospects.tier_changed) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        webhook: components["schemas"]["Webhook"];
                        /**
                         * @description Shown once: the Standard Webhooks signing secret (whsec_ + base64 key); store it now
                         * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
                         */
                        secret: string;
                    };
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not possible in the current state (error.message says what to do first) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One webhook (without its secret) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        webhook: components["schemas"]["Webhook"];
                    };
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this workspace */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Stop sending to this webhook (pending deliveries and its log go with it) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this workspace */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The delivery log of a webhook: each event sent, every attempt with its status code or error, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["WebhookDelivery"][];
                    };
                };
            };
            /** @description Bad request: a parameter or the body is invalid (error.code and error.details say which) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this workspace */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAccountCoverage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Per account field: how many accounts miss it and how much the active model relies on it — what to enrich first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accounts: number;
                        model: {
                            /** Format: uuid */
                            id: string;
                            version: number;
                            kind: ("forest" | "similarity") | null;
                        } | null;
                        fields: components["schemas"]["FieldCoverage"][];
                    };
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProspectSummary: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Tier counts and cut-offs of the current scoring run */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProspectSummary"];
                };
            };
            /** @description Missing, unknown or revoked API key (send `Authorization: Bearer <api key>`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not possible in the current state (error.message says what to do first) */
            409: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests; retry after the time in the Retry-After header */
            429: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (the message names the request id to quote) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down, the job queue (Redis) unreachable, or a write kept conflicting (error.code says which); retry in a moment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
