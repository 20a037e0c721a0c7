"""The what-if logic, without widgets: numbers equal the package's formulas and hand sums.

Catalog: tests/data/whatif_catalog.csv. Its offer pairs are
- cn-wulanchabu gu7xf-8xGU108: the billing page's 23,932.70 USD/month and 0.73 USD/minute;
- ap-southeast-1 test-a: 1,000.00 USD/month and 0.05 USD/minute (two specs);
- ap-southeast-1 test-b: 912.50 USD/month and 0.05 USD/minute, out of stock;
- cn-beijing test-c: 5,000.00 USD/month and 0.10 USD/minute (break-even beyond 24 h/day);
and two rows without a pair (a general spec, a subscription-only Lingjun spec).

A 730-hour month has 730 / 24 = 30.41666... days, so u h/day is u x 60 x 730 / 24
= 1,825 u minutes a month; a 720-hour month (30 days) gives 1,800 u.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from pai_model import paths
from pai_model.data.catalog import read_catalog
from pai_model.decisions.whatif import (
    WhatIfState,
    evaluate,
    hardware_options,
    initial_state,
    offer_pairs,
    percent_off,
    region_options,
)
from pai_model.display.whatif import figure, figure_update, provenance_html, summary_text
from pai_model.errors import PaiModelError

CATALOG = Path(__file__).resolve().parents[1] / "data" / "whatif_catalog.csv"
ULANQAB = ("cn-wulanchabu", "gu7xf-8xGU108")
M730 = "730 h (365 x 24 / 12)"
M720 = "30-day month (720 h)"
M744 = "31-day month (744 h)"


@pytest.fixture(scope="module")
def pairs():
    return offer_pairs(read_catalog(CATALOG))


def test_only_pairs_with_both_methods_are_offered(pairs):
    assert region_options(pairs) == [
        ("Singapore - ap-southeast-1", "ap-southeast-1"),
        ("China (Beijing) - cn-beijing", "cn-beijing"),
        ("China (Ulanqab) - cn-wulanchabu", "cn-wulanchabu"),
    ]
    assert hardware_options(pairs, "ap-southeast-1") == [
        ("test-a: ml.test.sub-a / ml.test.payg-a", "test-a"),
        ("test-b: ml.test.b", "test-b"),
    ]
    assert hardware_options(pairs, "cn-shanghai") == []  # general: subscription only


def test_initial_state_prefers_documented_prices(pairs):
    assert initial_state(pairs) == WhatIfState(*ULANQAB)
    assert initial_state(pairs, region_id="ap-southeast-1", months=3) == WhatIfState(
        "ap-southeast-1", "test-a", months=3
    )
    assert initial_state(pairs, hardware="test-c") == WhatIfState("cn-beijing", "test-c")


# (state, payg minutes of one node over the horizon, subscription cost, payg cost,
#  cheaper, saving); every figure by hand:
HAND_CASES = [
    # 8 h/day: 8 x 1,825 = 14,600 min; 0.73 x 14,600 = 10,658.00 against 23,932.70;
    # saving 23,932.70 - 10,658.00 = 13,274.70.
    (WhatIfState(*ULANQAB, 8), 14_600, 23_932.70, 10_658.00, "pay-as-you-go", 13_274.70),
    # 20 h/day, 2 nodes, 12 months: 20 x 1,825 x 12 = 438,000 min;
    # payg 0.73 x 2 x 438,000 = 639,480.00; subscription 23,932.70 x 2 x 12 = 574,384.80;
    # saving 65,095.20.
    (
        WhatIfState(*ULANQAB, 20, nodes=2, months=12),
        438_000,
        574_384.80,
        639_480.00,
        "subscription",
        65_095.20,
    ),
    # 720-hour month: 10 h/day x 30 days x 60 = 18,000 min; 0.05 x 18,000 = 900.00.
    (
        WhatIfState("ap-southeast-1", "test-a", 10, month_convention=M720),
        18_000,
        1_000.00,
        900.00,
        "pay-as-you-go",
        100.00,
    ),
    # 10 h/day = 18,250 min; 0.05 x 18,250 = 912.50 = the subscription price: a tie.
    (WhatIfState("ap-southeast-1", "test-b", 10), 18_250, 912.50, 912.50, "neither", 0.0),
    # 24 h/day, 31-day months, 3 nodes, 2 months: 24 x 31 x 60 x 2 = 89,280 min;
    # payg 0.10 x 3 x 89,280 = 26,784.00; subscription 5,000 x 3 x 2 = 30,000.00.
    (
        WhatIfState("cn-beijing", "test-c", 24, nodes=3, months=2, month_convention=M744),
        89_280,
        30_000.00,
        26_784.00,
        "pay-as-you-go",
        3_216.00,
    ),
]


@pytest.mark.parametrize(("state", "minutes", "sub", "payg", "cheaper", "saving"), HAND_CASES)
def test_costs_match_hand_calculation(pairs, state, minutes, sub, payg, cheaper, saving):
    result = evaluate(state, pairs)
    assert result.payg_minutes == minutes
    assert result.subscription_cost == sub
    assert result.payg_cost == payg
    assert result.cheaper == cheaper
    assert result.saving == saving


# Per case of HAND_CASES, by hand: break-even minutes (subscription price / payg price),
# break-even utilization (those minutes / the month's minutes), and the payg trace of the
# figure at 4 and 24 h/day (h x days x 60 min x months x nodes x payg price).
HAND_BREAK_EVEN_AND_TRACE = [
    # 23,932.70 / 0.73 = 32,784.520548 min; / 43,800 (730 h) = 0.748505035;
    # 4 h: 4 x 1,825 = 7,300 min x 0.73 = 5,329.00; 24 h: 43,800 x 0.73 = 31,974.00
    (32_784.520548, 0.748505035, 5_329.00, 31_974.00),
    # the same prices; 12 months x 2 nodes: 4 h: 7,300 x 12 x 2 x 0.73 = 127,896.00;
    # 24 h: 43,800 x 12 x 2 x 0.73 = 767,376.00
    (32_784.520548, 0.748505035, 127_896.00, 767_376.00),
    # 1,000 / 0.05 = 20,000 min; / 43,200 (720 h) = 0.462962963;
    # 4 h: 4 x 30 x 60 = 7,200 x 0.05 = 360.00; 24 h: 43,200 x 0.05 = 2,160.00
    (20_000.0, 0.462962963, 360.00, 2_160.00),
    # 912.50 / 0.05 = 18,250 min; / 43,800 = 0.416666667;
    # 4 h: 7,300 x 0.05 = 365.00; 24 h: 43,800 x 0.05 = 2,190.00
    (18_250.0, 0.416666667, 365.00, 2_190.00),
    # 5,000 / 0.10 = 50,000 min; / 44,640 (744 h) = 1.120071685 (beyond a day);
    # 4 h: 4 x 31 x 60 x 2 months = 14,880 min x 3 nodes x 0.10 = 4,464.00; 24 h: 26,784.00
    (50_000.0, 1.120071685, 4_464.00, 26_784.00),
]


@pytest.mark.parametrize(
    ("case", "hand"),
    list(zip(HAND_CASES, HAND_BREAK_EVEN_AND_TRACE, strict=True)),
    ids=[f"case-{n}" for n in range(len(HAND_CASES))],
)
def test_break_even_and_traces_match_hand_calculation(pairs, case, hand):
    state, _, sub, payg, _, _ = case
    minutes, utilization, trace_at_4, trace_at_24 = hand
    result = evaluate(state, pairs)
    assert result.break_even_minutes == pytest.approx(minutes, abs=1e-6)
    assert result.break_even_utilization == pytest.approx(utilization, abs=1e-9)
    fig = figure(result)
    assert fig.data[0].y == (sub, sub)
    # the usage axis: every quarter hour from 0 to 24 h/day, 97 points
    np.testing.assert_array_equal(fig.data[1].x, [q / 4 for q in range(97)])
    trace = dict(zip(fig.data[1].x, fig.data[1].y, strict=True))
    assert (trace[0.0], trace[4.0], trace[24.0]) == (0.0, trace_at_4, trace_at_24)
    assert fig.data[3].x == (state.usage_hours_per_day, state.usage_hours_per_day)
    assert fig.data[3].y == (sub, payg)


def test_payg_trace_by_hand(pairs):
    # test-a, 1 node, 1 month of 730 h: 0.05 x 1,825 u -> 0 at 0, 365.00 at 4 h/day,
    # 912.50 at 10, 2,190.00 at 24 h/day.
    fig = figure(evaluate(WhatIfState("ap-southeast-1", "test-a", 4), pairs))
    payg = dict(zip(fig.data[1].x, fig.data[1].y, strict=True))
    assert [payg[0.0], payg[4.0], payg[10.0], payg[24.0]] == [0.0, 365.0, 912.5, 2190.0]


def test_break_even_by_hand(pairs):
    # 23,932.70 / 0.73 = 32,784.5205... minutes; / 43,800 (730 h) = 0.7485050...;
    # x 24 = 17.964 h/day.
    result = evaluate(WhatIfState(*ULANQAB), pairs)
    assert result.break_even_minutes == pytest.approx(32_784.520548, abs=1e-6)
    assert result.break_even_utilization == pytest.approx(0.748505035, abs=1e-9)
    assert result.break_even_hours_per_day == pytest.approx(17.964121, abs=1e-6)
    fig = figure(result)
    assert fig.data[2].x[0] == pytest.approx(17.964121, abs=1e-6)
    assert fig.data[2].y == (23_932.70,)


def test_summary_states_every_number(pairs):
    assert summary_text(evaluate(WhatIfState(*ULANQAB, 20, nodes=2, months=12), pairs)) == (
        "At 20 h/day on 2 nodes for 12 months (a month = 730 h): subscription is cheaper,"
        " 574,384.80 USD against 639,480.00 USD pay-as-you-go, saving 65,095.20 USD."
        " Break-even: 17.96 h/day (74.9% utilization)."
    )
    # test-b: 912.50 / 0.05 = 18,250 min = 10 h/day = 18,250 / 43,800 = 41.7%.
    assert summary_text(evaluate(WhatIfState("ap-southeast-1", "test-b", 10), pairs)) == (
        "At 10 h/day on 1 node for 1 month (a month = 730 h): both cost 912.50 USD;"
        " neither saves. Break-even: 10.00 h/day (41.7% utilization)."
        " Built on illustrative prices: not Alibaba Cloud quotes."
    )


def test_break_even_beyond_a_day_is_stated_and_not_drawn(pairs):
    # 5,000 / 0.10 = 50,000 min > 43,800 min in a 730-hour month:
    # 50,000 / 43,800 = 114.2%, x 24 = 27.40 h/day.
    result = evaluate(WhatIfState("cn-beijing", "test-c", 24), pairs)
    assert summary_text(result).endswith(
        "Break-even: none within 24 h/day (it would need 27.40 h/day, 114.2% utilization):"
        " pay-as-you-go is cheaper at any usage. Built on illustrative prices: not Alibaba"
        " Cloud quotes."
    )
    assert figure(result).data[2].x == ()


def test_percent_off_rounds_half_up_to_6_decimals():
    # 0.73 x (100 - 12.345) / 100 = 0.6398815 exactly: a tie at the 7th decimal, up.
    assert percent_off(0.73, 12.345) == 0.639882
    # 78.94 x 0.9 = 71.046; 0.000001 x 0.5 = 0.0000005 -> 0.000001 (half up).
    assert percent_off(78.94, 10) == 71.046
    assert percent_off(0.000001, 50) == 0.000001
    assert percent_off(23_932.70, 0) == 23_932.70


def test_discounts_apply_to_the_bills(pairs):
    state = WhatIfState(*ULANQAB, 8, subscription_percent_off=12.5, payg_percent_off=12.345)
    result = evaluate(state, pairs)
    # 23,932.70 x 0.875 = 20,941.1125 -> bill 20,941.11; 0.639882 x 14,600 = 9,342.2772
    # -> 9,342.28; saving 20,941.11 - 9,342.28 = 11,598.83.
    assert (result.subscription.price, result.payg.price) == (20_941.1125, 0.639882)
    assert (result.subscription_cost, result.payg_cost, result.saving) == (
        20_941.11,
        9_342.28,
        11_598.83,
    )
    assert result.break_even_minutes == pytest.approx(20_941.1125 / 0.639882, rel=1e-15)
    assert figure(result).data[0].y == (20_941.11, 20_941.11)
    assert (
        "With 12.5% off: 20,941.1125 USD/month (discounted unit price rounded to 6 decimals)"
        in provenance_html(result)
    )
    assert "With 12.345% off: 0.639882 USD/minute" in provenance_html(result)


def test_provenance_names_sources_dates_and_the_pairing_assumption(pairs):
    text = provenance_html(evaluate(WhatIfState(*ULANQAB), pairs))
    assert (
        "Subscription: <code>ml.gu7xf.c96m1600.8-gu108</code> at 23,932.70 USD/month,"
        " documented: Alibaba Cloud help: Platform For AI - Billing of AI computing resources,"
        " Lingjun subscription example, as of 2026-03-24." in text
    )
    assert "Pay-as-you-go: <code>ml.gu7xf.8xlarge-gu108</code> at 0.73 USD/minute" in text
    assert (
        "Pairing: two specs, compared because the catalog gives both the hardware key"
        " <code>gu7xf-8xGU108</code>." in text
    )
    assert "Catalog note: ASSUMPTION: paired with" in text
    assert "illustrative" not in text
    out_of_stock = provenance_html(evaluate(WhatIfState("ap-southeast-1", "test-b"), pairs))
    assert out_of_stock.count("<b>illustrative</b>") == 2
    # one spec offered both ways, out of stock for both methods: each says why
    for method in ("subscription", "pay-as-you-go"):
        assert (
            f"<b>Cannot be purchased now</b>: {method} offer ml.test.b is out of stock in"
            " ap-southeast-1: it cannot be purchased now." in out_of_stock
        )
    assert "Pairing" not in out_of_stock  # one spec offered both ways


def test_the_largest_setting_stays_within_the_billing_bounds(pairs):
    # 24 h/day x 31 days x 60 x 60 months = 2,678,400 min per node;
    # payg 0.73 x 1,000 x 2,678,400 = 1,955,232,000.00; subscription
    # 23,932.70 x 1,000 x 60 = 1,435,962,000.00.
    state = WhatIfState(*ULANQAB, 24, nodes=1000, months=60, month_convention=M744)
    result = evaluate(state, pairs)
    assert (result.payg_cost, result.subscription_cost) == (1_955_232_000.0, 1_435_962_000.0)


def test_slider_float_noise_reads_as_the_shown_value(pairs):
    result = evaluate(WhatIfState(*ULANQAB, 1.9999999999999998), pairs)
    # 2 x 1,825 = 3,650 min; 0.73 x 3,650 = 2,664.50.
    assert (result.state.usage_hours_per_day, result.payg_cost) == (2.0, 2_664.50)


def test_figure_update_replaces_every_changed_property(pairs):
    before = figure(evaluate(WhatIfState(*ULANQAB, 8), pairs))
    after_state = WhatIfState("cn-beijing", "test-c", 12, months=2)
    traces, layout = figure_update(before, evaluate(after_state, pairs))
    # break-even left the chart: its label must go, not linger
    assert traces[2]["x"] == [] and traces[2]["text"] is None
    # 12 h/day x 1,825 x 2 = 43,800 min; 0.10 x 43,800 = 4,380.00; 5,000 x 2 = 10,000.00
    assert traces[3]["y"] == [10_000.0, 4_380.0]
    assert "2 months, a month = 730 h" in layout["title"]["text"]
    assert "template" not in layout


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"colour": "red"}, "unknown what-if setting 'colour'"),
        ({"region_id": "cn-shanghai"}, "no offer pair for region 'cn-shanghai'"),
        ({"hardware": "nope"}, "no region offers hardware 'nope' both by subscription and"),
        (
            {"region_id": "cn-beijing", "hardware": "test-a"},
            "no offer pair for region 'cn-beijing' and hardware 'test-a'",
        ),
        ({"usage_hours_per_day": 25}, "usage_hours_per_day must be from 0 to 24; got 25"),
        ({"nodes": 0}, "nodes must be from 1 to 1000; got 0"),
        ({"nodes": 1.5}, "nodes must be a whole number; got 1.5"),
        ({"months": 61}, "months must be from 1 to 60; got 61"),
        ({"payg_percent_off": 100}, "payg_percent_off must be from 0 to 99.0; got 100"),
        ({"subscription_percent_off": "5"}, "subscription_percent_off must be a number"),
        ({"month_convention": "lunar"}, "unknown month convention 'lunar'"),
        ({"payg_discount": 10}, "unknown what-if setting 'payg_discount'"),
    ],
)
def test_bad_settings_say_what_to_change(pairs, settings, message):
    with pytest.raises(PaiModelError, match="^" + message.replace(".", r"\.").replace("(", r"\(")):
        initial_state(pairs, **settings)


def test_a_catalog_without_pairs_is_refused(tmp_path):
    lines = CATALOG.read_text().splitlines()
    path = tmp_path / "general_only.csv"
    path.write_text("\n".join(lines[:2]) + "\n")  # the header and the general row
    with pytest.raises(PaiModelError, match="no region and hardware with both"):
        offer_pairs(read_catalog(path))


def test_a_start_date_makes_the_horizon_calendar_months(pairs):
    # one month from 1 January 2026 runs to 1 February: 31 days; at 24 h/day
    # 31 x 1,440 x 0.73 = 32,587.20 pay-as-you-go against 23,932.70
    result = evaluate(
        WhatIfState(*ULANQAB, usage_hours_per_day=24, months=1, start="2026-01-01"), pairs
    )
    assert (result.subscription_cost, result.payg_cost) == (23_932.70, 32_587.20)
    assert result.hours_per_month == 744.0  # 31 x 24
    assert "calendar months from 2026-01-01 to 2026-02-01, 744 h a month on average" in (
        summary_text(result)
    )
    assert result.plan["method"].tolist() == ["subscription"]
    assert "none beats a single method (23,932.70 USD)" in summary_text(result)


def test_the_mixed_plan_beside_both_single_methods(pairs):
    # 22% off pay-as-you-go: 0.73 x 0.78 = 0.5694 USD/minute, 819.936 a day. January
    # (31 days, 25,418.016) is worth subscribing at 23,932.70, February (28 days,
    # 22,958.208 -> 22,958.21) is not: 46,890.91, against two months 47,865.40 and 59 days
    # of pay-as-you-go 48,376.224 -> 48,376.22; the mix saves 974.49
    result = evaluate(
        WhatIfState(
            *ULANQAB, usage_hours_per_day=24, months=2, payg_percent_off=22, start="2026-01-01"
        ),
        pairs,
    )
    assert (result.subscription_cost, result.payg_cost) == (47_865.40, 48_376.22)
    assert result.plan["method"].tolist() == ["subscription", "payg"]
    assert result.plan["cost"].tolist() == [23_932.70, 22_958.21]
    assert (
        "Cheapest mix of calendar months: 46,890.91 USD (1 month subscribed, the rest"
        " pay-as-you-go), 974.49 USD less than the cheaper single method." in summary_text(result)
    )
    # the all-pay-as-you-go cost equals the plan's own, cent for cent
    assert str(result.plan.attrs["payg_total"]) == "48376.22"


def test_a_start_date_with_no_use_has_no_plan(pairs):
    from pai_model.display.whatif import plan_html

    result = evaluate(WhatIfState(*ULANQAB, usage_hours_per_day=0, start="2026-01-01"), pairs)
    assert result.plan is None and result.payg_cost == 0.0
    assert plan_html(result) == "No use (0 h/day): nothing to plan."
    assert plan_html(evaluate(WhatIfState(*ULANQAB), pairs)).startswith("Give a start date")


@pytest.mark.parametrize("start", ["soon", "2026-13-01", 20260101])
def test_a_start_that_is_no_date_says_what_to_give(pairs, start):
    with pytest.raises(PaiModelError, match="start"):
        evaluate(WhatIfState(*ULANQAB, start=start), pairs)


def test_held_nodes_cost_nothing_more():
    pairs = offer_pairs(read_catalog(paths.DOCUMENTED_CATALOG))
    # 3 nodes at 24 h/day, 1 already held: the 2 beyond it cost 2 x 23,932.70 = 47,865.40
    # by subscription against 2 x 0.73 x 43,800 = 63,948.00 pay-as-you-go
    state = WhatIfState("cn-wulanchabu", "gu7xf-8xGU108", 24, nodes=3, held_nodes=1)
    result = evaluate(state, pairs)
    assert (result.subscription_cost, result.payg_cost, result.saving) == (
        47865.4,
        63948.0,
        16082.6,
    )
    assert summary_text(result).startswith(
        "1 node already held, so 1 of the 3 cost nothing more; the costs are of the 2 nodes"
        " beyond them."
    )
    # holding as many as needed: nothing more to pay either way
    covered = evaluate(replace(state, held_nodes=3), pairs)
    assert (covered.subscription_cost, covered.payg_cost, covered.cheaper) == (0.0, 0.0, "neither")
    with pytest.raises(PaiModelError, match="held_nodes must be a whole number"):
        initial_state(pairs, region_id="cn-wulanchabu", hardware="gu7xf-8xGU108", held_nodes=1.5)


def test_the_panel_flags_prices_older_than_30_days():
    # the billing page's prices are of 2026-03-24: more than 30 days old from 2026-04-24 on
    pairs = offer_pairs(read_catalog(paths.DOCUMENTED_CATALOG))
    text = provenance_html(evaluate(WhatIfState(*ULANQAB), pairs))
    assert text.count("days ago</b> (more than 30): check it on the console") == 2


# General computing against its public resource: tests/data/whatif_public_catalog.csv
# (illustrative) prices the dedicated general spec ecs.g6.2xlarge-8c32g at 150.00 USD a
# month and the DLC public resource ecs.g6.2xlarge of the same hardware g6 at 0.61 USD an
# hour, billed per minute at 0.61 / 60 with fractional minutes priced; g7 has no public
# resource: subscription only.
PUBLIC_CATALOG = Path(__file__).resolve().parents[1] / "data" / "whatif_public_catalog.csv"
G6 = ("cn-shanghai", "g6")


@pytest.fixture(scope="module")
def public_pairs():
    return offer_pairs(read_catalog(PUBLIC_CATALOG))


# (state, subscription cost, payg cost, cheaper, saving), by hand:
PUBLIC_CASES = [
    # 8 h/day: 14,600 min; 0.61 x 14,600 / 60 = 148.4333... -> 148.43 (a per-minute price
    # rounded first, 0.010167 x 14,600 = 148.44, would be a cent off); saving 1.57.
    (WhatIfState(*G6, 8), 150.00, 148.43, "pay-as-you-go", 1.57),
    # 20 % off 0.61 = 0.488 USD/hour; 10 h/day, 2 nodes, 3 months: 18,250 x 3 = 54,750 min;
    # 0.488 x 2 x 54,750 / 60 = 890.60 against 150.00 x 2 x 3 = 900.00.
    (
        WhatIfState(*G6, 10, nodes=2, months=3, payg_percent_off=20),
        900.00,
        890.60,
        "pay-as-you-go",
        9.40,
    ),
    # 8.33 h/day: 8.33 x 1,825 = 15,202.25 min (a fractional minute);
    # 0.61 x 15,202.25 / 60 = 154.5562... -> 154.56 > 150.00.
    (WhatIfState(*G6, 8.33), 150.00, 154.56, "subscription", 4.56),
]


@pytest.mark.parametrize(("state", "sub", "payg", "cheaper", "saving"), PUBLIC_CASES)
def test_a_general_spec_is_compared_with_its_public_resource(
    public_pairs, state, sub, payg, cheaper, saving
):
    result = evaluate(state, public_pairs)
    assert result.public and result.payg.unit == "hour"
    assert (result.subscription.spec, result.payg.spec) == (
        "ecs.g6.2xlarge-8c32g",
        "ecs.g6.2xlarge",
    )
    assert (result.subscription_cost, result.payg_cost) == (sub, payg)
    assert (result.cheaper, result.saving) == (cheaper, saving)


def test_the_public_side_is_stated_and_break_even_uses_hourly_over_60(public_pairs):
    result = evaluate(WhatIfState(*G6), public_pairs)
    # 150.00 / (0.61 / 60) = 14,754.098... min a month; / 43,800 = 33.685 %; x 24 = 8.08 h/day
    assert result.break_even_minutes == pytest.approx(14_754.098361, abs=1e-6)
    assert result.break_even_hours_per_day == pytest.approx(8.084437, abs=1e-6)
    assert (
        "The pay-as-you-go side is the public resource ecs.g6.2xlarge (DLC/DSW, 0.61 USD/hour,"
        " billed per minute at the hourly price / 60): general computing nodes are sold by"
        " subscription only."
    ) in summary_text(result)
    assert (
        "Pay-as-you-go, public resource (DLC/DSW): <code>ecs.g6.2xlarge</code> at 0.61 USD/hour"
    ) in provenance_html(result)
    assert "billed per minute at the hourly price / 60, fractional minutes priced" in (
        provenance_html(result)
    )
    # g7 has no public resource: the panel says it is subscription only
    assert provenance_html(result).endswith(
        "Subscription only here (general computing with no public resource of the same"
        " hardware in the catalog, so nothing to compare): <code>g7</code>."
    )
    assert hardware_options(public_pairs, "cn-shanghai") == [
        ("g6: ecs.g6.2xlarge-8c32g / ecs.g6.2xlarge (public resource)", "g6")
    ]
    # the chart bills the hourly price too: 4 h/day = 7,300 min, 0.61 x 7,300 / 60 = 74.2166...
    fig = figure(result)
    payg = dict(zip(fig.data[1].x, fig.data[1].y, strict=True))
    assert (payg[4.0], payg[8.0]) == (74.22, 148.43)
    assert fig.data[2].x[0] == pytest.approx(8.084437, abs=1e-6)


def test_a_start_date_plans_calendar_months_on_the_public_resource(public_pairs):
    # February 2026: 28 days = 672 h; at 8 h/day 672 x 60 x 8 / 24 = 13,440 min;
    # 0.61 x 13,440 / 60 = 136.64 < 150.00: the cheapest plan is all public pay-as-you-go
    result = evaluate(WhatIfState(*G6, 8, start="2026-02-01"), public_pairs)
    assert result.payg_cost == 136.64
    assert result.plan[["method", "minutes", "cost"]].values.tolist() == [
        ["payg", 13_440.0, 136.64]
    ]


def test_a_general_spec_without_a_public_resource_stays_subscription_only(public_pairs):
    with pytest.raises(PaiModelError) as caught:
        evaluate(WhatIfState("cn-shanghai", "g7"), public_pairs)
    assert str(caught.value) == (
        "g7 in cn-shanghai is general computing, sold by subscription only, and the catalog"
        " has no public resource (DLC/DSW pay-as-you-go) of that hardware there: it stays"
        " subscription-only, with nothing to compare; add the public resource's row"
        " (resource_type public) to compare them"
    )
