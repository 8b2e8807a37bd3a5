import type { SparseVector } from '../../src/features/spec.ts';
import type { TrainingExample } from '../../src/model/forest.ts';
import { seededRandom } from '../../src/lib/random.ts';

/** Feature 0 ("size") is numeric, like the spec's numeric features; the rest are binary. */
export const PLANTED_NUMERIC_FEATURES = 1;

/**
 * A small planted-signal dataset in the engine's sparse layout: accounts "buy" when they have
 * feature 1 (a technology) and a large feature 0 (size, 0..2, "large" = above 1), or feature 2 (an
 * industry). A share of buyers are labelled won, some non-buyers lost; the rest are unlabelled
 * (hiding the other buyers). Features 3.. are noise. `similarity` is the unit-length vector of the
 * binary features (what similarityVector would give with equal weights).
 */
export function plantedDataset(options: { n: number; dim: number; seed: number; randomLabels?: boolean }): {
  examples: TrainingExample[];
  buyer: Map<string, boolean>;
} {
  const random = seededRandom(options.seed);
  const examples: TrainingExample[] = [];
  const buyer = new Map<string, boolean>();
  for (let i = 0; i < options.n; i++) {
    const size = random() * 2;
    const index = [0];
    const value = [size];
    for (let j = 1; j < options.dim; j++) {
      if (random() < 0.2) {
        index.push(j);
        value.push(1);
      }
    }
    const has = (j: number) => index.includes(j);
    const buys = (has(1) && size > 1) || has(2);
    const r = random();
    const label = options.randomLabels
      ? r < 0.15
        ? 'positive'
        : r < 0.25
          ? 'negative'
          : 'unlabelled'
      : buys
        ? r < 0.5
          ? 'positive'
          : 'unlabelled'
        : r < 0.15
          ? 'negative'
          : 'unlabelled';
    const id = `acct-${String(i).padStart(4, '0')}`;
    examples.push({
      id,
      features: { index, value },
      similarity: unitBinary(index.slice(1)),
      label,
      weight: label === 'positive' ? 0.5 + random() : undefined,
    });
    buyer.set(id, buys);
  }
  return { examples, buyer };
}

function unitBinary(index: number[]): SparseVector {
  return { index, value: index.map(() => 1 / Math.sqrt(index.length)) };
}

/** A fresh dense copy of a sparse vector (explainFit and predictProbability take dense vectors). */
export function toDense(v: SparseVector, dim: number): Float64Array {
  const dense = new Float64Array(dim);
  v.index.forEach((i, k) => (dense[i] = v.value[k]));
  return dense;
}

/**
 * Parameters small enough for fast tests. With a dozen features, √d would draw 3 candidates per
 * split; half of them keeps the planted signal easy to find with 20 trees.
 */
export const SMALL_PARAMS = { bags: 4, treesPerBag: 5, minUnlabelled: 20, maxUnlabelled: 200, maxFeatures: 0.5 } as const;
