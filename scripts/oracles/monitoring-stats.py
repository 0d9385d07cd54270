"""Golden cases for the monitoring lab's drift statistics (src/labkit/stats/: ks, chi2, distances, psi, multiple),
computed with Debian's SciPy (package python3-scipy), run offline by a developer:

    /usr/bin/python3 scripts/oracles/monitoring-stats.py > src/labkit/stats/fixtures/drift.json

Samples are not stored: both sides draw them from the same seeded generator (mulberry32, values k / 2**32 and sums of
them, only operations IEEE 754 rounds the same everywhere), so the fixtures stay small and the values bit-identical.
- KS: scipy.stats.ks_2samp(a, b) (two-sided, method 'auto': exact below 10,000 values).
- chi-square: scipy.stats.chi2_contingency(table) and scipy.stats.chi2.sf(x, k).
- Jensen-Shannon: scipy.spatial.distance.jensenshannon(p, q) (natural log).
- Wasserstein: scipy.stats.wasserstein_distance(u, v); normed: divided by numpy.std(u).
- PSI has no SciPy function: numpy with reference-quantile bins (numpy.quantile, linear), 0 shares -> 0.0001.
- Benjamini-Hochberg: numpy, the step-up adjusted p-values (scipy.stats.false_discovery_control is newer than 1.10).
"""
import json, math
import numpy as np
import scipy
from scipy import stats
from scipy.spatial.distance import jensenshannon


def mulberry32(seed):
    a = seed & 0xFFFFFFFF

    def nxt():
        nonlocal a
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = a
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return nxt


def sample(seed, n, shift=0.0, scale=1.0, step=0.0):
    """Roughly normal values: (u1+u2+u3+u4-2)*scale + shift, optionally floored to a grid of `step` (ties)."""
    r = mulberry32(seed)
    out = []
    for _ in range(n):
        x = (r() + r() + r() + r() - 2) * scale + shift
        if step:
            x = math.floor(x / step) * step
        out.append(x)
    return out


def spec(seed, n, shift=0.0, scale=1.0, step=0.0):
    return {'seed': seed, 'n': n, 'shift': shift, 'scale': scale, 'step': step}


def draw(s):
    return sample(s['seed'], s['n'], s['shift'], s['scale'], s['step'])


seed = iter(range(1000, 100000))
pairs = []
for n, m in [(1, 1), (1, 5), (3, 3), (5, 8), (10, 10), (20, 30), (50, 50), (100, 100), (100, 5000), (250, 5000), (500, 5000),
             (1000, 5000), (500, 500), (2000, 2000), (5000, 5000), (37, 91), (999, 1000), (400, 4000), (10000, 100), (10000, 10000)]:
    for shift, step in [(0.0, 0.0), (0.25, 0.0), (0.0, 0.05)]:
        pairs.append((spec(next(seed), n), spec(next(seed), m, shift=shift, step=step) if step == 0 else spec(next(seed), m, shift=shift, step=step)))
# also ties in both samples
for n, m in [(300, 3000), (60, 60), (1000, 1000)]:
    pairs.append((spec(next(seed), n, step=0.1), spec(next(seed), m, shift=0.1, step=0.1)))

ks = []
for a, b in pairs:
    r = stats.ks_2samp(draw(a), draw(b))
    ks.append({'a': a, 'b': b, 'statistic': float(r.statistic), 'pvalue': float(r.pvalue)})

wass = []
for a, b in pairs:
    u, v = draw(a), draw(b)
    wass.append({'a': a, 'b': b, 'distance': float(stats.wasserstein_distance(u, v)),
                 'normed': float(stats.wasserstein_distance(u, v) / np.std(u)) if np.std(u) > 0 else None})


def counts(seed_, k, n, tilt=0.0):
    r = mulberry32(seed_)
    c = [0] * k
    for _ in range(n):
        # categories with unequal weights; tilt moves mass towards the last ones
        u = r()
        i = min(k - 1, int(math.floor((u ** (1.0 / (1.0 + tilt))) * k)))
        c[i] += 1
    return c


chi = []
for k, n1, n2, tilt in [(2, 50, 60, 0.0), (2, 500, 400, 0.3), (2, 20, 25, 1.0), (3, 100, 100, 0.0), (10, 5000, 500, 0.0),
                        (10, 5000, 500, 0.1), (10, 5000, 100, 0.0), (10, 5000, 1000, 0.2), (5, 40, 60, 0.5), (10, 300, 300, 2.0)] + \
                       [(2 + (i % 9), 30 + 97 * i, 20 + 61 * i, (i % 5) * 0.15) for i in range(45)]:
    s = next(seed)
    a = counts(s, k, n1)
    b = counts(s + 7, k, n2, tilt)
    keep = [j for j in range(k) if a[j] + b[j] > 0]
    table = [[a[j] for j in keep], [b[j] for j in keep]]
    if len(keep) < 2:
        continue
    r = stats.chi2_contingency(table)
    chi.append({'table': table, 'statistic': float(r[0]), 'pvalue': float(r[1]), 'dof': int(r[2])})

sf = []
for x, k in [(0.5, 1), (3.84, 1), (10.83, 1), (1e-8, 2), (50, 9), (16.92, 9), (200, 9), (0.01, 30), (30, 30), (1000, 30), (2.5, 3.5), (700, 9)]:
    sf.append({'x': x, 'k': k, 'sf': float(stats.chi2.sf(x, k))})
r = mulberry32(77)
for _ in range(48):
    k = 1 + math.floor(r() * 40)
    x = r() * 3 * k
    sf.append({'x': x, 'k': k, 'sf': float(stats.chi2.sf(x, k))})

js = []
r = mulberry32(99)
for i in range(55):
    k = 2 + (i % 12)
    p = [math.floor(r() * 50) for _ in range(k)]
    q = [math.floor(r() * 50) for _ in range(k)]
    if i % 7 == 0:
        p[0] = 0
    if i % 11 == 0:
        q[-1] = 0
    if sum(p) == 0:
        p[0] = 1
    if sum(q) == 0:
        q[0] = 1
    js.append({'p': p, 'q': q, 'distance': float(jensenshannon(p, q))})
js.append({'p': [1, 0], 'q': [0, 1], 'distance': float(jensenshannon([1, 0], [0, 1]))})
js.append({'p': [3, 3, 3], 'q': [1, 1, 1], 'distance': float(jensenshannon([3, 3, 3], [1, 1, 1]))})


def psi_numpy(ref, cur, bins):
    ref = np.asarray(ref)
    cur = np.asarray(cur)
    q = [np.quantile(ref, k / bins) for k in range(1, bins)]
    edges = []
    for e in q:
        if not edges or e > edges[-1]:
            edges.append(e)
    edges = np.asarray(edges)
    rc = np.bincount(np.searchsorted(edges, ref, side='left'), minlength=len(edges) + 1)
    cc = np.bincount(np.searchsorted(edges, cur, side='left'), minlength=len(edges) + 1)
    rs = rc / len(ref)
    cs = cc / len(cur)
    rs = np.where(rs == 0, 0.0001, rs)
    cs = np.where(cs == 0, 0.0001, cs)
    return float(np.sum((cs - rs) * np.log(cs / rs))), len(edges) + 1


psis = []
for i, (a, b) in enumerate(pairs):
    bins = [10, 5, 20][i % 3]
    value, used = psi_numpy(draw(a), draw(b), bins)
    psis.append({'a': a, 'b': b, 'bins': bins, 'psi': value, 'binsUsed': used})


def bh(p):
    p = np.asarray(p, dtype=float)
    k = len(p)
    order = np.argsort(p, kind='mergesort')
    adj = p[order] * k / np.arange(1, k + 1)
    adj = np.minimum.accumulate(adj[::-1])[::-1]
    out = np.empty(k)
    out[order] = np.minimum(adj, 1)
    return [float(x) for x in out]


bhs = []
r = mulberry32(123)
for i in range(52):
    k = 1 + (i % 20)
    p = [r() ** (1 + (i % 4)) for _ in range(k)]
    bhs.append({'p': p, 'adjusted': bh(p)})

print(json.dumps({'generator': f'scipy {scipy.__version__}, numpy {np.__version__} (Debian python3-scipy)', 'ks': ks, 'wasserstein': wass,
                  'chi2Contingency': chi, 'chi2Sf': sf, 'jensenShannon': js, 'psi': psis, 'bh': bhs}, indent=None, separators=(',', ':')))
