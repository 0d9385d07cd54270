"""Golden cases for src/labkit/stats/proportions.ts from SciPy (Debian's python3-scipy), run offline by a developer:
    python3 scripts/oracles/proportions.py > src/labkit/stats/fixtures/proportions.json
Wilson intervals: scipy.stats.binomtest(k, n).proportion_ci(method='wilson').
Exact McNemar: scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue (two-sided)."""
import json, random
import scipy
from scipy.stats import binomtest

random.seed(7)
wilson = []
for k, n in [(0, 10), (3, 10), (10, 10), (1, 1), (97, 100), (4890, 5000), (4999, 5000), (5000, 5000)] + [
    (random.randint(0, n), n) for n in [random.randint(1, 6000) for _ in range(50)]
]:
    ci = binomtest(k, n).proportion_ci(method='wilson')
    wilson.append({'k': k, 'n': n, 'lower': float(ci.low), 'upper': float(ci.high)})
mcnemar = []
for b, c in [(0, 0), (3, 0), (10, 4), (40, 25), (7, 7), (120, 60)] + [(random.randint(0, 300), random.randint(0, 300)) for _ in range(50)]:
    m = b + c
    mcnemar.append({'onlyA': b, 'onlyB': c, 'p': float(binomtest(min(b, c), m, 0.5).pvalue) if m else 1.0})
print(json.dumps({'generator': f'scipy {scipy.__version__}', 'wilson': wilson, 'mcnemar': mcnemar}, indent=1))
