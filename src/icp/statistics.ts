/**
 * The statistics behind the ICP profile, all pure:
 * - Fisher's exact test, one-sided: won accounts are a draw of W from a universe of N, of which K
 *   have the attribute; the p-value is a hypergeometric tail. Exact, so it stays honest for the
 *   small counts a young workspace has (a normal approximation would not).
 * - Wilson's score interval for a share, which behaves at 0 and 1 of n (the Wald interval does not).
 * - Benjamini–Hochberg q-values, because a profile tests hundreds of attribute values at once.
 */

// Lanczos approximation (g = 7, 9 terms): about 15 significant digits.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const logChoose = (n: number, k: number) => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);

export interface Draw {
  /** Universe size. */
  population: number;
  /** Universe accounts with the attribute. */
  successes: number;
  /** Won accounts. */
  draws: number;
}

/**
 * ln P(X ≥ k) (upper) or ln P(X ≤ k) (lower) for X ~ Hypergeometric. Logarithms, because the
 * p-values of a strong attribute in a large universe underflow a double (1e-400 is common), and
 * ranking by them still has to work. Terms are summed from the end nearer the mode outwards, where
 * they only shrink; the far tail is taken as the complement of the near one.
 */
export function logHypergeometricTail(d: Draw, k: number, tail: 'upper' | 'lower'): number {
  const lo = Math.max(0, d.draws + d.successes - d.population);
  const hi = Math.min(d.draws, d.successes);
  if (tail === 'upper' ? k <= lo : k >= hi) return 0;
  if (tail === 'upper' ? k > hi : k < lo) return -Infinity;
  const mode = Math.floor(((d.draws + 1) * (d.successes + 1)) / (d.population + 2));
  if (tail === 'upper' && k <= mode) return Math.log1p(-Math.exp(logHypergeometricTail(d, k - 1, 'lower')));
  if (tail === 'lower' && k >= mode) return Math.log1p(-Math.exp(logHypergeometricTail(d, k + 1, 'upper')));

  const { population: N, successes: K, draws: n } = d;
  const logFirst = logChoose(K, k) + logChoose(N - K, n - k) - logChoose(N, n);
  // pmf(x + 1) / pmf(x) = (K − x)(n − x) / ((x + 1)(N − K − n + x + 1)); summed relative to pmf(k).
  let sum = 0;
  let term = 1;
  for (let x = k; tail === 'upper' ? x <= hi : x >= lo; x += tail === 'upper' ? 1 : -1) {
    sum += term;
    if (term < sum * 1e-17) break;
    term *= tail === 'upper' ? ((K - x) * (n - x)) / ((x + 1) * (N - K - n + x + 1)) : (x * (N - K - n + x)) / ((K - x + 1) * (n - x + 1));
  }
  return logFirst + Math.log(sum);
}

const Z95 = 1.959963984540054;

/** 95% Wilson score interval for the share `successes / trials`. */
export function wilsonInterval(successes: number, trials: number): { low: number; high: number } {
  if (trials === 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const z2 = Z95 * Z95;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (Z95 / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values), in the order given. `tests` is the size of the
 * family when it is larger than `pValues`: tests left out had p = 1 (they cannot reject, but they count).
 */
export function benjaminiHochberg(pValues: number[], tests = pValues.length): number[] {
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const q = new Array<number>(pValues.length);
  let running = 1;
  for (let rank = order.length; rank >= 1; rank--) {
    const { p, i } = order[rank - 1];
    running = Math.min(running, (p * tests) / rank);
    q[i] = running;
  }
  return q;
}

export interface Lift {
  /** Share among won / share in the universe. */
  lift: number;
  interval: { low: number; high: number };
  /** ln of the one-sided Fisher p-value for over-indexing. */
  logP: number;
}

/** How much `wonWith` of `won` accounts over-index against `universeWith` of `universe` (universeWith > 0). */
export function liftOf(wonWith: number, universeWith: number, won: number, universe: number): Lift {
  const universeShare = universeWith / universe;
  const { low, high } = wilsonInterval(wonWith, won);
  return {
    lift: wonWith / won / universeShare,
    interval: { low: low / universeShare, high: high / universeShare },
    logP: logHypergeometricTail({ population: universe, successes: universeWith, draws: won }, wonWith, 'upper'),
  };
}

/** Rounded for output: shares and lifts to 4 decimals, p-values to 3 significant digits. */
export const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
export const significant3 = (x: number) => Number(x.toPrecision(3));
