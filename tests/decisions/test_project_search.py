"""The search for the cheapest plan: its parts checked by hand, and the plans it finds
against a brute force over every cover, written independently with ``datetime``,
``fractions`` and ``decimal``."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pai_model import plan_project
from pai_model.decisions.project_search import (
    PaygStretches,
    bill_cents,
    cheapest_runs,
    run_expiries,
    subscription_runs,
)

# --- the parts, by hand --------------------------------------------------------------


def test_runs_are_bought_as_the_fewest_buyable_terms_or_one_longer_term():
    # 3 months with terms of 1 and 12 months (a set given by hand): every run inside the
    # project is 1-month orders back to back; a run to the end that no term matches (3 or
    # 2 months) may also be one 12-month term past the end; a 1-month run needs none
    runs, orders = subscription_runs(3, (1, 12))
    assert runs == [(0, 1), (0, 2), (0, 3), (1, 1), (1, 2), (2, 1), (0, 12), (1, 12)]
    assert orders[(0, 3)] == [1, 1, 1] and orders[(1, 2)] == [1, 1]
    assert orders[(0, 12)] == [12] and orders[(1, 12)] == [12]
    # with Alibaba's usual terms every length is one order, and none reaches past the end
    runs, orders = subscription_runs(3, (1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60))
    assert len(runs) == 6 and all(orders[run] == [run[1]] for run in runs)


def test_each_order_renews_the_one_before_at_its_calendar_expiry():
    # months from 31 January 2026: month 1 begins on 28 February (clamped), month 2 on
    # 31 March. A term bought on 31 January ends on 28 February (1 month) or 31 March
    # (2 months); one bought on 28 February ends on 28 March; two 1-month orders from
    # 31 January end 28 February, then 28 March
    bounds = pd.DatetimeIndex(["2026-01-31", "2026-02-28", "2026-03-31"])
    runs = [(0, 1), (0, 2), (1, 1), (0, 20)]
    orders = {(0, 1): [1], (0, 2): [2], (1, 1): [1], (0, 20): [1, 1]}
    ends = run_expiries(runs, orders, bounds)
    assert {run: str(end.date()) for run, end in ends.items()} == {
        (0, 1): "2026-02-28",
        (0, 2): "2026-03-31",
        (1, 1): "2026-03-28",
        (0, 20): "2026-03-28",
    }


def test_orders_are_billed_in_cents_once_each():
    # the billing page's 23,932.70 USD/month, 2 nodes: 1 month 47,865.40, 9 months
    # 430,788.60 (hand calculation)
    assert bill_cents(23932.70, 2, [1, 9], "month").tolist() == [4786540, 43078860]


def test_stretches_bill_the_share_of_calendar_time_a_node_runs():
    first, last = pd.Timestamp("2026-01-01"), pd.Timestamp("2026-01-11")
    bounds = pd.DatetimeIndex(["2026-01-01", "2026-02-01"])
    # 10 days at 12 h a day on 2 nodes: 10 x 12 x 60 = 7,200 minutes x 0.73 x 2 = 10,512.00
    half = PaygStretches(first, last, bounds, {}, (0.73, "minute"), 2, 1200)
    assert half.minutes(first, last) == 7200.0
    assert half.cents(first, last) == 1051200
    assert half.cents(last, last) == 0
    # per hour (a public resource): 10 x 24 h x 0.60 = 144.00
    hourly = PaygStretches(first, last, bounds, {}, (0.6, "hour"), 1, 2400)
    assert hourly.cents(first, last) == 14400
    # 90 s at 8.5 h a day: 1.5 x 8.5 / 24 = 0.53125 minutes, 0.531 rounded half up to
    # 3 decimals; 0.531 x 0.73 = 0.38763, 0.39
    short = pd.Timestamp("2026-01-01 00:01:30")
    tiny = PaygStretches(first, short, bounds, {}, (0.73, "minute"), 1, 850)
    assert tiny.minutes(first, short) == 0.531
    assert tiny.cents(first, short) == 39


def test_the_cheapest_runs_of_the_billing_page_example():
    # 35 days from 1 January 2026 (the example of plan_project): January subscribed at
    # 23,932.70 beats its 31 x 1,440 x 0.73 = 32,587.20; February's 4 days (4,204.80)
    # are not worth a month
    first, last = pd.Timestamp("2026-01-01"), pd.Timestamp("2026-02-05")
    bounds = pd.DatetimeIndex(["2026-01-01", "2026-02-01", "2026-03-01"])
    runs, orders = subscription_runs(2, (1, 2))
    ends = run_expiries(runs, orders, bounds)
    run_cents = {run: 2393270 * run[1] for run in runs}
    stretches = PaygStretches(first, last, bounds, ends, (0.73, "minute"), 1, 2400)
    assert cheapest_runs(2, runs, ends, run_cents, stretches, last) == [(0, 1)]


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
