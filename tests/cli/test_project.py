"""``pai-cost project``, run as a user runs it: the issue's verdicts from the command line."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from pai_model import paths
from tests.test_cli import pai_cost

DOCUMENTED = str(paths.DOCUMENTED_CATALOG)
GU108 = ["--region", "cn-wulanchabu", "--hardware", "gu7xf-8xGU108", "--catalog", DOCUMENTED]


def test_35_days_mix_one_month_and_4_days():
    result = pai_cost("project", *GU108, "--start", "2026-01-01", "--end", "2026-02-05")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # 23,932.70 + 4 x 1,440 x 0.73 = 4,204.80 -> 28,137.50; two months 47,865.40; all
    # pay-as-you-go 35 x 1,051.20 = 36,792.00
    assert "cheapest plan: 28,137.50 USD (1 month subscribed, the rest pay-as-you-go)" in out
    assert "all pay-as-you-go: 36,792.00 USD (8,654.50 more)" in out
    assert "whole-month subscription (2 months): 47,865.40 USD (19,727.90 more)" in out
    assert "renew by 2026-02-02" in out
    assert "2026-02-01 2026-02-05 pay-as-you-go" in out
    # the pairing of the two spec names is an assumption, and said so
    assert "pai-cost: note: pairing: ASSUMPTION" in result.stderr


def test_31_days_are_one_month_of_subscription():
    result = pai_cost("project", *GU108, "--start", "2026-01-01", "--days", "31", "--format", "csv")
    assert result.returncode == 0, result.stderr
    plan = pd.read_csv(io.StringIO(result.stdout))
    # a term bought on 1 January runs to 1 February: 23,932.70
    assert plan[["start", "end", "method", "months", "cost"]].values.tolist() == [
        ["2026-01-01", "2026-02-01", "subscription", 1, 23932.70]
    ]
    assert plan["currency"].tolist() == ["USD"]


def test_general_computing_mixes_with_its_public_resource():
    # demo catalog, Tokyo (ILLUSTRATIVE prices): ecs.g7.xlarge-4c16g at 105.74 USD/month
    # against the public ecs.g7.xlarge at 0.405 USD/hour, billed per minute at 0.405 / 60
    general = ["--region", "ap-northeast-1", "--hardware", "ecs.g7.xlarge-4c16g"]
    result = pai_cost("project", *general, "--start", "2026-01-01", "--days", "35")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "0.405 USD/hour (a public resource, DLC/DSW" in out
    # January subscribed (105.74) + 4 days x 1,440 min x 0.405 / 60 = 38.88 -> 144.62;
    # all pay-as-you-go 35 x 1,440 x 0.405 / 60 = 340.20; two months 211.48
    assert "cheapest plan: 144.62 USD (1 month subscribed, the rest pay-as-you-go)" in out
    assert "all pay-as-you-go: 340.20 USD (195.58 more)" in out
    assert "whole-month subscription (2 months): 211.48 USD (66.86 more)" in out
    # 8 h a day: 35 x 480 min x 0.405 / 60 = 113.40, less than a month's 105.74 + 4 days
    result = pai_cost(
        "project", *general, "--start", "2026-01-01", "--days", "35", "--hours-per-day", "8"
    )
    assert "cheapest plan: 113.40 USD (all pay-as-you-go)" in result.stdout
    document = json.loads(
        pai_cost(
            "project", *general, "--start", "2026-01-01", "--days", "3", "--format", "json"
        ).stdout
    )
    assert document["payg_price_unit"] == "hour" and document["total"] == "29.16"  # 4,320 x 0.00675


def test_json_has_segments_total_and_comparison():
    result = pai_cost(
        "project", *GU108, "--start", "2026-01-01", "--end", "2026-02-05", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["total"] == "28137.50"
    # money as plain decimal text to the cent (the formatter of money_text)
    assert [s["cost"] for s in document["segments"]] == ["23932.70", "4204.80"]
    assert [(c["plan"], c["cost"]) for c in document["comparison"]] == [
        ("cheapest", "28137.50"),
        ("payg", "36792.00"),
        ("subscription", "47865.40"),
    ]
    assert document["subscription_spec"] == "ml.gu7xf.c96m1600.8-gu108"


def test_nodes_and_hours_per_day():
    result = pai_cost(
        "project",
        *GU108,
        "--start",
        "2026-03-01",
        "--days",
        "10",
        "--nodes",
        "3",
        "--hours-per-day",
        "6",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    # 10 days x 6 h x 60 = 3,600 minutes x 0.73 x 3 nodes = 7,884.00 pay-as-you-go
    assert json.loads(result.stdout)["total"] == "7884.00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "2026-03-01", "--end", "2026-02-05"], "--end: must be after start"),
        (["--start", "soon", "--days", "3"], "--start: expected an ISO date"),
        (["--start", "2026-01-01", "--days", "0"], "--days: must be above 0"),
        (["--start", "2026-01-01", "--days", "4000"], "--days: must be above 0 and at most"),
        (["--start", "2026-01-01", "--days", "3", "--nodes", "0"], "--nodes: must be a whole"),
        (["--start", "2026-01-01", "--days", "3", "--hours-per-day", "30"], "--hours-per-day"),
    ],
)
def test_user_errors_are_one_line(args, message):
    result = pai_cost("project", *GU108, *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert all(line.startswith("pai-cost: ") for line in result.stderr.splitlines())


@pytest.mark.parametrize(
    ("offer", "message"),
    [
        (["--region", "xx-nowhere", "--hardware", "gu7xf-8xGU108"], "no region_id 'xx-nowhere'"),
        # general computing is subscription only: with no public resource, nothing to mix
        (
            [
                "--region",
                "cn-shanghai",
                "--hardware",
                "ecs.g7.xlarge-4c16g",
                "--catalog",
                DOCUMENTED,
            ],
            "subscription only",
        ),
        # the demo catalog's Hangzhou gu8xf offers are out of stock
        (["--region", "cn-hangzhou", "--hardware", "gu8xf-8xGU108"], "out of stock"),
    ],
)
def test_offers_that_cannot_be_planned_say_why(offer, message):
    result = pai_cost("project", *offer, "--start", "2026-01-01", "--days", "3")
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_help():
    result = pai_cost("project", "--help")
    assert result.returncode == 0
    assert "same day and time N months later" in " ".join(result.stdout.split())


BASE = [
    "project",
    "--region",
    "cn-wulanchabu",
    "--hardware",
    "gu7xf-8xGU108",
    "--catalog",
    "documented",
]


def run(*args: str) -> tuple[int, str, str]:
    result = pai_cost(*BASE, *args)
    return result.returncode, result.stdout, result.stderr


def test_project_prints_the_overhead_it_assumed():
    # 10 days x (8 h + 15 min) x 60 = 4,950 minutes x 0.73 USD = 3,613.50 USD (by hand)
    status, out, _ = run(
        "--start",
        "2026-01-01",
        "--days",
        "10",
        "--hours-per-day",
        "8",
        "--overhead-minutes",
        "15",
    )
    assert status == 0
    assert "cheapest plan: 3,613.50 USD" in out
    assert "billed 8.25 h a day (8 h of use + 15 min per start" in out
    assert "1-9 months and 1, 2, 3, 4 or 5 years (UNCONFIRMED for PAI)" in out


def test_project_buys_nine_plus_one_months():
    status, out, _ = run("--start", "2026-01-01", "--end", "2026-11-01", "--format", "json")
    assert status == 0
    document = json.loads(out)
    assert [s["months"] for s in document["segments"]] == [9, 1]
    assert document["total"] == "239327.00"  # 10 x 23,932.70 by hand
    assert "no daily start" in document["assumed"]


def test_project_refuses_a_bad_overhead_in_one_line():
    status, out, err = run(
        "--start",
        "2026-01-01",
        "--days",
        "3",
        "--hours-per-day",
        "8",
        "--overhead-minutes",
        "-5",
    )
    assert status == 2 and out == ""
    errors = [line for line in err.splitlines() if line.startswith("pai-cost: error:")]
    assert errors == [
        "pai-cost: error: --overhead-minutes: must be from 0 to 1,440 minutes a day; got -5.0"
    ]
    assert "Traceback" not in err
