"""Mixed plans for fixed-length projects: hand-computed verdicts and a brute force over
every cover, written independently with ``datetime``, ``fractions`` and ``decimal``."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# --- the brute force -----------------------------------------------------------------


def _add_months(t: dt.datetime, months: int) -> dt.datetime:
    year, month = divmod(t.year * 12 + t.month - 1 + months, 12)
    return t.replace(
        year=year, month=month + 1, day=min(t.day, calendar.monthrange(year, month + 1)[1])
    )


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _payg(a: dt.datetime, b: dt.datetime, price: str, nodes: int, hours: str) -> Decimal:
    microseconds = (b - a) // dt.timedelta(microseconds=1)
    minutes = Fraction(microseconds, 60_000_000) * Fraction(hours) / 24
    milli = (minutes * 1000 + Fraction(1, 2)).__floor__()  # half up to 3 decimals
    return _cents(Decimal(price) * nodes * Decimal(milli) / 1000)


def _brute_force(start, end, sub_price, payg_price, nodes, hours) -> Decimal:
    """The cheapest total over every set of the project's calendar months subscribed."""
    count = next(n for n in itertools.count() if _add_months(start, n) >= end)
    bounds = [_add_months(start, k) for k in range(count + 1)]
    best = None
    for chosen in itertools.product([False, True], repeat=count):
        total, covered_until = Decimal(0), start
        month = 0
        while month < count:
            if not chosen[month]:
                month += 1
                continue
            length = 1
            while month + length < count and chosen[month + length]:
                length += 1
            # pay-as-you-go up to this order, then the order itself
            if bounds[month] > covered_until:
                total += _payg(covered_until, bounds[month], payg_price, nodes, hours)
            total += _cents(Decimal(sub_price) * nodes * length)
            covered_until = _add_months(bounds[month], length)
            month += length
        if end > covered_until:
            total += _payg(covered_until, end, payg_price, nodes, hours)
        best = total if best is None else min(best, total)
    return best


@st.composite
def _projects(draw):
    day = draw(st.sampled_from([1, 5, 15, 28, 29, 30, 31]))
    year, month = draw(st.integers(2023, 2029)), draw(st.integers(1, 12))
    day = min(day, calendar.monthrange(year, month)[1])
    start = dt.datetime(
        year,
        month,
        day,
        draw(st.integers(0, 23)),
        draw(st.integers(0, 59)),
        draw(st.integers(0, 59)),
    )
    end = start + dt.timedelta(seconds=draw(st.integers(60, 200 * 86_400)))
    hours = draw(st.sampled_from(["24", "12", "8.5", "0.25", "23.99"]))
    sub_cents = draw(st.integers(100, 5_000_000))
    sub_price = str(Decimal(sub_cents) / 100)
    if draw(st.booleans()):  # a discounted price with 6 decimals
        sub_price = str(Decimal(sub_cents) / 100 + Decimal(draw(st.integers(1, 9999))) / 10**6)
    # pay-as-you-go priced so that a month is worth 15 to 40 days of use
    worth_days = draw(st.integers(15, 40))
    per_minute = Decimal(sub_price) / (worth_days * 60 * Decimal(hours))
    payg_price = str(max(per_minute.quantize(Decimal("0.000001")), Decimal("0.000001")))
    return start, end, sub_price, payg_price, draw(st.integers(1, 5)), hours


@settings(max_examples=150, deadline=None)
@given(_projects())
def test_the_plan_is_the_cheapest_cover(project):
    start, end, sub_price, payg_price, nodes, hours = project
    plan = plan_project(
        start, end, float(sub_price), float(payg_price), nodes=nodes, hours_per_day=float(hours)
    )
    assert plan.attrs["total"] == _brute_force(start, end, sub_price, payg_price, nodes, hours)
    # the segments add up to the total, cent for cent
    assert sum(Decimal(str(c)) for c in plan["cost"]) == plan.attrs["total"]


MONTH, MINUTE = 23932.70, 0.73


def test_ten_subscribed_months_are_bought_as_nine_plus_one():
    # 2026-01 .. 2026-10, every month costs more on pay-as-you-go than 23,932.70 (the
    # shortest, February: 28 x 1,440 x 0.73 = 29,433.60), so all ten are subscribed.
    # By hand: 9 x 23,932.70 = 215,394.30 and 1 x 23,932.70; total 239,327.00.
    plan = plan_project("2026-01-01", "2026-11-01", MONTH, MINUTE)
    assert plan["method"].tolist() == ["subscription", "subscription"]
    assert plan["months"].tolist() == [9, 1]
    assert plan["cost"].tolist() == [215394.30, 23932.70]
    assert plan.attrs["total"] == Decimal("239327.00")
    assert [str(t.date()) for t in plan["expires"]] == ["2026-10-01", "2026-11-01"]


def test_nine_months_and_pay_as_you_go_beat_ten_months_for_a_short_last_month():
    # ten days into October: 10 x 1,440 x 0.73 = 10,512.00 < 23,932.70, so 9 months +
    # pay-as-you-go: 215,394.30 + 10,512.00 = 225,906.30 (9 + 1 would be 239,327.00)
    plan = plan_project("2026-01-01", "2026-10-11", MONTH, MINUTE)
    assert plan["method"].tolist() == ["subscription", "payg"]
    assert plan["months"].tolist() == [9, 0]
    assert plan.attrs["total"] == Decimal("225906.30")
    assert plan.attrs["subscription_total"] == Decimal("239327.00")


def test_a_term_past_the_end_is_bought_when_only_it_is_buyable():
    # buyable terms 1 and 12 only (a set given by hand): ten months are ten 1-month
    # orders at 23,932.70 = 239,327.00, cheaper than one 12-month term (287,192.40)
    plan = plan_project("2026-01-01", "2026-11-01", MONTH, MINUTE, buyable_months=[1, 12])
    assert set(plan["months"]) == {1} and len(plan) == 10
    assert plan.attrs["total"] == Decimal("239327.00")


def test_every_order_is_a_buyable_term():
    from pai_model.formulas.arguments import BUYABLE_MONTHS

    for end in ("2027-02-01", "2027-06-15", "2031-01-01"):
        plan = plan_project("2026-01-01", end, MONTH, MINUTE)
        ordered = plan.loc[plan["method"] == "subscription", "months"]
        assert set(ordered) <= set(BUYABLE_MONTHS)


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


def test_project_lengths_cover_general_specs_with_their_public_resource():
    # demo catalog (illustrative prices, labelled so): ecs.g7.xlarge-4c16g in Shanghai at
    # the billing page's 78.94 USD/month, its public resource at 0.3 USD/hour.
    # By hand: a day of full use is 24 x 0.3 = 7.20; 10 days 72.00 < 78.94; 30 days 216.00;
    # pay-as-you-go wins up to 78.94 / 7.20 = 10.9639 days.
    from pai_model.data.catalog import read_catalog
    from pai_model.decisions.projects import project_lengths

    pair, lengths, crossovers = project_lengths(
        read_catalog(), "cn-shanghai", "ecs.g7.xlarge-4c16g", 60, days=[1, 10, 30]
    )
    assert pair["payg_price_unit"] == "hour" and pair["payg_price_per_hour"] == 0.3
    assert lengths["payg_cost"].tolist() == [7.2, 72.0, 216.0]
    assert lengths["subscription_cost"].tolist() == [78.94, 78.94, 78.94]
    assert lengths["cheaper"].tolist() == ["payg", "payg", "subscription"]
    assert crossovers["cheaper"].tolist()[:2] == ["payg", "subscription"]
    assert crossovers["end_days"].iloc[0] == pytest.approx(78.94 / 7.2)


def test_project_lengths_keep_lingjun_per_minute():
    # the billing page's pair: 1,440 x 0.73 = 1,051.20 a day; 20 days 21,024.00
    from pai_model import paths
    from pai_model.data.catalog import read_catalog
    from pai_model.decisions.projects import project_lengths

    _, lengths, _ = project_lengths(
        read_catalog(paths.DOCUMENTED_CATALOG), "cn-wulanchabu", "gu7xf-8xGU108", 30, days=[20]
    )
    assert lengths["payg_cost"].tolist() == [21024.0]
    assert lengths["subscription_cost"].tolist() == [23932.7]
