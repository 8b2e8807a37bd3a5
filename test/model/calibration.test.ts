import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibrateScore, fitCalibration, MIN_CALIBRATION_SLOPE } from '../../src/model/calibration.ts';
import { blendWeights, combineScore } from '../../src/model/ranking.ts';
import { loadGeneratedUniverse } from '../../src/demo/load.ts';
import { seededRandom } from '../../src/lib/random.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Held-out scores of a model that ranks won accounts higher, not perfectly: won ~ 0.6 ± 0.15, the others ~ 0.3 ± 0.15. */
function heldOut(seed: number) {
  const random = seededRandom(seed);
  const clamp = (x: number) => Math.min(0.99, Math.max(0.01, x));
  const noise = () => (random() + random() + random() - 1.5) * 0.3;
  return [
    ...Array.from({ length: 30 }, () => ({ score: clamp(0.6 + noise()), positive: true })),
    ...Array.from({ length: 600 }, () => ({ score: clamp(0.3 + noise()), positive: false })),
  ];
}

describe('fitCalibration', () => {
  it('is strictly increasing: the order of the scores stays, only their scale moves', () => {
    const calibration = fitCalibration(heldOut(1))!;
    expect(calibration.slope).toBeGreaterThan(0);
    const grid = Array.from({ length: 999 }, (_, i) => (i + 1) / 1000);
    const mapped = grid.map((s) => calibrateScore(s, calibration));
    for (let i = 1; i < mapped.length; i++) expect(mapped[i]).toBeGreaterThan(mapped[i - 1]);
  });

  it('gives the same calibrated scores to the same ranking on another scale (a compressed blend)', () => {
    const scored = heldOut(2);
    // What the same ranking looks like when the blend is compressed, as with similarity in it.
    const compressed = scored.map((s) => ({ ...s, score: sigmoid(0.4 * logit(s.score) - 1.2) }));
    const a = fitCalibration(scored)!;
    const b = fitCalibration(compressed)!;
    scored.forEach((s, i) => expect(calibrateScore(compressed[i].score, b)).toBeCloseTo(calibrateScore(s.score, a), 6));
    // Uncalibrated, the compressed blend's best won account is under 0.5; calibrated, over it.
    const best = Math.max(...compressed.map((s) => s.score));
    expect(best).toBeLessThan(0.5);
    expect(calibrateScore(best, b)).toBeGreaterThan(0.75);
  });

  it('keeps a perfect separation finite, and has nothing to say without a signal', () => {
    const separated = [0.6, 0.7, 0.8]
      .map((score) => ({ score, positive: true }))
      .concat([0.1, 0.2, 0.3].map((score) => ({ score, positive: false })));
    const calibration = fitCalibration(separated)!;
    expect(Number.isFinite(calibration.slope)).toBe(true);
    expect(calibrateScore(0.8, calibration)).toBeLessThan(1);
    expect(calibrateScore(0.6, calibration)).toBeGreaterThan(calibrateScore(0.3, calibration));
    // Random labels: calibrated scores stay near "no evidence", so no tier floor is met by chance.
    const random = seededRandom(3);
    for (const n of [600, 2000]) {
      const noise = Array.from({ length: n }, () => ({ score: random(), positive: random() < 0.05 }));
      const flat = fitCalibration(noise)!;
      expect(flat.slope).toBeGreaterThanOrEqual(MIN_CALIBRATION_SLOPE);
      for (const s of [0.05, 0.5, 0.95]) expect(Math.abs(calibrateScore(s, flat) - 0.5)).toBeLessThan(n === 600 ? 0.15 : 0.1);
    }
    expect(fitCalibration(separated.filter((s) => s.positive))).toBeNull();
  });
});

describe('combineScore with a calibration', () => {
  const calibration = { slope: 1.5, intercept: 1.8 };
  it('calibrates fit and similarity at the blend weights, then adds intent at its weight', () => {
    const blend = blendWeights(0.5);
    const share = blend.fit + blend.similarity;
    const blended = (blend.fit * 0.7 + blend.similarity * 0.3) / share;
    expect(combineScore({ fit: 0.7, similarity: 0.3, intent: 0.4 }, blend, calibration)).toBeCloseTo(
      share * calibrateScore(blended, calibration) + blend.intent * 0.4,
      12,
    );
    // Without a calibration (models trained before it), the weighted sum as it was.
    expect(combineScore({ fit: 0.7, similarity: 0.3, intent: 0.4 }, blend)).toBeCloseTo(
      blend.fit * 0.7 + blend.similarity * 0.3 + blend.intent * 0.4,
      12,
    );
  });

  it('keeps the order of accounts with the same intent', () => {
    const random = seededRandom(4);
    const blend = blendWeights(0.3);
    const accounts = Array.from({ length: 500 }, () => ({ fit: random(), similarity: random(), intent: 0.2 }));
    const raw = accounts.map((s) => combineScore(s, blend));
    const calibrated = accounts.map((s) => combineScore(s, blend, calibration));
    const order = (xs: number[]) => xs.map((_, i) => i).sort((i, j) => xs[j] - xs[i]);
    expect(order(calibrated)).toEqual(order(raw));
  });
});

describe('tiers of a workspace whose blend gives the linear model and similarity shares (default settings)', () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;
  beforeAll(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace();
    // The backtests' workspace: 17 won accounts among 1,200.
    await loadGeneratedUniverse(t.db.pool, ws.id, { seed: 5, count: 1200, now: new Date(), outcomeScale: 3 });
    await t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload: {} });
    await t.jobs.idle();
  }, 300_000);
  afterAll(() => t.close());

  it('fills tier A, and ranks accounts of equal intent by the blend of fit and similarity, as before calibration', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/prospects?limit=1000', headers: ws.auth });
    expect(res.statusCode, res.body).toBe(200);
    const { model } = (await t.app.inject({ method: 'GET', url: `/v1/models/${res.json().model.id}`, headers: ws.auth })).json();
    const { blend } = model.metrics;
    expect(blend.calibration.slope).toBeGreaterThan(0);
    type Prospect = { tier: string; score: number; subscores: { fit: number; similarity: number; intent: number } };
    const prospects: Prospect[] = res.json().data;
    const count = (tier: string) => prospects.filter((p) => p.tier === tier).length;
    expect(count('A')).toBeGreaterThan(0);
    expect(count('B')).toBeGreaterThan(0);
    // Prospects without intent, in list order: the uncalibrated blend does not increase (up to the stored rounding).
    const { fit, similarity } = blend.weights;
    const quiet = prospects.filter((p) => p.subscores.intent === 0).map((p) => fit * p.subscores.fit + similarity * p.subscores.similarity);
    expect(quiet.length).toBeGreaterThan(100);
    for (let i = 1; i < quiet.length; i++) expect(quiet[i]).toBeLessThanOrEqual(quiet[i - 1] + 1e-5);
  });
});
