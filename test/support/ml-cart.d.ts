// ml-cart ships no types; the reference grower in test/model/tree.test.ts and bench/train-speed.ts uses this much of it.
declare module 'ml-cart' {
  export class DecisionTreeClassifier {
    constructor(options?: {
      gainFunction?: 'gini';
      splitFunction?: 'mean';
      minNumSamples?: number;
      maxDepth?: number;
      gainThreshold?: number;
    });
    train(trainingSet: number[][], trainingLabels: number[]): void;
    predict(toPredict: number[][]): number[];
    toJSON(): unknown;
  }
}
