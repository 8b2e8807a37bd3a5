#!/usr/bin/python3
"""Baselines for bench/quality.ts: what a data scientist builds in an afternoon, three of them.

Reads JSON on stdin, writes JSON on stdout:

  in:  {"accounts": [{"t": ["kw=software", "country=USA", ...], "x": [employees, revenue, foundedYear] | null,
                      "d": "description" | null}, ...],
        "tasks": [{"id": "...", "seed": 1, "won": [i, ...], "prospectPool": [i, ...], "k": 100,
                   "lookSeeds": [i, ...], "lookPool": [i, ...], "lookK": 50}, ...]}
  out: {"sklearn": "1.2.1", "results": {"<id>": {"top": {"rf": [i, ...], "hgb": [...], "lr": [...]},
        "tfidfTop": [i, ...], "seconds": {"rf": 1.2, "hgb": 3.4, "lr": 0.5}}}}

What every trained baseline sees, per account:
- one-hot attributes (multi-valued ones multi-hot): the tokens the bench sends;
- description words: TfidfVectorizer(min_df=2, English stop words, sublinear tf) over the description,
  when the universe has descriptions;
- numeric columns: log10 employees, log10 revenue (USD) and founding year, where the universe has them.

Each is trained on won = 1 against everything else = 0 (lost and unlabelled: positive-unlabelled with
unlabelled negatives), then ranks the prospect pool by predict_proba:
- rf:  RandomForestClassifier(n_estimators=200, random_state=seed, n_jobs=1) on the sparse matrix,
       missing numbers = -1;
- hgb: HistGradientBoostingClassifier(random_state=seed), defaults otherwise (100 iterations, early
       stopping on a seeded 10 % split above 10,000 accounts). It needs dense input, so the sparse
       columns are capped: the HGB_COLUMNS columns (one-hot and description words) set on the most
       accounts, ties by column order (no TruncatedSVD); numbers as they are, missing = NaN (native);
- lr:  LogisticRegression(C=1, lbfgs, max_iter=2000) on the sparse matrix, numbers standardised over
       the known values, missing = 0 with a missing-indicator column each.

Seed lookalikes: the one-hot attributes plus numeric columns in buckets (no description words, as
before), TF-IDF weighted (TfidfTransformer, rows L2-normalised), cosine to the mean of the seeds'
vectors; the top lookK of the lookalike pool.

Deterministic: seeded models, columns in sorted-token order, ties broken by account index.
Exit code 3 (with a message on stderr) when scikit-learn is not installed.
"""
import json
import os
import sys
import time

# One thread per model (as the forest's n_jobs=1): the bench runs beside the service on a small machine,
# and OpenMP's thread start-up under load costs HistGradientBoosting seconds even on tiny inputs.
os.environ.setdefault("OMP_NUM_THREADS", "1")

try:
    import numpy as np
    import sklearn
    from scipy import sparse
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
except ImportError as err:  # pragma: no cover - depends on the machine
    print(f"scikit-learn is missing ({err}): install it with `apt-get install -y python3-sklearn` "
          "and run with /usr/bin/python3", file=sys.stderr)
    sys.exit(3)

HGB_COLUMNS = 512
BASELINES = ("rf", "hgb", "lr")


def one_hot(accounts):
    """Binary account × attribute-value matrix (CSR) over every value seen, columns in sorted-token order."""
    vocabulary = {token: j for j, token in enumerate(sorted({t for a in accounts for t in a["t"]}))}
    rows, cols = [], []
    for i, account in enumerate(accounts):
        for token in set(account["t"]):
            rows.append(i)
            cols.append(vocabulary[token])
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(accounts), max(1, len(vocabulary))))


def description_words(accounts):
    """TF-IDF of the description words (terms on at least two accounts); None when no account has a description."""
    texts = [a.get("d") or "" for a in accounts]
    if not any(texts):
        return None
    try:
        vectorizer = TfidfVectorizer(min_df=2, stop_words="english", sublinear_tf=True, dtype=np.float32)
        return vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # no term on two accounts
        return None


def numeric(accounts):
    """log10 employees, log10 revenue, founding year (NaN when missing); None when the universe has no numbers."""
    width = max((len(a["x"]) for a in accounts if a.get("x")), default=0)
    if width == 0:
        return None
    raw = np.array([[(np.nan if v is None else v) for v in (a.get("x") or [None] * width)] for a in accounts], dtype=np.float64)
    values = raw.copy()
    for j in (0, 1):  # employees, revenue
        values[:, j] = np.log10(np.maximum(1.0, raw[:, j]))
    return values


def standardised_with_indicators(values):
    """Known values scaled to mean 0, sd 1; missing = 0, plus one missing-indicator column per number."""
    missing = np.isnan(values)
    scaled = np.zeros_like(values)
    for j in range(values.shape[1]):
        known = values[~missing[:, j], j]
        if len(known):
            sd = known.std() or 1.0
            scaled[~missing[:, j], j] = (known - known.mean()) / sd
    return np.hstack([scaled, missing.astype(np.float64)])


def numeric_buckets(values):
    """Numeric columns as one-hot buckets (deciles of the known values), so they cannot dominate a cosine."""
    if values is None:
        return None
    rows, cols, offset = [], [], 0
    for j in range(values.shape[1]):
        column = values[:, j]
        known_rows = np.flatnonzero(~np.isnan(column))
        known = column[known_rows]
        edges = np.unique(np.quantile(known, np.linspace(0.1, 0.9, 9))) if len(known) else np.array([])
        buckets = np.digitize(known, edges)
        rows.extend(known_rows.tolist())
        cols.extend((offset + buckets).tolist())
        offset += len(edges) + 1
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(values.shape[0], max(1, offset)))


def densest_columns(matrix, limit):
    """The `limit` columns set on the most rows, as a dense array (ties by column order)."""
    counts = np.asarray((matrix != 0).sum(axis=0)).ravel()
    keep = np.sort(np.lexsort((np.arange(len(counts)), -counts))[:limit])
    return matrix[:, keep].toarray()


def top(scores, pool, k):
    """The k pool indices with the highest scores, ties by index."""
    order = np.lexsort((pool, -scores))
    return [int(pool[i]) for i in order[:k]]


def feature_matrices(accounts):
    onehot = one_hot(accounts)
    words = description_words(accounts)
    values = numeric(accounts)
    tokens = onehot if words is None else sparse.hstack([onehot, words]).tocsr()
    numbers = [] if values is None else [values]
    return {
        "rf": sparse.hstack([tokens, *[sparse.csr_matrix(np.nan_to_num(v, nan=-1.0)) for v in numbers]]).tocsr(),
        "hgb": np.hstack([densest_columns(tokens, HGB_COLUMNS), *numbers]),
        "lr": sparse.hstack([tokens, *[sparse.csr_matrix(standardised_with_indicators(v)) for v in numbers]]).tocsr(),
        "tfidf": TfidfTransformer(norm="l2").fit_transform(
            onehot if values is None else sparse.hstack([onehot, numeric_buckets(values)]).tocsr()
        ),
    }


def model(name, seed):
    if name == "rf":
        return RandomForestClassifier(n_estimators=200, random_state=seed, n_jobs=1)
    if name == "hgb":
        return HistGradientBoostingClassifier(random_state=seed)
    return LogisticRegression(C=1.0, max_iter=2000)


def main():
    payload = json.load(sys.stdin)
    accounts = payload["accounts"]
    features = feature_matrices(accounts)

    results = {}
    for task in payload["tasks"]:
        y = np.zeros(len(accounts), dtype=np.int8)
        y[task["won"]] = 1
        pool = np.array(task["prospectPool"], dtype=np.int64)
        tops, seconds = {}, {}
        for name in BASELINES:
            start = time.perf_counter()
            fitted = model(name, task["seed"]).fit(features[name], y)
            proba = fitted.predict_proba(features[name][pool])[:, list(fitted.classes_).index(1)]
            tops[name] = top(proba, pool, task["k"])
            seconds[name] = round(time.perf_counter() - start, 2)
            print(f"  baselines {task['id']}: {name} {seconds[name]:.1f} s", file=sys.stderr, flush=True)

        tfidf = features["tfidf"]
        look_pool = np.array(task["lookPool"], dtype=np.int64)
        centroid = np.asarray(tfidf[task["lookSeeds"]].mean(axis=0)).ravel()
        norm = np.linalg.norm(centroid)
        cosine = tfidf[look_pool] @ (centroid / norm if norm > 0 else centroid)
        results[task["id"]] = {
            "top": tops,
            "tfidfTop": top(np.asarray(cosine).ravel(), look_pool, task["lookK"]),
            "seconds": seconds,
        }
    json.dump({"sklearn": sklearn.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
