"""Golden cases for the tuning engine (src/labkit/tuning) and the tuning lab's journal export, from Optuna itself
(Debian's python3-optuna 3.1.0) and statsmodels (python3-statsmodels 0.13.5), run offline by a developer:

    /usr/bin/python3 scripts/oracles/tuning.py

writes src/labkit/tuning/fixtures/optuna.json:
  - pruners: which step each of 40 recorded learning curves is pruned at (or that it completes), under Optuna's
    MedianPruner, SuccessiveHalvingPruner and HyperbandPruner with several settings, minimising and maximising;
  - parzen: Optuna's univariate _ParzenEstimator (means, bandwidths, log l(x) − log g(x) at candidate points) for
    every kind of distribution, with tied observations ordered stably (numpy's default argsort orders them
    arbitrarily, which matters once observations carry different weights). Optuna 3.1's truncnorm.logpdf leaves out the −log(scale) term, so components of
    different widths are weighted wrongly (optuna/optuna#5109, fixed in Optuna 3.5 by #5110); the generator patches
    that one function, and the golden values are Optuna's estimator with the corrected density;
  - distributions: distribution_to_json of each distribution kind, including a high that is not on the step grid;
  - floats: json.dumps of floats (Python's repr), as Optuna writes them into a journal;
  - normal: log Φ, the log Gaussian mass of an interval and the truncated normal's quantile;
  - newcombe: statsmodels' confint_proportions_2indep(method='newcomb');
  - crc32: binascii.crc32 of Hyperband's bracket keys.

and, when the journals written by scripts/oracles/tuning-journals.mjs exist (labs/tuning/fixtures/*.jsonl), loads
each with optuna.load_study(storage=JournalStorage(JournalFileStorage(path))) and writes what Optuna reads back
(best value and parameters, every trial's state, value, parameters and intermediate values) to
labs/tuning/fixtures/optuna-readback.json.
"""
import binascii
import glob
import json
import math
import os
import random
import warnings

import numpy as np
import optuna
import statsmodels
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution, distribution_to_json
from optuna.samplers._tpe import _truncnorm
from optuna.samplers._tpe import parzen_estimator as parzen_module
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import default_weights
from statsmodels.stats.proportion import confint_proportions_2indep

warnings.simplefilter("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)
ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))


def clean(x):
    """JSON has no NaN or infinities: write them as strings the test reads back."""
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
        return str(x)
    return x


# --- pruners ------------------------------------------------------------------------------------------------------
rng = random.Random(20261130)
curves = []
for i in range(40):
    level = rng.uniform(0.08, 0.5)
    speed = rng.uniform(0.3, 2.0)
    curve = [round(level + 0.6 * math.exp(-speed * step) + rng.gauss(0, 0.01), 4) for step in range(1, 10)]
    curves.append(curve)
curves[17][3] = float("nan")  # a NaN report: Optuna prunes at the first rung it checks after it
curves[23] = [float("nan")] * 9

PRUNERS = {
    "median-default": lambda: optuna.pruners.MedianPruner(),
    "median-custom": lambda: optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=2, interval_steps=2),
    "median-min-trials": lambda: optuna.pruners.MedianPruner(n_startup_trials=1, n_min_trials=3),
    "asha-lab": lambda: optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3),
    "asha-default": lambda: optuna.pruners.SuccessiveHalvingPruner(),
    "asha-bootstrap": lambda: optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=2, bootstrap_count=2),
    "asha-rate": lambda: optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=2, min_early_stopping_rate=1),
    "hyperband-lab": lambda: optuna.pruners.HyperbandPruner(min_resource=1, max_resource=9, reduction_factor=3),
    "hyperband-auto": lambda: optuna.pruners.HyperbandPruner(),
}

pruner_cases = []
for name, make in PRUNERS.items():
    for direction in ["minimize", "maximize"]:
        sign = 1 if direction == "minimize" else -1
        study = optuna.create_study(study_name="golden", direction=direction, pruner=make())

        def objective(trial):
            curve = curves[trial.number]
            for step, value in enumerate(curve, start=1):
                trial.report(sign * value, step)
                if trial.should_prune():
                    raise optuna.TrialPruned()
            return sign * curve[-1] if not math.isnan(curve[-1]) else 1e9

        study.optimize(objective, n_trials=len(curves))
        outcome = []
        for t in study.trials:
            rungs = {k: clean(v) for k, v in t.system_attrs.items() if k.startswith("completed_rung_")}
            outcome.append({"state": t.state.name, "lastStep": t.last_step, "rungs": rungs})
        pruner_cases.append({"pruner": name, "direction": direction, "trials": outcome})

# --- Parzen estimators (with the corrected truncated-normal density, see above) -----------------------------------
_original_logpdf = _truncnorm.logpdf


def _logpdf_with_scale(x, a, b, loc=0, scale=1):
    return _original_logpdf(x, a, b, loc, scale) - np.log(scale)


_truncnorm.logpdf = _logpdf_with_scale


class _StableArgsort:
    """numpy with a stable argsort: numpy's default (introsort) orders tied observations arbitrarily, and with ramped
    weights the order of tied observations changes the mixture; the JS port breaks ties by trial order."""

    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def argsort(a, *args, **kwargs):
        kwargs.setdefault("kind", "stable")
        return np.argsort(a, *args, **kwargs)


parzen_module.np = _StableArgsort()
params = _ParzenEstimatorParameters(
    consider_prior=True, prior_weight=1.0, consider_magic_clip=True, consider_endpoints=False, weights=default_weights, multivariate=False
)


def distribution_case(d):
    if isinstance(d, CategoricalDistribution):
        return {"kind": "categorical", "choices": list(d.choices)}
    if isinstance(d, FloatDistribution):
        return {"kind": "float", "low": d.low, "high": d.high, "log": d.log, "step": d.step}
    return {"kind": "int", "low": d.low, "high": d.high, "log": d.log, "step": d.step}


DISTS = [
    FloatDistribution(-5.0, 10.0),
    FloatDistribution(1e-4, 1.0, log=True),
    FloatDistribution(-3.0, -0.5, step=0.5),
    IntDistribution(1, 9, step=2),
    IntDistribution(16, 256, log=True),
    CategoricalDistribution([16, 32, 64]),
]
prng = np.random.RandomState(5)
parzen_cases = []
for d in DISTS:
    for n_below, n_above in [(0, 0), (1, 4), (3, 27), (6, 60)]:
        def draw(n):
            if isinstance(d, CategoricalDistribution):
                return [float(prng.randint(len(d.choices))) for _ in range(n)]
            out = []
            for _ in range(n):
                if d.log:
                    v = math.exp(prng.uniform(math.log(d.low), math.log(d.high)))
                    v = float(round(v)) if isinstance(d, IntDistribution) else v
                elif d.step is not None:
                    k = prng.randint(int(round((d.high - d.low) / d.step)) + 1)
                    v = d.low + k * d.step
                else:
                    v = prng.uniform(d.low, d.high)
                out.append(float(v))
            return out

        below, above = draw(n_below), draw(n_above)
        candidates = draw(12)
        l = _ParzenEstimator({"x": np.asarray(below)}, {"x": d}, params)
        g = _ParzenEstimator({"x": np.asarray(above)}, {"x": d}, params)
        points = np.asarray(candidates, dtype=int if isinstance(d, CategoricalDistribution) else float)
        ll = l.log_pdf({"x": points})
        lg = g.log_pdf({"x": points})
        parzen_cases.append({
            "distribution": distribution_case(d),
            "below": below,
            "above": above,
            "candidates": candidates,
            "belowMus": None if l._mus["x"] is None else l._mus["x"].tolist(),
            "belowSigmas": None if l._sigmas["x"] is None else l._sigmas["x"].tolist(),
            "logLMinusLogG": (ll - lg).tolist(),
            "logL": ll.tolist(),
        })
_truncnorm.logpdf = _original_logpdf
parzen_module.np = np

# --- distributions, floats, normal functions, Newcombe, CRC-32 ------------------------------------------------------
distribution_cases = []
for kind, low, high, extra in [
    ("float", 0.001, 1.0, {"log": True}),
    ("float", -1, 1, {"step": 0.5}),
    ("float", 0.0, 1.0, {"step": 0.3}),
    ("float", -3, -0.5, {"step": 0.5}),
    ("float", 0.5, 2.5, {}),
    ("int", 1, 9, {"step": 2}),
    ("int", 1, 10, {"step": 3}),
    ("int", 16, 256, {"log": True}),
]:
    d = (FloatDistribution if kind == "float" else IntDistribution)(low, high, **extra)
    distribution_cases.append({"kind": kind, "low": low, "high": high, "options": extra, "json": distribution_to_json(d)})
for choices in [[16, 32, 64], ["adam", "sgd", None, True, 0.5]]:
    distribution_cases.append({"kind": "categorical", "choices": choices, "json": distribution_to_json(CategoricalDistribution(choices))})

floats = [1.0, 0.1, 1e-05, 0.0001, 1.5e-07, 123456.789, 1e16, 1e15, 2.5e22, -0.0, 0.3333333333333333, 0.131, 0.0031622776601683794, 10.0**-2.5]
float_cases = [{"value": x, "json": json.dumps(x)} for x in floats]

normal_cases = []
for a in [-40.0, -25.0, -19.0, -6.5, -1.2, 0.0, 0.7, 3.0, 7.5]:
    normal_cases.append({"logNdtr": [a, float(_truncnorm._log_ndtr(np.asarray([a]))[0])]})
for a, b in [(-3.0, 2.0), (0.5, 4.0), (-8.0, -2.0), (-30.0, -25.0), (1.0, 1.5), (-0.1, 0.1)]:
    normal_cases.append({"logGaussMass": [a, b, float(_truncnorm._log_gauss_mass(np.asarray([a]), np.asarray([b]))[0])]})
    for q in [0.001, 0.3, 0.5, 0.97]:
        normal_cases.append({"ppf": [q, a, b, float(_truncnorm.ppf(np.asarray([q]), a, b)[0])]})

newcombe = []
for k1, n1, k2, n2 in [(84, 100, 74, 100), (0, 50, 0, 50), (50, 50, 45, 50), (703, 1000, 592, 1000), (3, 10, 9, 12), (120, 200, 160, 200)]:
    low, high = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb")
    newcombe.append({"k1": k1, "n1": n1, "k2": k2, "n2": n2, "lower": float(low), "upper": float(high)})

crc = [{"text": f"golden_{i}", "crc32": binascii.crc32(f"golden_{i}".encode())} for i in range(8)]

out = {
    "generator": f"optuna {optuna.__version__}, statsmodels {statsmodels.__version__}, numpy {np.__version__}",
    "curves": [[clean(v) for v in c] for c in curves],
    "pruners": pruner_cases,
    "parzen": parzen_cases,
    "distributions": distribution_cases,
    "floats": float_cases,
    "normal": normal_cases,
    "newcombe": newcombe,
    "crc32": crc,
}
path = os.path.join(ROOT, "src/labkit/tuning/fixtures/optuna.json")
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(f"wrote {path}")

# --- journals written by the lab, read back by Optuna --------------------------------------------------------------
journals = sorted(glob.glob(os.path.join(ROOT, "labs/tuning/fixtures/*.jsonl")))
if journals:
    readback = {"generator": f"optuna {optuna.__version__}", "journals": {}}
    for path in journals:
        storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(path))
        summaries = optuna.study.get_all_study_summaries(storage)
        study = optuna.load_study(study_name=summaries[0].study_name, storage=storage)
        complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
        readback["journals"][os.path.basename(path)] = {
            "studyName": study.study_name,
            "direction": study.direction.name.lower(),
            "userAttrs": study.user_attrs,
            "bestValue": study.best_value if complete else None,
            "bestParams": study.best_params if complete else None,
            "bestNumber": study.best_trial.number if complete else None,
            "trials": [
                {
                    "number": t.number,
                    "state": t.state.name,
                    "value": clean(t.value) if t.value is not None else None,
                    "params": t.params,
                    "intermediate": [[s, clean(v)] for s, v in sorted(t.intermediate_values.items())],
                    "userAttrs": t.user_attrs,
                    "durationMs": None if t.duration is None else round(t.duration.total_seconds() * 1000, 3),
                }
                for t in study.trials
            ],
        }
    path = os.path.join(ROOT, "labs/tuning/fixtures/optuna-readback.json")
    with open(path, "w") as f:
        json.dump(readback, f, indent=1)
        f.write("\n")
    print(f"wrote {path} ({len(journals)} journals)")
