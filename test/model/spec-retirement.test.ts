import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/pool.ts';
import { storedVocabulary } from '../../src/features/service.ts';
import { FEATURE_SPEC_VERSION } from '../../src/features/spec.ts';
import { retrainRetiredModels } from '../../src/model/jobs.ts';
import { openTestDatabase } from '../support/db.ts';
import { jobsApp, type JobsApp } from '../support/jobs.ts';

interface ModelJson {
  id: string;
  version: number;
  status: string;
  active: boolean;
  pinned: boolean;
  note: string | null;
  featureSpecVersion: number | null;
}

/** The statement of sql/018 that retires models of spec 2 (the rest of that migration adds a column). */
const RETIRE_SPEC_2 = (() => {
  const text = readFileSync(new URL('../../sql/018_spellings_and_phrases.sql', import.meta.url), 'utf8');
  return text.slice(text.indexOf('UPDATE models'));
})();

// A new feature spec retires models of the older one: none stays active, none can be activated again,
// and each workspace left without a model is retrained under the new spec when the service starts.
describe('a feature-spec change', () => {
  let db: Database;
  let t: JobsApp;
  let ws: Awaited<ReturnType<JobsApp['newWorkspace']>>;

  const models = async (): Promise<ModelJson[]> => (await t.app.inject({ method: 'GET', url: '/v1/models', headers: ws.auth })).json().data;

  beforeAll(async () => {
    db = await openTestDatabase();
    t = await jobsApp(db, { retrainDebounceMs: 3_600_000 });
    ws = await t.newWorkspace(1_200);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await db?.close();
  });

  it('retires models of spec 2, refuses to activate them, and retrains their workspace under spec 3', async () => {
    expect(FEATURE_SPEC_VERSION).toBe(3);
    expect((await t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload: {} })).statusCode).toBe(202);
    await t.jobs.idle();
    // As the previous version left the workspace: a model and a vocabulary of spec 2, the model active and pinned.
    await db.pool.query('UPDATE models SET spec_version = 2, pinned = true WHERE workspace_id = $1', [ws.id]);
    await db.pool.query('UPDATE feature_vocabularies SET spec_version = 2 WHERE workspace_id = $1', [ws.id]);
    expect(await retrainRetiredModels(db.pool, t.jobs.enqueue)).toEqual([]); // still active: nothing to do yet

    await db.pool.query(RETIRE_SPEC_2);
    const [old] = await models();
    expect(old).toMatchObject({ version: 1, status: 'ready', active: false, pinned: false, featureSpecVersion: 2 });
    expect(old.note).toMatch(/^Retired: trained on feature spec 2/);
    const activate = await t.app.inject({ method: 'POST', url: `/v1/models/${old.id}/activate`, headers: ws.auth, payload: {} });
    expect(activate.statusCode, activate.body).toBe(409);
    expect(activate.json().error.code).toBe('model_retired');
    // Until the retrained model's scores are written, pages serve the retired model's last run.
    const served = await t.app.inject({ method: 'GET', url: '/v1/prospects?limit=5', headers: ws.auth });
    expect(served.statusCode, served.body).toBe(200);
    expect(served.json().data).toHaveLength(5);
    expect(served.json().model.id).toBe(old.id);
    // A vocabulary of another spec is not used: the next vectorising builds one of this spec.
    expect(await storedVocabulary(db.pool, ws.id)).toBeNull();

    expect(await retrainRetiredModels(db.pool, t.jobs.enqueue)).toEqual([ws.id]);
    await t.jobs.idle();
    const [retrained] = await models();
    expect(retrained).toMatchObject({ version: 2, status: 'ready', active: true, featureSpecVersion: 3 });
    const vocabulary = (await storedVocabulary(db.pool, ws.id))!.vocabulary;
    expect(vocabulary.tokens.some((t) => t.token.startsWith('term:') && t.token.includes(' '))).toBe(true);
    // Done: nothing is asked at the next start.
    expect(await retrainRetiredModels(db.pool, t.jobs.enqueue)).toEqual([]);
  }, 240_000);
});
