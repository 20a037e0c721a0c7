"""The purchase list of :func:`pai_model.decisions.recommend.advise`, against hand-worked answers.

Prices: the billing page's GU108 pair in China (Ulanqab) (catalogs/documented.csv):
23,932.70 USD a node-month by subscription, 0.73 USD a node-minute pay-as-you-go (the
pairing of the two specs is the catalog's stated assumption). A month is 730 hours
(43,800 minutes); a 30-day history (43,200 minutes) is scaled by 43,800 / 43,200.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

from pai_model import paths
from pai_model.data.catalog import read_catalog
from pai_model.decisions.planning.demand import demand_from_jobs
from pai_model.decisions.recommend import advise
from pai_model.errors import InputError, PlanError

REGION, HARDWARE = "cn-wulanchabu", "gu7xf-8xGU108"
SUBSCRIPTION_SPEC = "ml.gu7xf.c96m1600.8-gu108"
TODAY = date(2026, 4, 1)


def advise_on(jobs: pd.DataFrame, catalog, **options):
    """The advice on the demand of ``jobs`` on ``TODAY``, without a backtest."""
    return advise(demand_from_jobs(jobs), catalog, backtest=False, today=TODAY, **options)


@pytest.fixture(scope="module")
def catalog():
    return read_catalog(paths.DOCUMENTED_CATALOG)


def steady_with_bursts(steady: int, bursts: int, days: int = 30, start="2026-01-01"):
    """``steady`` nodes around the clock for ``days`` days, plus ``bursts`` nodes busy
    from 09:00 to 13:00 every day (4 h of 24: 16.7 %, below the 74.85 % break-even)."""
    first = pd.Timestamp(start)
    day = pd.date_range(first, periods=days, freq="D")
    jobs = []
    if steady:
        jobs.append(
            pd.DataFrame(
                {"start": [first], "end": [first + pd.Timedelta(days=days)], "nodes": [steady]}
            )
        )
    if bursts:
        jobs.append(
            pd.DataFrame(
                {
                    "start": day + pd.Timedelta(hours=9),
                    "end": day + pd.Timedelta(hours=13),
                    "nodes": bursts,
                }
            )
        )
    return pd.concat(jobs, ignore_index=True).assign(region_id=REGION, hardware=HARDWARE)


def held(rows):
    """Held machine groups as ``pai-cost subscriptions --format csv`` writes them."""
    return pd.DataFrame(
        [
            {
                "region_id": REGION,
                "resource_group_id": "rg0",
                "machine_group_id": group,
                "spec": SUBSCRIPTION_SPEC,
                "nodes": nodes,
                "payment_type": "PREPAY",
                "expiry": expiry,
                "status": "Ready",
            }
            for group, nodes, expiry in rows
        ]
    )


def test_steady_nodes_and_bursts_below_break_even_buy_exactly_the_steady_ones(catalog):
    # Hand calculation, per 730-hour month:
    #   levels 1-3 busy all the time: 43,800 min x 0.73 = 31,974.00 each on pay-as-you-go
    #   levels 4-5 busy 4 h a day: 7,200 min x 43,800 / 43,200 = 7,300 min x 0.73 = 5,329.00
    #   now (all pay-as-you-go): 3 x 31,974.00 + 2 x 5,329.00 = 106,580.00
    #   after: 3 x 23,932.70 + 2 x 5,329.00 = 71,798.10 + 10,658.00 = 82,456.10
    #   saving: 106,580.00 - 82,456.10 = 24,123.90 (= 3 x 8,041.30)
    advice = advise_on(steady_with_bursts(3, 2), catalog, scenarios=200)
    assert len(advice.actions) == 1
    buy = advice.actions.iloc[0]
    assert (buy.action, buy.region_id, buy.spec, buy.nodes, buy.term) == (
        "buy",
        REGION,
        SUBSCRIPTION_SPEC,
        3,
        "1 month",
    )
    assert buy.one_time_cost == Decimal("71798.10")
    assert buy.monthly_saving == Decimal("24123.90")
    assert buy.monthly_cost_after == Decimal("82456.10")
    assert buy.date == pd.Timestamp("2026-01-31")  # bought when the history ends
    assert "node 3 is busy 100% of the time, above the break-even 75%" in buy.reason
    totals = advice.totals
    assert totals["monthly_cost_now"] == Decimal("106580.00")
    assert totals["monthly_cost_after"] == Decimal("82456.10")
    assert totals["monthly_saving"] == Decimal("24123.90")
    # every day is the same day: every scenario saves the same, never less than now
    assert (totals["saving_p5"], totals["saving_p95"]) == (Decimal("24123.90"),) * 2
    assert totals["probability_of_loss"] == 0.0
    # after: 3 x 720 h served of 3 x 720 + 2 x 120 = 2,400 node-hours; all 2,160 subscribed used
    assert totals["coverage_after"] == pytest.approx(2160 / 2400)
    assert totals["utilization_after"] == pytest.approx(1.0)


def test_held_nodes_renew_what_the_plan_needs_and_let_the_rest_expire(catalog):
    # 5 held: mg-a (1 node) lasts past the horizon (2026-01-31 .. 2026-02-28); mg-b (2 nodes)
    # expires 2026-02-05; mg-c and mg-d (1 node each) expire 2026-02-10 and 2026-02-12.
    # The plan wants 3: renew mg-b (the earliest), let mg-c and mg-d expire.
    #   now: 5 x 23,932.70 = 119,663.50 (no demand above 5)
    #   after: 82,456.10 (as above); saving 37,207.40, in two marginal shares:
    #   5 -> 4: 23,932.70 - 5,329.00 = 18,603.70; 4 -> 3: the same, 18,603.70
    # Not renewing mg-b leaves 1 node: 23,932.70 + 2 x 31,974.00 + 10,658.00 = 98,538.70,
    # 16,082.60 more a month than 82,456.10.
    groups = held(
        [
            ("mg-a", 1, "2027-01-01T00:00:00Z"),
            ("mg-b", 2, "2026-02-05T00:00:00Z"),
            ("mg-c", 1, "2026-02-10T00:00:00Z"),
            ("mg-d", 1, "2026-02-12T00:00:00Z"),
        ]
    )
    advice = advise_on(steady_with_bursts(3, 2), catalog, held=groups, scenarios=0)
    got = advice.actions[
        ["action", "machine_group_id", "nodes", "one_time_cost", "monthly_saving"]
    ].values.tolist()
    assert got == [
        ["let_expire", "mg-c", 1, Decimal("0.00"), Decimal("18603.70")],
        ["let_expire", "mg-d", 1, Decimal("0.00"), Decimal("18603.70")],
        ["renew", "mg-b", 2, Decimal("47865.40"), Decimal("0.00")],  # the billing page's 47,865.40
    ]
    renew = advice.actions.iloc[2]
    assert renew.date == pd.Timestamp("2026-02-06")  # released 24 h after expiry
    assert "pay-as-you-go costs 16,082.60 USD more a month" in renew.reason
    assert advice.totals["monthly_cost_now"] == Decimal("119663.50")
    assert advice.totals["monthly_saving"] == Decimal("37207.40")


def test_expired_and_pay_as_you_go_groups_are_not_held(catalog):
    # an expired group and a pay-as-you-go group, as the subscriptions listing has them
    groups = held([("mg-old", 2, "2025-12-01T00:00:00Z")])
    groups = pd.concat([groups, held([("mg-payg", 4, None)]).assign(payment_type="PostPay")])
    advice = advise_on(steady_with_bursts(3, 0), catalog, held=groups, scenarios=0)
    assert advice.actions["action"].tolist() == ["buy"]
    assert int(advice.pairs["held_nodes"].iloc[0]) == 0


def test_bursts_alone_keep_pay_as_you_go(catalog):
    # 2 nodes 4 h a day: 16.7 % busy against a 74.85 % break-even
    advice = advise_on(steady_with_bursts(0, 2), catalog, scenarios=0)
    (line,) = advice.actions.itertuples(index=False)
    assert (line.action, line.nodes, line.monthly_saving) == ("keep_payg", 2, Decimal("0.00"))
    assert "busy 17% of the time, below the break-even 75%" in line.reason
    assert advice.totals["monthly_saving"] == Decimal("0.00")


def test_the_backtest_of_a_steady_history_captures_all_of_the_possible_saving(catalog):
    # January to March, 3 steady nodes and 2 burst nodes: each month's plan (the last 30
    # days) subscribes 3, as the best plan in hindsight does.
    # February (28 days): 40,320 min x 0.73 = 29,433.60 a node: 3 x 5,500.90 = 16,502.70
    # March (31 days): 44,640 min x 0.73 = 32,587.20 a node: 3 x 8,654.50 = 25,963.50
    # bursts: 28 x 240 min x 0.73 = 4,905.60 a node, below a subscription: not subscribed
    jobs = steady_with_bursts(3, 2, days=90)  # 2026-01-01 .. 2026-04-01
    advice = advise(demand_from_jobs(jobs), catalog, scenarios=0, today=TODAY)
    totals = advice.totals
    assert totals["backtest_saving"] == Decimal("42466.20")  # 16,502.70 + 25,963.50
    assert totals["hindsight_saving"] == Decimal("42466.20")
    assert totals["capture"] == 1.0
    assert totals["backtest_months"] == 2


def test_the_backtest_needs_two_calendar_months_and_says_so(catalog):
    advice = advise(demand_from_jobs(steady_with_bursts(3, 2)), catalog, scenarios=0, today=TODAY)
    assert advice.totals["backtest_saving"] is None and advice.totals["capture"] is None
    assert "a backtest needs at least 2" in advice.totals["backtest_reason"]


def test_the_lookback_plans_on_the_last_days_only(catalog):
    # 20 days of 1 node, then 10 days of 4: a 10-day lookback sees 4 nodes all the time
    first = pd.DataFrame(
        {"start": [pd.Timestamp("2026-01-01")], "end": [pd.Timestamp("2026-01-21")], "nodes": [1]}
    )
    then = pd.DataFrame(
        {"start": [pd.Timestamp("2026-01-21")], "end": [pd.Timestamp("2026-01-31")], "nodes": [4]}
    )
    jobs = pd.concat([first, then]).assign(region_id=REGION, hardware=HARDWARE)
    short = advise_on(jobs, catalog, lookback_days=10, scenarios=0)
    whole = advise_on(jobs, catalog, lookback_days=30, scenarios=0)
    assert short.actions["nodes"].tolist() == [4]
    # over 30 days levels 2-4 are busy 10 of 30 days (33 %): only the first node pays off
    assert whole.actions["nodes"].tolist() == [1]
    assert short.assumptions["lookback"]["days"] == 10.0
    assert short.assumptions["history"]["days"] == 30.0


def test_a_history_shorter_than_a_day_is_planned_with_a_warning(catalog):
    jobs = pd.DataFrame(
        {
            "start": [pd.Timestamp("2026-03-02 01:05")],
            "end": [pd.Timestamp("2026-03-02 05:05")],
            "nodes": [2],
            "region_id": REGION,
            "hardware": HARDWARE,
        }
    )
    advice = advise(demand_from_jobs(jobs), catalog, scenarios=50, today=TODAY)
    assert advice.actions["action"].tolist() == ["buy"]  # the 4 hours, assumed to repeat
    assert any(
        n.startswith("WARNING: a history of 4.0 hours, shorter than a day") for n in advice.notes
    )
    assert any("the savings range is wide" in n for n in advice.notes)


def test_savings_add_up_to_the_total_to_the_cent_across_pairs_and_months():
    # many pairs of the demo catalog, held nodes in several of them, a 3-month horizon
    # (money per month = the horizon's / 3, rounded per pair)
    from pai_model.data.synthetic import synthetic_jobs
    from pai_model.decisions.planning.prices import plannable_pairs

    catalog = read_catalog()
    pairs = plannable_pairs(catalog)[:12]
    jobs = synthetic_jobs(pairs, days=35, seed=3)
    groups = pd.DataFrame(
        {
            "region_id": [r for r, _ in pairs[:6]],
            "hardware": [h for _, h in pairs[:6]],
            "nodes": [1, 3, 7, 2, 5, 4],
            "expiry": [
                "2026-03-01",
                "2026-02-15",
                "2027-01-01",
                "2026-02-20",
                "2026-02-12",
                "2026-04-01",
            ],
        }
    )
    advice = advise_on(jobs, catalog, held=groups, months=3, scenarios=0)
    assert set(advice.actions["action"]) >= {"buy", "renew"}
    assert sum(advice.actions["monthly_saving"], Decimal(0)) == advice.totals["monthly_saving"]
    totals = advice.totals
    assert totals["monthly_cost_now"] - totals["monthly_cost_after"] == totals["monthly_saving"]
    assert all(s.as_tuple().exponent == -2 for s in advice.actions["monthly_saving"])


def test_bad_arguments_and_no_plannable_usage_are_the_kits_errors(catalog):
    demand = demand_from_jobs(steady_with_bursts(1, 0))
    with pytest.raises(InputError, match="lookback_days"):
        advise(demand, catalog, lookback_days=0)
    with pytest.raises(InputError, match="months"):
        advise(demand, catalog, months=1.5)
    elsewhere = demand_from_jobs(steady_with_bursts(1, 0).assign(hardware="no-such-hardware"))
    with pytest.raises(PlanError, match="no usage is of a region and hardware"):
        advise(elsewhere, catalog)


def test_general_nodes_not_needed_move_to_the_public_resource():
    # cn-shanghai general computing ecs.g7.xlarge-4c16g: 78.94 USD a month (the billing
    # page's example) against the illustrative public resource ecs.g7.xlarge at 0.30 USD
    # an hour (break-even 78.94 / (0.30 x 730) = 36 %). One node busy all the time, two
    # held until 2026-02-10 (within the month after 2026-01-31): keep one (renew it), let
    # the other go, its little work on the public resource.
    #   now: 2 x 78.94 = 157.88 (the billing page's 2-node bill); after: 78.94; saving 78.94
    jobs = pd.DataFrame(
        {
            "start": [pd.Timestamp("2026-01-01")],
            "end": [pd.Timestamp("2026-01-31")],
            "region_id": "cn-shanghai",
            "hardware": "ecs.g7.xlarge-4c16g",
            "nodes": [1],
        }
    )
    groups = pd.DataFrame(
        {
            "region_id": ["cn-shanghai"],
            "spec": ["ecs.g7.xlarge-4c16g"],
            "nodes": [2],
            "expiry": ["2026-02-10T00:00:00Z"],
            "machine_group_id": ["mg-g7"],
        }
    )
    advice = advise_on(jobs, read_catalog(), held=groups, scenarios=0)
    got = advice.actions[["action", "nodes", "one_time_cost", "monthly_saving"]].values.tolist()
    assert got == [
        ["move_to_public", 1, Decimal("0.00"), Decimal("78.94")],
        ["renew", 1, Decimal("78.94"), Decimal("0.00")],
    ]
    assert "public resource ecs.g7.xlarge (DLC/DSW) at 0.3 USD/hour" in advice.actions["reason"][0]
    totals = advice.totals
    assert (totals["monthly_cost_now"], totals["monthly_cost_after"]) == (
        Decimal("157.88"),
        Decimal("78.94"),
    )


def test_each_held_group_is_renewed_from_its_own_expiry(catalog):
    # A 12-month horizon from 2026-01-31 (when the history ends) to 2027-01-31; 3 steady
    # nodes held in two subscriptions (ALIBABA_APIS.md section 9 terms: 1-9, 12-60 months):
    # - mg-b, 2 nodes, expires 2026-03-01: renew by 2026-03-02 for the 11 calendar months
    #   that reach 2027-01-31 (2026-03-01 + 10 months = 2027-01-01 falls short), bought as
    #   9 + 2: 2 x 23,932.70 x 9 = 430,788.60 plus 2 x 23,932.70 x 2 = 95,730.80 = 526,519.40
    # - mg-c, 1 node, expires 2026-09-15: renew by 2026-09-16 for 5 months (+4 months is
    #   2027-01-15, short of 2027-01-31): 1 x 23,932.70 x 5 = 119,663.50
    groups = held([("mg-b", 2, "2026-03-01T00:00:00Z"), ("mg-c", 1, "2026-09-15T00:00:00Z")])
    advice = advise_on(steady_with_bursts(3, 0), catalog, held=groups, months=12, scenarios=0)
    renewals = advice.actions[advice.actions["action"] == "renew"].sort_values("date")
    got = renewals[["machine_group_id", "nodes", "term", "date", "one_time_cost"]]
    assert got.values.tolist() == [
        ["mg-b", 2, "11 months (9 + 2)", pd.Timestamp("2026-03-02"), Decimal("526519.40")],
        ["mg-c", 1, "5 months", pd.Timestamp("2026-09-16"), Decimal("119663.50")],
    ]


def test_a_ten_month_purchase_is_bought_as_nine_plus_one(catalog):
    # 3 steady nodes, a 10-month horizon: buy 3 on the month term, which no single order
    # buys (terms 1-9, 12-60 months: ALIBABA_APIS.md section 9), so 9 + 1 months;
    # by hand 3 x 23,932.70 x 10 = 717,981.00 (the two orders: 646,182.90 + 71,798.10)
    advice = advise_on(steady_with_bursts(3, 0), catalog, months=10, scenarios=0)
    buy = advice.actions.iloc[0]
    assert (buy.action, buy.nodes, buy.term) == ("buy", 3, "10 months (9 + 1)")
    assert buy.one_time_cost == Decimal("717981.00")
    assert any("bought as 9 + 1 months" in note for note in advice.notes)
