#!/usr/bin/python3
"""Baselines for bench/quality.ts: what a data scientist builds in an afternoon.

Reads JSON on stdin, writes JSON on stdout:

  in:  {"accounts": [{"t": ["kw=software", "country=USA", ...], "x": [employees, revenue, foundedYear] | null}, ...],
        "tasks": [{"id": "...", "seed": 1, "won": [i, ...], "prospectPool": [i, ...], "k": 100,
                   "lookSeeds": [i, ...], "lookPool": [i, ...], "lookK": 50}, ...]}
  out: {"sklearn": "1.2.1", "results": {"<id>": {"rfTop": [i, ...], "tfidfTop": [i, ...], "rfSeconds": 1.2}}}

- Trained ranking: RandomForestClassifier(n_estimators=200, random_state=seed, n_jobs=1) on one-hot
  attributes (multi-valued ones multi-hot; numeric columns as they are, missing = -1), trained on
  won = 1 against everything else = 0 (lost and unlabelled: positive-unlabelled with unlabelled
  negatives), then the prospect pool ranked by predict_proba.
- Seed lookalikes: the same one-hot attributes plus numeric columns in buckets, TF-IDF weighted
  (TfidfTransformer, rows L2-normalised), cosine to the mean of the seeds' vectors; the top lookK of
  the lookalike pool.

Ties are broken by account index (the order of the universe), so a run is reproducible.
Exit code 3 (with a message on stderr) when scikit-learn is not installed.
"""
import json
import sys
import time

try:
    import numpy as np
    import sklearn
    from scipy import sparse
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.feature_extraction.text import TfidfTransformer
except ImportError as err:  # pragma: no cover - depends on the machine
    print(f"scikit-learn is missing ({err}): install it with `apt-get install -y python3-sklearn` "
          "and run with /usr/bin/python3", file=sys.stderr)
    sys.exit(3)


def one_hot(accounts):
    """Binary account × attribute-value matrix (CSR) over every value seen."""
    columns = {}
    rows, cols = [], []
    for i, account in enumerate(accounts):
        for token in sorted(set(account["t"])):  # sorted: column order (and so the forest) must not depend on hash seeds
            rows.append(i)
            cols.append(columns.setdefault(token, len(columns)))
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(accounts), max(1, len(columns))))


def numeric(accounts):
    """Numeric columns as they are (missing = -1); None when the universe has none."""
    width = max((len(a["x"]) for a in accounts if a.get("x")), default=0)
    if width == 0:
        return None
    return np.array([[(-1 if v is None else v) for v in (a.get("x") or [None] * width)] for a in accounts], dtype=np.float64)


def numeric_buckets(values):
    """Numeric columns as one-hot buckets (deciles of the known values), so they cannot dominate a cosine."""
    if values is None:
        return None
    rows, cols, offset = [], [], 0
    for j in range(values.shape[1]):
        column = values[:, j]
        known = column[column >= 0]
        edges = np.unique(np.quantile(known, np.linspace(0.1, 0.9, 9))) if len(known) else np.array([])
        buckets = np.digitize(column, edges)
        for i in np.flatnonzero(column >= 0):
            rows.append(i)
            cols.append(offset + buckets[i])
        offset += len(edges) + 1
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(values.shape[0], offset))


def top(scores, pool, k):
    """The k pool indices with the highest scores, ties by index."""
    order = np.lexsort((pool, -scores))
    return [int(pool[i]) for i in order[:k]]


def main():
    payload = json.load(sys.stdin)
    accounts = payload["accounts"]
    onehot = one_hot(accounts)
    values = numeric(accounts)
    forest_x = (onehot if values is None else sparse.hstack([onehot, sparse.csr_matrix(values)])).tocsr()
    buckets = numeric_buckets(values)
    tfidf = TfidfTransformer(norm="l2").fit_transform(onehot if buckets is None else sparse.hstack([onehot, buckets]).tocsr())

    results = {}
    for task in payload["tasks"]:
        y = np.zeros(len(accounts), dtype=np.int8)
        y[task["won"]] = 1
        start = time.perf_counter()
        forest = RandomForestClassifier(n_estimators=200, random_state=task["seed"], n_jobs=1)
        forest.fit(forest_x, y)
        pool = np.array(task["prospectPool"], dtype=np.int64)
        proba = forest.predict_proba(forest_x[pool])[:, list(forest.classes_).index(1)]
        rf_seconds = time.perf_counter() - start

        look_pool = np.array(task["lookPool"], dtype=np.int64)
        centroid = np.asarray(tfidf[task["lookSeeds"]].mean(axis=0)).ravel()
        norm = np.linalg.norm(centroid)
        cosine = tfidf[look_pool] @ (centroid / norm if norm > 0 else centroid)
        results[task["id"]] = {
            "rfTop": top(proba, pool, task["k"]),
            "tfidfTop": top(np.asarray(cosine).ravel(), look_pool, task["lookK"]),
            "rfSeconds": round(rf_seconds, 2),
        }
        print(f"  baselines {task['id']}: forest {rf_seconds:.1f} s", file=sys.stderr, flush=True)
    json.dump({"sklearn": sklearn.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
