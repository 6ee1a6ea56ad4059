#!/usr/bin/env python3
"""Generate fixtures/statistics.json: reference values for the statistics functions of src/statistics/.

Each section is computed independently of the TypeScript code, in numpy/SciPy, from the formulas in
the project's specification (docs and TSDoc of each function):

  roundHalfEven          numpy.round(x, decimals)
  welch                  Welch's test of the relative difference (scipy.special.stdtr / stdtrit)
  holm                   Holm-Bonferroni step-down adjustment (numpy)
  obrienFleming          O'Brien-Fleming confidence level (scipy.special.ndtr / ndtri, numpy.round)
  requiredSampleSize     sample size per variant (scipy.special.ndtri, Python's round)
  power                  power from sample sizes (scipy.special.ndtr / ndtri)
  chiSquare              scipy.stats.chisquare against equal expected counts

Non-finite numbers are written as the strings "NaN", "Infinity" and "-Infinity".

Usage: python3 scripts/generate-statistics-fixtures.py   (SciPy >= 1.15, numpy)
"""

import json
import math
import pathlib

import numpy as np
import scipy
from scipy import special, stats

OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "statistics.json"
rng = np.random.default_rng(20240602)


def encode(value):
    if isinstance(value, (list, tuple, np.ndarray)):
        return [encode(v) for v in value]
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def round_half_even_cases():
    values = [0.5, 1.5, 2.5, -0.5, -2.5, 2.675, 1.005, 0.125, -0.125, 0.97955, 0.94995, 39.999995, 40.000005,
              43.123455, 1250.0, 1350.0, 123.456, -123.456, 1e-7, 0.0, 6021.499995]
    values += list(rng.normal(0, 100, 30))
    cases = []
    for x in values:
        for decimals in (0, 2, 4, 5, -2):
            cases.append({"x": encode(x), "decimals": decimals, "expected": encode(np.round(x, decimals))})
    return cases


def welch_case(mean, std, count, sum_value, control, confidence_level):
    """Per variant against the control, in the same order of operations as the specification."""
    rows = []
    mc, sc, nc = mean[control], std[control], count[control]
    vc = sc * sc / nc
    for mt, st, nt, total in zip(mean, std, count, sum_value):
        vt = st * st / nt
        pooled = vc + vt
        with np.errstate(all="ignore"):
            ratio = np.float64(pooled * pooled) / np.float64(vc * vc / (nc - 1) + vt * vt / (nt - 1))
            f = np.trunc(np.round(ratio, 5))
            diff = np.float64(mt - mc) / np.float64(abs(mc))
            se = np.sqrt(np.float64(mt * mt * vc) / np.float64(mc * mc) + vt) / np.float64(abs(mc))
            stat = diff / se
        if np.isinf(stat) and total <= 10:
            stat = 0.0
        p = 2 * special.stdtr(f, -abs(stat)) if f > 0 else math.nan
        quantile = special.stdtrit(f, confidence_level + (1 - confidence_level) / 2) if f > 0 else math.nan
        rows.append([diff, se, stat, p, se * quantile, f])
    return rows


def welch_cases():
    cases = []
    for _ in range(60):
        variants = int(rng.integers(2, 6))
        count = [float(n) for n in rng.integers(2, 20000, variants)]
        mean = [float(m) for m in rng.uniform(-5, 20, variants)]
        std = [float(s) for s in rng.uniform(0.01, 30, variants)]
        sum_value = [m * n for m, n in zip(mean, count)]
        control = int(rng.integers(0, variants))
        level = float(rng.choice([0.9, 0.95, 0.99, 0.9796, 0.9999]))
        cases.append({"mean": mean, "std": std, "count": count, "sumValue": sum_value, "controlIndex": control,
                      "confidenceLevel": level,
                      "expected": [encode(row) for row in welch_case(mean, std, count, sum_value, control, level)]})
    return cases


def holm(p_values):
    p = np.asarray(p_values, dtype=float)
    order = np.argsort(np.where(np.isnan(p), np.inf, p), kind="stable")
    m = len(p)
    scaled = p[order] * np.arange(m, 0, -1)
    adjusted_sorted = np.minimum(1.0, np.fmax.accumulate(scaled))
    adjusted_sorted[np.isnan(p[order])] = np.nan
    adjusted = np.empty(m)
    adjusted[order] = adjusted_sorted
    return adjusted


def holm_cases():
    cases = [[0.01, 0.04, 0.03], [0.2, math.nan], [0.5, 0.5, 0.5], [0.0, 0.0], [1.0], [math.nan, 0.001, math.nan]]
    for _ in range(40):
        m = int(rng.integers(1, 12))
        p = rng.uniform(0, 1, m) ** rng.uniform(1, 6)
        if rng.random() < 0.3:
            p[rng.integers(0, m)] = np.nan
        cases.append([float(v) for v in p])
    return [{"pValues": encode(p), "expected": encode(holm(p))} for p in cases]


def obrien_fleming(level, total, day):
    alpha = 1 - level
    q = special.ndtri(1 - alpha / 2)
    spent = 2 * special.ndtr(-q / math.sqrt(day / total))
    return min(np.round(1 - spent, 4), 0.9999)


def obrien_fleming_cases():
    cases = []
    for level in (0.9, 0.95, 0.99):
        for total in (7, 14, 28, 30):
            for day in sorted({1, 2, total // 3, total // 2, total - 1, total}):
                cases.append({"confidenceLevel": level, "totalLength": total, "actualDay": day,
                              "expected": encode(obrien_fleming(level, total, day))})
    return cases


def required_sample_size(n_variants, effect, mean, std, std2, level, power):
    alpha = (1 - level) / (n_variants - 1)
    variance = 2 * std * std if std2 is None else std * std + std2 * std2
    delta = mean * effect
    z = special.ndtri(1 - alpha / 2) + special.ndtri(power)
    with np.errstate(all="ignore"):
        value = np.float64(z * z * variance) / np.float64(delta * delta)
    return value if not np.isfinite(value) else float(round(value))


def required_sample_size_cases():
    cases = []
    for _ in range(60):
        n = int(rng.integers(2, 6))
        effect = float(rng.choice([0.01, 0.02, 0.05, 0.1, 0.2]))
        mean = float(rng.uniform(0.01, 10))
        std = float(rng.uniform(0.1, 20))
        std2 = None if rng.random() < 0.5 else float(rng.uniform(0.1, 20))
        level = float(rng.choice([0.9, 0.95, 0.99]))
        power = float(rng.choice([0.8, 0.9]))
        cases.append({"nVariants": n, "minimumEffect": effect, "mean": mean, "std": std, "std2": std2,
                      "confidenceLevel": level, "power": power,
                      "expected": encode(required_sample_size(n, effect, mean, std, std2, level, power))})
    return cases


def power_cases():
    cases = []
    for _ in range(40):
        n = int(rng.integers(2, 6))
        sample = float(rng.integers(10, 100000))
        required = float(rng.integers(10, 100000))
        level = float(rng.choice([0.9, 0.95, 0.99]))
        alpha = (1 - level) / (n - 1)
        z = special.ndtri(1 - alpha / 2)
        value = special.ndtr(math.sqrt(sample / required) * (z + special.ndtri(0.8)) - z)
        cases.append({"nVariants": n, "sampleSize": sample, "requiredSampleSize": required, "confidenceLevel": level,
                      "expected": encode(value)})
    return cases


def chi_square_cases():
    cases = [[21, 26], [5000, 5100, 5200], [15300, 12300], [1, 1, 1], [10, 0], [1000000, 1010000]]
    for _ in range(30):
        k = int(rng.integers(2, 12))
        base = int(rng.integers(10, 100000))
        cases.append([int(v) for v in rng.poisson(base, k) + rng.integers(0, max(2, base // 20), k)])
    out = []
    for counts in cases:
        result = stats.chisquare(counts)
        out.append({"observed": counts, "statistic": encode(result.statistic), "pValue": encode(result.pvalue),
                    "degreesOfFreedom": len(counts) - 1})
    return out


def main():
    document = {
        "description": "Reference values for src/statistics/ computed in numpy/SciPy from the formulas.",
        "generator": "scripts/generate-statistics-fixtures.py",
        "versions": {"scipy": scipy.__version__, "numpy": np.__version__},
        "roundHalfEven": round_half_even_cases(),
        "welch": welch_cases(),
        "holm": holm_cases(),
        "obrienFleming": obrien_fleming_cases(),
        "requiredSampleSize": required_sample_size_cases(),
        "power": power_cases(),
        "chiSquare": chi_square_cases(),
    }
    OUT.write_text(json.dumps(document, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
