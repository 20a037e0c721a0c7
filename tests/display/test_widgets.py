"""The what-if panel's wiring, without a browser: each control moves chart and summary.

Catalog: tests/data/whatif_catalog.csv (see tests/decisions/test_whatif.py). The panel starts on the
billing page's Ulanqab GU108 pair, 23,932.70 USD/month against 0.73 USD/minute, at 8 h/day,
1 node, 1 month of 730 h. A 730-hour month turns u h/day into 1,825 u minutes, a 30-day
(720-hour) month into 1,800 u. Every expected figure below is worked by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pai_model import paths
from pai_model.display.widgets import CSS_CLASSES, what_if
from pai_model.errors import CatalogError, PaiModelError

CATALOG = Path(__file__).resolve().parents[1] / "data" / "whatif_catalog.csv"


def chart(panel):
    """(subscription line y, break-even x, current-usage marker x and y)."""
    data = panel.figure.data
    return data[0].y, data[2].x, data[3].x, data[3].y


def test_every_control_updates_chart_and_summary_in_place():
    panel = what_if(CATALOG)
    figure = panel.figure
    c = panel.controls
    assert chart(panel)[2:] == ((8.0, 8.0), (23_932.70, 10_658.00))  # 0.73 x 14,600

    # 20 h/day: 0.73 x 20 x 1,825 = 26,645.00 > 23,932.70; saving 2,712.30.
    c["usage_hours_per_day"].value = 20
    assert chart(panel)[2:] == ((20.0, 20.0), (23_932.70, 26_645.00))
    assert panel.summary.value == (
        "At 20 h/day on 1 node for 1 month (a month = 730 h): subscription is cheaper,"
        " 23,932.70 USD against 26,645.00 USD pay-as-you-go, saving 2,712.30 USD."
        " Break-even: 17.96 h/day (74.9% utilization)."
    )

    # 2 nodes: 47,865.40 (the billing page's example) against 53,290.00; saving 5,424.60.
    c["nodes"].value = 2
    assert chart(panel)[0] == (47_865.40, 47_865.40)
    assert chart(panel)[3] == (47_865.40, 53_290.00)
    assert "saving 5,424.60 USD" in panel.summary.value

    # 3 months: 23,932.70 x 2 x 3 = 143,596.20; 0.73 x 2 x 36,500 x 3 = 159,870.00.
    c["months"].value = 3
    assert chart(panel)[3] == (143_596.20, 159_870.00)
    assert "2 nodes for 3 months" in panel.summary.value
    assert figure.layout.yaxis.title.text == "cost over 3 months [USD]"

    # 10% off the subscription: 21,539.43 x 6 = 129,236.58; saving 30,633.42.
    # Break-even moves to 21,539.43 / 0.73 = 29,506.07 min = 16.17 h/day (67.4%).
    c["subscription_percent_off"].value = 10
    assert chart(panel)[3] == (129_236.58, 159_870.00)
    assert panel.summary.value.endswith(
        "saving 30,633.42 USD. Break-even: 16.17 h/day (67.4% utilization)."
    )
    assert "With 10% off: 21,539.43 USD/month" in panel.provenance.value

    # 50% off pay-as-you-go: 0.365 x 2 x 109,500 = 79,935.00; now pay-as-you-go wins by
    # 129,236.58 - 79,935.00 = 49,301.58. Break-even 21,539.43 / 0.365 = 59,012.14 min,
    # beyond a 43,800-minute month: off the chart.
    c["payg_percent_off"].value = 50
    assert chart(panel)[1:] == ((), (20.0, 20.0), (129_236.58, 79_935.00))
    assert "pay-as-you-go is cheaper, 79,935.00 USD" in panel.summary.value

    # 30-day months: 20 x 1,800 x 3 = 108,000 min; 0.365 x 2 x 108,000 = 78,840.00;
    # saving 50,396.58; break-even 59,012.14 / 1,800 = 32.78 h/day, / 43,200 = 136.6%.
    c["month_convention"].value = "30-day month (720 h)"
    assert chart(panel)[3] == (129_236.58, 78_840.00)
    assert panel.summary.value == (
        "At 20 h/day on 2 nodes for 3 months (a month = 720 h): pay-as-you-go is cheaper,"
        " 78,840.00 USD against 129,236.58 USD by subscription, saving 50,396.58 USD."
        " Break-even: none within 24 h/day (it would need 32.78 h/day, 136.6% utilization):"
        " pay-as-you-go is cheaper at any usage."
    )
    assert "a month = 720 h" in figure.layout.title.text

    # Singapore: hardware follows (test-a), 1,000 x 0.9 = 900.00 and 0.05 x 0.5 = 0.025:
    # 900 x 2 x 3 = 5,400.00 = 0.025 x 2 x 108,000. Break-even 900 / 0.025 = 36,000 min
    # = 20.00 h/day = 83.3% of a 43,200-minute month.
    c["region_id"].value = "ap-southeast-1"
    assert c["hardware"].value == "test-a"
    assert chart(panel) == ((5_400.0, 5_400.0), (20.0,), (20.0, 20.0), (5_400.0, 5_400.0))
    assert panel.summary.value == (
        "At 20 h/day on 2 nodes for 3 months (a month = 720 h): both cost 5,400.00 USD;"
        " neither saves. Break-even: 20.00 h/day (83.3% utilization)."
        " Built on illustrative prices: not Alibaba Cloud quotes."
    )
    assert "<b>illustrative</b>" in panel.provenance.value
    assert "illustrative" in figure.layout.title.text

    # test-b: 912.50 x 0.9 = 821.25; 821.25 x 6 = 4,927.50 against 5,400.00; saving 472.50.
    c["hardware"].value = "test-b"
    assert chart(panel)[3] == (4_927.50, 5_400.00)
    assert "subscription is cheaper, 4,927.50 USD" in panel.summary.value
    assert "<b>Cannot be purchased now</b>: subscription offer ml.test.b" in panel.provenance.value

    assert panel.figure is figure and len(figure.data) == 4  # updated, never re-created


def test_a_region_change_refreshes_once():
    panel = what_if(CATALOG)
    calls = []
    panel.refresh = lambda: calls.append(panel.controls["hardware"].value)
    panel.controls["region_id"].value = "ap-southeast-1"
    assert calls == ["test-a"]  # not once more for the hardware list being replaced


def test_controls_carry_stable_css_classes():
    panel = what_if(CATALOG)
    for name, control in panel.controls.items():
        assert CSS_CLASSES[name] in control._dom_classes
    assert CSS_CLASSES["summary"] in panel.summary._dom_classes
    assert CSS_CLASSES["provenance"] in panel.provenance._dom_classes


def test_initial_settings_and_dropdowns():
    panel = what_if(CATALOG, region_id="cn-beijing", usage_hours_per_day=24, months=2)
    assert [value for _, value in panel.controls["region_id"].options] == [
        "ap-southeast-1",
        "cn-beijing",
        "cn-wulanchabu",
    ]
    assert panel.controls["hardware"].value == "test-c"
    # 0.10 x 24 x 1,825 x 2 = 8,760.00 against 5,000 x 2 = 10,000.00
    assert chart(panel)[3] == (10_000.0, 8_760.0)


def test_user_errors_are_clear():
    with pytest.raises(PaiModelError, match="unknown what-if setting 'hours'"):
        what_if(CATALOG, hours=3)
    with pytest.raises(CatalogError):
        what_if(CATALOG.with_name("missing.csv"))


def test_default_catalog_starts_on_the_documented_offers():
    # demo.csv holds the billing page's offers verbatim: 0.73 x 14,600 = 10,658.00 USD
    # against 23,932.70 USD at 8 h/day (see tests/decisions/test_whatif.py).
    panel = what_if()
    assert (panel.controls["region_id"].value, panel.controls["hardware"].value) == (
        "cn-wulanchabu",
        "gu7xf-8xGU108",
    )
    assert chart(panel)[3] == (23_932.70, 10_658.00)
    assert "illustrative" not in panel.summary.value


def test_a_start_date_shows_the_cheapest_plan():
    panel = what_if(CATALOG, usage_hours_per_day=24)
    assert CSS_CLASSES["start"] in panel.controls["start"]._dom_classes
    assert CSS_CLASSES["plan"] in panel.plan._dom_classes
    assert panel.plan.value.startswith("Give a start date")
    # one month from 1 January: 31 days at 24 h/day, 32,587.20 pay-as-you-go; one month
    # subscribed, 23,932.70, expiring 1 February, renew by 2 February
    panel.controls["start"].value = "2026-01-01"
    assert "calendar months from 2026-01-01 to 2026-02-01" in panel.summary.value
    assert "32,587.20 USD pay-as-you-go" in panel.summary.value
    assert "23,932.70" in panel.plan.value and "2026-02-02" in panel.plan.value
    # a start that is no date leaves the chart and says what to change
    panel.controls["start"].value = "<b>soon</b>"
    assert panel.summary.value.startswith("<b>Cannot compute</b>: start:")
    assert "&lt;b&gt;soon&lt;/b&gt;" in panel.summary.value
    panel.controls["start"].value = ""
    assert "(a month = 730 h)" in panel.summary.value


def test_the_panel_starts_each_pair_with_its_held_nodes(tmp_path):
    held = tmp_path / "held.csv"
    held.write_text(
        "region_id,spec,nodes,expiry\ncn-wulanchabu,ml.gu7xf.c96m1600.8-gu108,1,2027-01-01\n"
    )
    panel = what_if(paths.DOCUMENTED_CATALOG, held=held, nodes=3, usage_hours_per_day=24)
    assert panel.controls["held_nodes"].value == 1
    # 2 nodes beyond the held one: 2 x 23,932.70 = 47,865.40 a month
    assert panel.result.subscription_cost == 47865.4
    panel.controls["held_nodes"].value = 0  # 3 x 23,932.70 = 71,798.10
    assert panel.result.subscription_cost == 71798.1


def test_a_general_spec_is_priced_against_its_public_resource():
    # tests/data/whatif_public_catalog.csv (illustrative): ecs.g6.2xlarge-8c32g at 150.00
    # USD a month against the DLC public resource ecs.g6.2xlarge at 0.61 USD an hour
    catalog = CATALOG.with_name("whatif_public_catalog.csv")
    panel = what_if(catalog, usage_hours_per_day=8)
    c = panel.controls
    assert c["hardware"].options == (
        ("g6: ecs.g6.2xlarge-8c32g / ecs.g6.2xlarge (public resource)", "g6"),
    )
    # 8 h/day = 14,600 min: 0.61 x 14,600 / 60 = 148.4333... -> 148.43 against 150.00
    assert chart(panel)[3] == (150.00, 148.43)
    assert "the public resource ecs.g6.2xlarge (DLC/DSW, 0.61 USD/hour" in panel.summary.value
    assert "Pay-as-you-go, public resource (DLC/DSW)" in panel.provenance.value
    assert "Subscription only here" in panel.provenance.value and "<code>g7</code>" in (
        panel.provenance.value
    )
    # 10 % off the hourly price: 0.549 USD/hour; 10 h/day = 18,250 min:
    # 0.549 x 18,250 / 60 = 166.9875 -> 166.99 > 150.00: the subscription is cheaper
    c["payg_percent_off"].value = 10
    c["usage_hours_per_day"].value = 10
    assert chart(panel)[3] == (150.00, 166.99)
    assert "subscription is cheaper, 150.00 USD against 166.99 USD" in panel.summary.value
    assert "0.549 USD/hour" in panel.provenance.value
    with pytest.raises(PaiModelError, match="stays subscription-only"):
        what_if(catalog, hardware="g7", region_id="cn-shanghai")
