"""The site's figures for the demo data set agree with an independent computation.

The independent side reads the raw rows (submissions and waits) with pandas and estimates with
lifelines, sharing no code with the app's statistics: not the cells, not the Kaplan-Meier, not
the standards (the California intake and return standard, 10 business days, is at most 14
calendar days; that is written here by hand).

Run as a script against any database to print the figures side by side:
    .venv/bin/python -m tests.integration.test_stats_independent sqlite:////tmp/s20k.db
"""

from __future__ import annotations

import sys
from typing import Any

import pandas as pd
from flask.testing import FlaskClient, FlaskCliRunner
from lifelines import KaplanMeierFitter
from sqlalchemy import Engine, text

CRISIS, GOT_WORSE = 8, 8
STANDARD_DAYS = 14


def raw_rows(engine: Engine) -> pd.DataFrame:
    query = text("""
        SELECT s.id, s.region_id, s.care_types, s.outcomes, s.status, s.consent_stats,
               w.kind, w.state, w.days
        FROM submission s LEFT JOIN wait w ON w.submission_id = s.id""")
    with engine.connect() as connection:
        frame = pd.read_sql(query, connection)
    frame["counted"] = (frame["status"] == "approved") & frame["consent_stats"].astype(bool)
    return frame[frame["counted"]]


def km(waits: pd.DataFrame) -> KaplanMeierFitter:
    timed = waits[waits["days"].notna()]
    return KaplanMeierFitter().fit(timed["days"].astype(float), timed["state"] == "ended")


def independent_figures(engine: Engine) -> dict[str, Any]:
    rows = raw_rows(engine)
    intake = rows[(rows["kind"] == "intake") & ((rows["care_types"] & CRISIS) == 0)]
    # The intake share in the region with most intake answers: first returns are nearly all
    # over the standard in the demo, and a region's few within it withhold its share there
    # (fewer than STATS_MIN_CELL answers on one side of the standard, audit finding 5).
    region = int(intake["region_id"].value_counts().idxmax())
    in_region = intake[intake["region_id"] == region]
    people = rows.drop_duplicates("id")
    return {
        "intake_median_days": float(km(intake).median_survival_time_),
        "region": region,
        "intake_share_over_standard": float(km(in_region).predict(STANDARD_DAYS)),
        "got_worse_count": int(((people["outcomes"] & GOT_WORSE) != 0).sum()),
    }


def app_figures(doc: dict[str, Any], region: int) -> dict[str, Any]:
    waits = {w["series"]: w["group"] for w in doc["waits"]}
    regions = next(b for b in waits["intake"]["breakdowns"] if b["name"] == "region")
    in_region = next(g for g in regions["groups"] if g["key"] == f"intake|region={region}")
    return {
        "intake_median_days": float(waits["intake"]["figures"]["percentiles"]["median"]["days"]),
        "region": region,
        "intake_share_over_standard": in_region["figures"]["share_over_standard"],
        "got_worse_count": next(o["count"] for o in doc["outcomes"] if o["outcome"] == "got_worse"),
    }


def test_demo_figures_match_an_independent_computation(app, client: FlaskClient,
                                                       runner: FlaskCliRunner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["demo", "load", "--count", "3000", "--seed", "11",
                                 "--until", "2026-10-01"])
    assert result.exit_code == 0, result.output
    theirs = independent_figures(app.extensions["waitline.engine"])
    ours = app_figures(client.get("/stats.json").get_json(), theirs["region"])
    assert ours["intake_median_days"] == theirs["intake_median_days"]
    assert abs(ours["intake_share_over_standard"]
               - theirs["intake_share_over_standard"]) < 1e-4  # the JSON has 4 digits
    assert ours["got_worse_count"] == theirs["got_worse_count"]


if __name__ == "__main__":
    import os

    os.environ.setdefault("WAITLINE_ENV", "testing")
    from testimonials import create_app

    application = create_app({"DATABASE_URL": sys.argv[1], "ENV_NAME": "testing"})
    independent = independent_figures(application.extensions["waitline.engine"])
    site = app_figures(application.test_client().get("/stats.json").get_json(),
                       independent["region"])
    print(f"{'figure':36} {'site (/stats.json)':>20} {'pandas + lifelines':>20}")
    for name in ("intake_median_days", "intake_share_over_standard", "got_worse_count"):
        print(f"{name:36} {site[name]!s:>20} {independent[name]!s:>20}")
    print(f"(region id {independent['region']})")
