"""Monte Carlo of the event study on the sample generator: pre-period rejections and coverage of the known truth.

For each seed, :func:`villagecon.sample.sample_truth` draws 300 villages over 2016–2023 (the article's four
villages left out: they follow the article, not the model). Log income rises ``TENURE_EFFECT`` (0.06) per
completed year in office, so a change of secretary in year ``e`` whose predecessor had completed ``τ`` years on
31 December of ``e − 1`` lowers income, against the predecessor staying, by

    effect(k) = TENURE_EFFECT · k − TENURE_EFFECT · (τ + 1 + k) = −TENURE_EFFECT · (τ + 1)   for every k ≥ 0,

and by nothing before ``e`` (no anticipation): the generator's event-time truth. The truth at ``k`` is the mean
of −0.06·(τ + 1) over the arrivals the stacked estimator compares at ``k`` (``result.attrs["events"]``). Both
methods are scored against it: rejection of "coefficient = 0" at 5% before the change (should be near 5%), of
the joint pre-trend test, and coverage of the truth by the 95% intervals after it (should be near 95%).

    python benchmarks/bench_event_study.py [--seeds 40]
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from villagecon import event_study, tenure_effect
from villagecon.sample import TENURE_EFFECT, sample_truth

import harness


def one_draw(seed: int) -> dict:
    truth = sample_truth(seed=seed)
    panel = truth.loc[~truth["from_article"]].reset_index(drop=True)
    stacked = event_study(panel)
    twfe = event_study(panel, method="twfe")
    predecessor = panel.set_index(["village_code", "year"])["tenure_years"]
    events = stacked.attrs["events"]
    tau = predecessor.reindex(pd.MultiIndex.from_arrays([events["village_code"], events["arrival"] - 1])).to_numpy()
    events = events.assign(effect=-TENURE_EFFECT * (tau + 1))
    true_at = events.groupby("event_time")["effect"].mean()
    rows = []
    for name, result in (("stacked", stacked), ("twfe", twfe)):
        for row in result.loc[~result["reference"]].itertuples():
            k = row.event_time
            true = 0.0 if k < -1 else float(true_at.get(k, np.nan))
            rows.append(
                {
                    "seed": seed,
                    "method": name,
                    "event_time": k,
                    "coef": row.coef,
                    "truth": true,
                    "rejects_zero": row.p_value < 0.05,
                    "covers_truth": row.ci_low <= true <= row.ci_high,
                }
            )
        rows.append(
            {
                "seed": seed,
                "method": name,
                "event_time": "pretrend",
                "rejects_zero": result.attrs["pretrend"]["p_value"] < 0.05,
            }
        )
    tenure = tenure_effect(panel).iloc[0]
    rows.append(
        {
            "seed": seed,
            "method": "tenure_effect",
            "event_time": "tenure_years",
            "coef": tenure["coef"],
            "truth": TENURE_EFFECT,
            "covers_truth": tenure["ci_low"] <= TENURE_EFFECT <= tenure["ci_high"],
        }
    )
    return rows


def summarise(draws: pd.DataFrame) -> dict:
    out = {}
    for (method, k), group in draws.groupby(["method", draws["event_time"].astype(str)], sort=False):
        entry = {"draws": len(group)}
        if group["coef"].notna().any():
            entry |= {
                "mean_coef": round(float(group["coef"].mean()), 4),
                "mean_truth": round(float(group["truth"].mean()), 4),
            }
        if group["rejects_zero"].notna().any():
            entry["rejection_rate_5pct"] = round(float(group["rejects_zero"].astype(bool).mean()), 3)
        if group["covers_truth"].notna().any():
            entry["coverage_95pct"] = round(float(group["covers_truth"].astype(bool).mean()), 3)
        out.setdefault(method, {})[k] = entry
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=40)
    args = parser.parse_args()
    draws = pd.DataFrame([row for seed in range(args.seeds) for row in one_draw(seed)])
    summary = summarise(draws)
    pre = draws.loc[draws["event_time"].isin([-3, -2])]
    post = draws.loc[draws["event_time"].isin(range(0, 6))]
    harness.write_results(
        "event_study",
        {
            "seeds": args.seeds,
            "villages": 300,
            "years": "2016-2023",
            "window": [-3, 5],
            "truth": "0 before the change; -TENURE_EFFECT * (predecessor's completed years + 1) from it on, "
            "averaged over the arrivals compared (see the script's docstring)",
            "pre_period_rejection_rate": {
                m: round(float(g["rejects_zero"].astype(bool).mean()), 3) for m, g in pre.groupby("method")
            },
            "post_period_coverage": {
                m: round(float(g["covers_truth"].astype(bool).mean()), 3) for m, g in post.groupby("method")
            },
            "post_period_mean_bias": {
                m: round(float((g["coef"] - g["truth"]).mean()), 4) for m, g in post.groupby("method")
            },
            "by_event_time": summary,
            "goal": "stacked: pre-period rejection near 5%, post-period coverage near 95%; twfe shown beside",
        },
    )


if __name__ == "__main__":
    main()
