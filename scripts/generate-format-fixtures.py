#!/usr/bin/env python3
"""Generate fixtures/python-format.json: what Python's str.format prints for metric format templates.

`formatPython` (src/results/format-python.ts) formats numbers with the templates that metric
definitions carry (`metricFormat`, e.g. "{:.2%}") and that result tables use ("{:+,.1%}", "{:,.3f}").
This script records, for every template and value below, the string of `template.format(value)` with
`value` a Python float, or the exception's type and message when Python rejects the template.

Non-finite numbers are written as the strings "NaN", "Infinity" and "-Infinity"; negative zero as -0.0.

Usage: python3 scripts/generate-format-fixtures.py   (Python >= 3.8, standard library only)
"""

import json
import math
import pathlib
import random
import struct
import sys

OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "python-format.json"

TEMPLATES = [
    # formats used by metric definitions and result tables
    "{:.2%}",
    "${:,.2f}",
    "{:+,.1%}",
    "{:,.3f}",
    "{:.1f} \u2030",
    "{}",
    "{:.0%}",
    "{:.3f}",
    "{:,.0f}",
    "{:+.2%}",
    "{:.3e}",
    "{:,.2e}",
    "{:E}",
    "{:f}",
    "{:F}",
    "{:%}",
    "{:g}",
    "{:.3g}",
    "{:,.10g}",
    "{:G}",
    # no type: repr of the float, with options
    "{:}",
    "{:,}",
    "{:+}",
    "{:>14}",
    # fill, alignment, width, sign, zero padding
    "{:>10.2f}",
    "{:<10.2f}",
    "{:^10.2f}",
    "{:*^13,.1f}",
    "{:x=+12.2f}",
    "{: .2f}",
    "{:010,.2f}",
    "{:012.3%}",
    "{:0<10.2f}",
    "{:0>10,.2f}",
    "{:012.3e}",
    # literal text, escapes and an explicit field number
    "p = {:.3f}",
    "{{{:.1f}}}",
    "{0:.2f} }}",
]

VALUES = [
    0.0,
    -0.0,
    0.5,
    -0.0123,
    1234.5678,
    1e-7,
    123456789.123,
    math.nan,
    math.inf,
    -math.inf,
    # exact binary ties: Python rounds them half to even
    0.125,
    0.0125,
    2.5,
    -2.5,
    12345.0,
    0.005,
    1.125,
    # where the layout of repr and of `g` changes
    1e-5,
    0.0001,
    1e16,
    1e15,
    1e21,
    -9.9999996,
    999999.5,
]

# Random values (fixed seed): arbitrary doubles, and decimals with a trailing 5 that are often exact
# binary ties at the rounded digit.
RANDOM_TEMPLATES = ["{}", "{:.2%}", "{:+,.1%}", "{:,.3f}", "{:.3e}", "{:.4g}", "{:.17g}", "{:012,.1f}"]


def random_values(count):
    generator = random.Random(20240602)
    values = []
    while len(values) < count:
        if len(values) % 2 == 0:
            bits = generator.getrandbits(64)
            value = struct.unpack("<d", struct.pack("<Q", bits))[0]
            if not math.isfinite(value) or abs(value) > 1e30:
                continue
        else:
            value = (generator.randint(-20000, 20000) + 0.5) / 10 ** generator.randint(0, 6)
        values.append(value)
    return values


# Python rejects these for a float value (the TypeScript implementation rejects them too).
INVALID = [
    "{:d}",
    "{:,d}",
    "{:x}",
    "{:s}",
    "{:.2q}",
    "{:.2f",
    "}{:.2f}",
]


def encode(value):
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def main():
    cases = []
    for template in TEMPLATES:
        for value in VALUES:
            cases.append({"template": template, "value": encode(value), "expected": template.format(value)})
    for template in RANDOM_TEMPLATES:
        for value in random_values(150):
            cases.append({"template": template, "value": encode(value), "expected": template.format(value)})
    errors = []
    for template in INVALID:
        try:
            template.format(1.5)
        except (ValueError, IndexError, KeyError) as error:
            errors.append({"template": template, "error": type(error).__name__, "message": str(error)})
        else:
            raise AssertionError(f"{template!r} unexpectedly accepted 1.5")
    document = {
        "generator": "scripts/generate-format-fixtures.py",
        "python": sys.version.split()[0],
        "cases": cases,
        "errors": errors,
    }
    OUT.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases and {len(errors)} errors to {OUT}")


if __name__ == "__main__":
    main()
