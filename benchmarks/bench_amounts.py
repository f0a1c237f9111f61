"""parse_amounts on 1,000,000 mixed, realistic amount strings vs a per-row ``re`` + float baseline.

Goal (issue 3): parse_amounts at least 4× faster than the per-row baseline, measured in the
same run on the same strings; also its cost relative to bare ``pyarrow.compute`` digit
extraction (strip everything but digits and the dot, cast), which reads no sign, unit or
approximation and so is a floor, not a competitor.

The baseline reads exactly the forms the vectorised path reads (NFKC, sign, parentheses,
thousands separators, 元/万/亿, 余/约/以上) with one compiled regular expression per cell;
the benchmark checks that both give the same yuan on every string both can read.

    python benchmarks/bench_amounts.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import re
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from villagecon import parse_amounts

import harness

# (template, share): what amount columns of village ledgers contain, most often plain numbers.
FORMS = (
    ("{:.2f}", 0.55),
    ("{:,.2f}", 0.15),
    ("{:.2f}万", 0.06),
    ("{:.4f}万元", 0.04),
    ("({:.2f})", 0.04),
    ("-{:.2f}", 0.04),
    ("{:.0f}元", 0.03),
    ("约{:.0f}万", 0.02),
    ("{:.0f}余万元", 0.02),
    ("（{:,.2f}）", 0.02),
    ("１２３４．５", 0.01),
    ("十二万三千", 0.005),
    ("—", 0.005),
    ("壹拾贰万叁仟元整", 0.005),
    ("12.3%", 0.005),
)


def mixed_amounts(rows: int, *, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    templates = [form for form, _ in FORMS]
    shares = np.array([share for _, share in FORMS])
    picks = rng.choice(len(templates), size=rows, p=shares / shares.sum())
    numbers = rng.lognormal(8, 2, rows).round(2)
    return [templates[pick].format(number) for pick, number in zip(picks, numbers, strict=True)]


_FACTORS = {"": None, "元": 1.0, "万": 1e4, "万元": 1e4, "亿": 1e8, "亿元": 1e8}
_BASELINE = re.compile(r"(约|近)?(负债|负|-|△)?(\()?([\d,]+(?:\.\d+)?)(\))?(余|多)?(万元|万|亿元|亿|元)?(以上|左右)?")


def per_row_baseline(values: list[str], unit_factor: float = 1.0) -> np.ndarray:
    """The straightforward way: normalise, match, float, one cell at a time."""
    out = np.full(len(values), np.nan)
    for i, value in enumerate(values):
        match = _BASELINE.fullmatch(unicodedata.normalize("NFKC", value).strip())
        if match is None:
            continue
        number = float(match[4].replace(",", ""))
        factor = _FACTORS[match[7] or ""] or unit_factor
        out[i] = round((-number if match[2] or match[3] else number) * factor, 2)
    return out


def bare_pyarrow(values: pa.Array) -> pa.Array:
    digits = pc.replace_substring_regex(values, r"[^0-9.]+", "")
    return pc.cast(pc.if_else(pc.equal(digits, ""), None, digits), pa.float64())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    values = mixed_amounts(args.rows)
    column = pd.Series(values)  # pandas' default str dtype (Arrow-backed)
    as_arrow = pa.array(values, type=pa.large_string())

    ours = parse_amounts(column)
    baseline = per_row_baseline(values)
    both = ~np.isnan(baseline)
    assert np.array_equal(ours["amount_yuan"].to_numpy()[both], baseline[both]), "parse_amounts != baseline"

    vectorised = harness.best_of(lambda: parse_amounts(column), repeat=args.repeat)
    object_column = column.astype(object)  # what a spreadsheet reader hands over
    vectorised_object = harness.best_of(lambda: parse_amounts(object_column), repeat=args.repeat)
    per_row = harness.best_of(lambda: per_row_baseline(values), repeat=args.repeat)
    bare = harness.best_of(lambda: bare_pyarrow(as_arrow), repeat=args.repeat)

    harness.write_results(
        "amounts",
        {
            "rows": args.rows,
            "parse_amounts_seconds": vectorised,
            "parse_amounts_object_dtype_seconds": vectorised_object,
            "per_row_re_baseline_seconds": per_row,
            "bare_pyarrow_digits_seconds": bare,
            "speedup_vs_per_row_baseline": per_row / vectorised,
            "cost_vs_bare_pyarrow": vectorised / bare,
            "rows_read_by_both": int(both.sum()),
            "rows_only_parse_amounts_reads": int((~both & ours["amount_yuan"].notna().to_numpy()).sum()),
            "rows_rejected": int(ours["error"].notna().sum()),
            "goal": "parse_amounts >= 4x faster than the per-row re + float baseline",
            "goal_met": per_row / vectorised >= 4,
        },
    )


if __name__ == "__main__":
    main()
