"""Mixed plans for fixed-length projects: hand-computed verdicts, and every argument
checked (the search against a brute force is in test_project_search.py)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from pai_model import InputError, plan_project

# The billing page's gu7xf GU108 offers in Ulanqab (paired as the same hardware).
GU108_MONTH = 23932.70
GU108_MINUTE = 0.73


def _rows(plan):
    return [
        (str(r.start), str(r.end), r.method, r.months, r.cost) for r in plan.itertuples(index=False)
    ]


# --- the verdicts ------------------------------------------------------------


def test_31_days_from_1_january_are_one_month():
    # a term bought on 1 January runs to 1 February: one month, 23,932.70, against
    # 31 x 1,440 x 0.73 = 32,587.20 pay-as-you-go
    plan = plan_project("2026-01-01", "2026-02-01", GU108_MONTH, GU108_MINUTE)
    assert _rows(plan) == [
        ("2026-01-01 00:00:00", "2026-02-01 00:00:00", "subscription", 1, 23932.70)
    ]
    assert plan.attrs["total"] == Decimal("23932.70")
    assert plan.attrs["subscription_months"] == 1
    assert plan.attrs["payg_total"] == Decimal("32587.20")


def test_35_days_are_one_month_and_4_days_of_payg():
    # 1 January to 1 February subscribed (23,932.70), then 4 x 1,440 x 0.73 = 4,204.80:
    # 28,137.50, against two months 2 x 23,932.70 = 47,865.40 and 35 x 1,051.20 = 36,792.00
    plan = plan_project("2026-01-01", "2026-02-05", GU108_MONTH, GU108_MINUTE)
    assert _rows(plan) == [
        ("2026-01-01 00:00:00", "2026-02-01 00:00:00", "subscription", 1, 23932.70),
        ("2026-02-01 00:00:00", "2026-02-05 00:00:00", "payg", 0, 4204.80),
    ]
    assert plan["minutes"].tolist() == [0.0, 5760.0]  # 4 days x 1,440
    assert plan.attrs["total"] == Decimal("28137.50")
    assert plan.attrs["subscription_total"] == Decimal("47865.40")
    assert plan.attrs["payg_total"] == Decimal("36792.00")


def test_expiry_and_renewal_of_a_term_past_the_end():
    # 40 days from 1 January at 9,000/month: January (31 days, 32,587.20 payg) and the
    # 9 days of February (9 x 1,051.20 = 9,460.80 > 9,000) are both subscribed, one order
    # of 2 months (18,000.00) that expires on 1 March, past the project's end on 10
    # February; released 24 h later (2 March) unless renewed
    plan = plan_project("2026-01-01", "2026-02-10", 9000, GU108_MINUTE)
    assert _rows(plan) == [
        ("2026-01-01 00:00:00", "2026-02-10 00:00:00", "subscription", 2, 18000.0)
    ]
    assert plan["expires"].tolist() == [pd.Timestamp("2026-03-01")]
    assert plan["renew_by"].tolist() == [pd.Timestamp("2026-03-02")]


def test_a_term_bought_on_a_clamped_day_is_short():
    # from 31 January: month 0 is 31 Jan - 28 Feb (28 days), month 1 28 Feb - 31 Mar
    # (31 days). At 31,010.40/month (29.5 days of 1,051.20), month 0 is not worth it
    # (28 x 1,051.20 = 29,433.60); a term bought on 28 February ends on 28 March, so
    # month 1 subscribed costs 31,010.40 + 3 days 3,153.60 = 34,164.00 > 31 days of payg
    # 32,587.20. All pay-as-you-go: 59 x 1,051.20 = 62,020.80, the same as two whole
    # months (2 x 31,010.40): the tie goes to pay-as-you-go
    plan = plan_project("2026-01-31", "2026-03-31", 31010.40, GU108_MINUTE)
    assert _rows(plan) == [("2026-01-31 00:00:00", "2026-03-31 00:00:00", "payg", 0, 62020.80)]
    assert plan.attrs["subscription_total"] == Decimal("62020.80")
    assert plan["expires"].isna().all() and plan["renew_by"].isna().all()


def test_which_months_are_covered_matters():
    # from 1 January 2026 to 1 April: January 31 days, February 28, March 31. At
    # 30,484.80/month (29 days of 1,051.20) January and March are worth subscribing
    # (32,587.20 payg each), February is not (28 x 1,051.20 = 29,433.60): two orders of
    # one month and February on pay-as-you-go, 2 x 30,484.80 + 29,433.60 = 90,403.20
    plan = plan_project("2026-01-01", "2026-04-01", 30484.80, GU108_MINUTE)
    assert _rows(plan) == [
        ("2026-01-01 00:00:00", "2026-02-01 00:00:00", "subscription", 1, 30484.80),
        ("2026-02-01 00:00:00", "2026-03-01 00:00:00", "payg", 0, 29433.60),
        ("2026-03-01 00:00:00", "2026-04-01 00:00:00", "subscription", 1, 30484.80),
    ]
    assert plan.attrs["total"] == Decimal("90403.20")
    # in the leap year 2028 February has 29 days (30,484.80 payg, a tie): still pay-as-you-go
    leap = plan_project("2028-01-01", "2028-04-01", 30484.80, GU108_MINUTE)
    assert leap["method"].tolist() == ["subscription", "payg", "subscription"]


def test_hours_per_day_and_nodes():
    # 10 days at 6 h/day on 3 nodes: 10 x 6 x 60 = 3,600 minutes x 0.73 x 3 = 7,884.00
    # pay-as-you-go, against one month 3 x 23,932.70 = 71,798.10
    plan = plan_project(
        "2026-03-01", "2026-03-11", GU108_MONTH, GU108_MINUTE, nodes=3, hours_per_day=6
    )
    assert _rows(plan) == [("2026-03-01 00:00:00", "2026-03-11 00:00:00", "payg", 0, 7884.0)]
    assert plan["nodes"].tolist() == [3] and plan["minutes"].tolist() == [3600.0]
    assert plan.attrs["subscription_total"] == Decimal("71798.10")


def test_times_of_day_and_zones():
    # 22:51:32 on 5 July (UTC) + 1 month = 22:51:32 on 5 August; the project ends 90
    # seconds later: 1.5 minutes x 0.73 = 1.095 -> 1.10 (half up) pay-as-you-go
    plan = plan_project("2020-07-05T22:51:32Z", "2020-08-05T22:53:02Z", GU108_MONTH, GU108_MINUTE)
    assert _rows(plan) == [
        ("2020-07-05 22:51:32+00:00", "2020-08-05 22:51:32+00:00", "subscription", 1, 23932.70),
        ("2020-08-05 22:51:32+00:00", "2020-08-05 22:53:02+00:00", "payg", 0, 1.10),
    ]
    # an end in another zone is read in the start's zone: 14:53:02 UTC-8 is 22:53:02 UTC
    same = plan_project(
        "2020-07-05T22:51:32Z", "2020-08-05T14:53:02-08:00", GU108_MONTH, GU108_MINUTE
    )
    assert same.attrs["total"] == Decimal("23933.80")


def test_segments_tile_the_project():
    plan = plan_project("2026-01-15 08:00", "2026-07-03", 25000, 0.5, nodes=2, hours_per_day=17.25)
    assert plan["start"].iloc[0] == pd.Timestamp("2026-01-15 08:00")
    assert plan["end"].iloc[-1] == pd.Timestamp("2026-07-03")
    assert (plan["start"].iloc[1:].to_numpy() == plan["end"].iloc[:-1].to_numpy()).all()
    assert sum(Decimal(str(c)) for c in plan["cost"]) == plan.attrs["total"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"end": "2026-01-01"}, "end: must be after start"),
        ({"end": "2025-12-31"}, "end: must be after start"),
        ({"end": "2036-01-02"}, "spans 121 months"),
        ({"end": "2026-02-01T00:00Z"}, "both be naive"),
        ({"end": ["2026-02-01"]}, "end: give one date"),
        ({"subscription_price": 0}, "subscription_price: must be a price above 0"),
        ({"payg_price": 0.1234567}, "payg_price: .* at most 6 decimals"),
        ({"payg_price": float("nan")}, "payg_price"),
        ({"nodes": 0}, "nodes: must be a whole number from 1"),
        ({"nodes": 1.5}, "nodes: must be a whole number from 1"),
        ({"hours_per_day": 0}, "hours_per_day: must be above 0"),
        ({"hours_per_day": 25}, "hours_per_day: must be above 0 and at most 24"),
        ({"hours_per_day": 12.345}, "at most 2 decimals"),
    ],
)
def test_errors_name_the_argument(kwargs, match):
    arguments = {
        "start": "2026-01-01",
        "end": "2026-02-05",
        "subscription_price": GU108_MONTH,
        "payg_price": GU108_MINUTE,
        **kwargs,
    }
    with pytest.raises(InputError, match=match):
        plan_project(
            arguments.pop("start"),
            arguments.pop("end"),
            arguments.pop("subscription_price"),
            arguments.pop("payg_price"),
            **arguments,
        )


MONTH, MINUTE = 23932.70, 0.73


def test_hours_per_day_bills_the_node_life_with_the_overhead_per_start():
    # 10 days at 8 h of use and 15 minutes per start: 8.25 h a day billed,
    # 10 x 8.25 x 60 = 4,950 minutes x 0.73 = 3,613.50 USD (hand calculation)
    plan = plan_project(
        "2026-01-01", "2026-01-11", MONTH, MINUTE, hours_per_day=8, overhead_minutes=15
    )
    assert plan["minutes"].tolist() == [4950.0]
    assert plan.attrs["total"] == Decimal("3613.50")
    assert plan.attrs["billed_hours_per_day"] == 8.25
    # without the overhead: 10 x 8 x 60 = 4,800 minutes x 0.73 = 3,504.00
    bare = plan_project("2026-01-01", "2026-01-11", MONTH, MINUTE, hours_per_day=8)
    assert bare.attrs["total"] == Decimal("3504.00")


def test_full_use_has_no_daily_start_and_the_day_is_capped():
    plan = plan_project("2026-01-01", "2026-01-02", MONTH, MINUTE, overhead_minutes=30)
    assert plan.attrs["total"] == Decimal("1051.20")  # 1,440 x 0.73: no overhead at 24 h
    capped = plan_project(
        "2026-01-01", "2026-01-02", MONTH, MINUTE, hours_per_day=23.9, overhead_minutes=60
    )
    assert capped.attrs["total"] == Decimal("1051.20")  # 23.9 h + 1 h capped at 24 h


@pytest.mark.parametrize("bad", [-1, 1441, float("nan"), True, "x"])
def test_overhead_minutes_is_checked(bad):
    with pytest.raises(InputError) as caught:
        plan_project("2026-01-01", "2026-01-11", MONTH, MINUTE, overhead_minutes=bad)
    assert caught.value.argument == "overhead_minutes"
