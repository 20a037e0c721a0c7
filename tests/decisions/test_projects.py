"""Project plans buy only buyable terms and bill a node's daily life, not its job time.

Prices are the billing page's gu7xf GU108 examples (DOMAIN.md): 23,932.70 USD/month by
subscription, 0.73 USD/minute pay-as-you-go. Buyable terms: ALIBABA_APIS.md section 9.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from pai_model.decisions.projects import plan_project
from pai_model.errors import InputError

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
