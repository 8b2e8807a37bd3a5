/**
 * Calibration of a model's blend of fit and similarity: one scale whatever weights cross-validation chose.
 *
 * The blend (./ranking.ts, `combineScore`) weighs sub-scores on different scales: the forest's balanced
 * fit reaches 0.9 for a strong lookalike, the regularised linear model's can stay lower, and similarity (a
 * cosine) stays near 0.3 even for the nearest accounts. Uncalibrated, the same ranking scored 0.7 at the
 * top with the forest alone and under 0.5 with similarity or the linear model in the blend, and tier A's
 * floor (0.5) left tier A empty for a model that ranked well.
 *
 * Calibration maps the blend to the probability that an account is a won account rather than a prospect,
 * had both been equally common: the meaning of the forest's balanced fit (0.5 = no evidence either way).
 * Platt scaling on the blend's logit, p = σ(slope × logit(blend) + intercept), fitted on the
 * cross-validation's out-of-fold scores at the chosen weights (./metrics.ts): held-out won accounts
 * against held-out unlabelled accounts (the pool prospects come from), each class weighing 1 in all, with
 * Platt's targets (N + 1) / (N + 2) and 1 / (N + 2), so a perfect separation still gives a finite slope.
 * The slope is positive, so the map is strictly increasing: it moves the scale, not the order of the blend.
 */

export interface ScoreCalibration {
  slope: number;
  intercept: number;
}

/** Scores are clamped this far inside 0..1 before their logit is taken. */
const EDGE = 1e-6;

const logit = (p: number) => {
  const q = Math.min(1 - EDGE, Math.max(EDGE, p));
  return Math.log(q / (1 - q));
};
const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
/** log(1 + e^z), without overflow. */
const softplus = (z: number) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));

/** The calibrated score; without a calibration (cold start, models trained before it), the score as it is. */
export function calibrateScore(score: number, calibration: ScoreCalibration | null | undefined): number {
  return calibration ? sigmoid(calibration.slope * logit(score) + calibration.intercept) : score;
}

interface Rows {
  x: Float64Array;
  target: Float64Array;
  weight: Float64Array;
}

/** Weighted cross-entropy of the rows at (slope, intercept), with its gradient and Hessian. */
function objective({ x, target, weight }: Rows, slope: number, intercept: number) {
  let loss = 0;
  const gradient = [0, 0];
  const hessian = [0, 0, 0];
  for (let i = 0; i < x.length; i++) {
    const z = slope * x[i] + intercept;
    const p = sigmoid(z);
    loss += weight[i] * (softplus(z) - target[i] * z);
    const r = weight[i] * (p - target[i]);
    const h = weight[i] * p * (1 - p);
    gradient[0] += r * x[i];
    gradient[1] += r;
    hessian[0] += h * x[i] * x[i];
    hessian[1] += h * x[i];
    hessian[2] += h;
  }
  return { loss, gradient, hessian };
}

/**
 * The least slope: a model whose held-out scores say little or nothing (slope near 0, or below it by chance)
 * keeps its order, within about ±0.07 of "no evidence" over blends of 0.05–0.95, and no tier floor by chance.
 */
export const MIN_CALIBRATION_SLOPE = 0.1;

/** Newton's method with a backtracking step from (slope, intercept); `fixedSlope` moves the intercept alone. */
function minimise(rows: Rows, start: ScoreCalibration, fixedSlope: boolean): ScoreCalibration {
  let { slope, intercept } = start;
  let current = objective(rows, slope, intercept);
  for (let iteration = 0; iteration < 100; iteration++) {
    const [h11, h12, h22] = current.hessian;
    const [g1, g2] = current.gradient;
    const det = h11 * h22 - h12 * h12;
    const step = fixedSlope ? [0, g2 / h22] : [(h22 * g1 - h12 * g2) / det, (h11 * g2 - h12 * g1) / det];
    if (!(fixedSlope ? h22 > 1e-300 : det > 1e-300)) break;
    let scale = 1;
    let next = objective(rows, slope - step[0], intercept - step[1]);
    while (!(next.loss <= current.loss) && scale > 1e-6) {
      scale /= 2;
      next = objective(rows, slope - scale * step[0], intercept - scale * step[1]);
    }
    if (!(next.loss <= current.loss)) break;
    slope -= scale * step[0];
    intercept -= scale * step[1];
    const decrease = current.loss - next.loss;
    current = next;
    if (decrease < 1e-14) break;
  }
  return { slope, intercept };
}

/**
 * Platt scaling of out-of-fold scores (won accounts `positive`, unlabelled accounts not), the slope at least
 * MIN_CALIBRATION_SLOPE (the loss is convex: below it, the best is at it). Null without both classes.
 */
export function fitCalibration(scored: { score: number; positive: boolean }[]): ScoreCalibration | null {
  const positives = scored.filter((s) => s.positive).length;
  const others = scored.length - positives;
  if (positives === 0 || others === 0) return null;
  const rows: Rows = {
    x: Float64Array.from(scored, (s) => logit(s.score)),
    target: Float64Array.from(scored, (s) => (s.positive ? (positives + 1) / (positives + 2) : 1 / (others + 2))),
    weight: Float64Array.from(scored, (s) => (s.positive ? 1 / positives : 1 / others)),
  };
  const free = minimise(rows, { slope: 1, intercept: 0 }, false);
  if (free.slope >= MIN_CALIBRATION_SLOPE && Number.isFinite(free.slope) && Number.isFinite(free.intercept)) return free;
  return minimise(rows, { slope: MIN_CALIBRATION_SLOPE, intercept: 0 }, true);
}
