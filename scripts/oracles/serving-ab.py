"""Golden sample sizes for the serving lab's A/B test: statsmodels' samplesize_proportions_2indep_onetail (the normal
approximation with the pooled variance under the null, as R's power.prop.test), two-sided, equal arms.

    /usr/bin/python3 scripts/oracles/serving-ab.py > src/labkit/serving/fixtures/ab-sample-sizes.json

Debian's python3-statsmodels (0.13.5) is enough; nothing is downloaded.
"""
import json
import sys

import statsmodels
from statsmodels.stats.proportion import samplesize_proportions_2indep_onetail

cases = []
for baseline in [0.02, 0.05, 0.1, 0.3, 0.5]:
    for diff in [0.005, 0.01, 0.02, 0.05]:
        for power in [0.8, 0.9]:
            for alpha in [0.05, 0.01]:
                n = samplesize_proportions_2indep_onetail(diff, baseline, power, ratio=1, alpha=alpha, alternative='two-sided')
                cases.append({"baseline": baseline, "diff": diff, "power": power, "alpha": alpha, "n": float(n)})
json.dump({"statsmodels": statsmodels.__version__, "cases": cases}, sys.stdout)
