import { seededRandom, type TrainingExample } from '../../src/model/forest.ts';

/**
 * A small planted-signal dataset: accounts "buy" when they have feature 0 (a technology) and a
 * high feature 1 (size), or feature 2 (an industry). A share of buyers are labelled won, some
 * non-buyers lost; the rest are unlabelled (hiding the other buyers). Other features are noise.
 */
export function plantedDataset(options: { n: number; dim: number; seed: number; randomLabels?: boolean }): {
  examples: TrainingExample[];
  buyer: Map<string, boolean>;
} {
  const random = seededRandom(options.seed);
  const examples: TrainingExample[] = [];
  const buyer = new Map<string, boolean>();
  for (let i = 0; i < options.n; i++) {
    const vector = Array.from({ length: options.dim }, (_, j) => (j === 1 ? random() * 2 - 1 : random() < 0.2 ? 1 : 0));
    const buys = (vector[0] === 1 && vector[1] > 0) || vector[2] === 1;
    const r = random();
    const label = options.randomLabels
      ? r < 0.15 ? 'positive' : r < 0.25 ? 'negative' : 'unlabelled'
      : buys ? (r < 0.5 ? 'positive' : 'unlabelled') : r < 0.15 ? 'negative' : 'unlabelled';
    const id = `acct-${String(i).padStart(4, '0')}`;
    examples.push({ id, vector, label, weight: label === 'positive' ? 0.5 + random() : undefined });
    buyer.set(id, buys);
  }
  return { examples, buyer };
}

/**
 * Parameters small enough for unpatched ml-cart in tests. With a dozen features, the default
 * feature fraction would give each tree only two of them.
 */
export const SMALL_PARAMS = { bags: 4, treesPerBag: 5, minUnlabelled: 20, maxUnlabelled: 200, featureFraction: 0.5 } as const;
