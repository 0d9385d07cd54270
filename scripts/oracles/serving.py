"""Golden quantiles for the serving lab: NumPy's default quantile (method='linear') on seeded latency samples, and
the order-statistic interval ranks from SciPy's binomial distribution.

    python3 scripts/oracles/serving.py > src/labkit/serving/fixtures/numpy-quantiles.json

The samples are generated here and written out with the answers, so the JavaScript test compares on the very same
numbers; ties and tiny samples are included on purpose.
"""
import json
import sys

import numpy as np
from scipy.stats import binom

rng = np.random.default_rng(20261201)
samples = {
    "lognormal-1000": rng.lognormal(mean=np.log(20), sigma=0.5, size=1000),
    "lognormal-137": rng.lognormal(mean=np.log(5), sigma=1.0, size=137),
    "ties-50": rng.integers(1, 6, size=50).astype(float),
    "two": np.array([3.0, 7.0]),
    "one": np.array([42.0]),
    "bimodal-2000": np.concatenate([rng.normal(10, 1, 1900), rng.normal(1000, 50, 100)]),
}
ps = [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1]
cases = []
for name, x in samples.items():
    cases.append({
        "name": name,
        "samples": [float(v) for v in x],
        "p": ps,
        "quantiles": [float(q) for q in np.quantile(x, ps)],
    })

# Order-statistic interval ranks (1-based) for q_p: l the largest rank with P(B <= l - 1) <= alpha/2 and u the smallest
# with P(B >= u) <= alpha/2, B ~ Binomial(n, p), straight from SciPy's binomial CDF; coverage P(l <= B <= u - 1).
ranks = []
for n in [20, 100, 200, 1000, 3000, 10000]:
    for p in [0.5, 0.95, 0.99]:
        a = 0.05
        ls = [l for l in range(1, n + 1) if binom.cdf(l - 1, n, p) <= a / 2]
        us = [u for u in range(1, n + 1) if binom.sf(u - 1, n, p) <= a / 2]
        if not ls or not us:
            ranks.append({"n": n, "p": p, "lower": None, "upper": None, "coverage": None})
            continue
        l, u = max(ls), min(us)
        ranks.append({"n": n, "p": p, "lower": l, "upper": u, "coverage": float(binom.cdf(u - 1, n, p) - binom.cdf(l - 1, n, p))})
json.dump({"numpy": np.__version__, "scipy": __import__("scipy").__version__, "method": "linear", "cases": cases, "ranks": ranks}, sys.stdout)
