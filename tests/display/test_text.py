"""Generated report text: provenance, break-even summary, selections. Hand-checked numbers."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pai_model.data.catalog import read_catalog
from pai_model.decisions.comparison import break_even_table
from pai_model.decisions.fleet import plan_fleet
from pai_model.display.text import (
    ILLUSTRATIVE_WARNING,
    breakeven_display,
    breakeven_summary,
    fleet_summary,
    heading,
    price_sources,
    project_days,
    provenance_markdown,
    select_pairs,
    styled,
)
from pai_model.errors import PaiModelError

TEST_CATALOG = Path(__file__).resolve().parents[1] / "data" / "report_catalog.csv"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return break_even_table(read_catalog(TEST_CATALOG))


def test_price_sources_and_provenance(table):
    assert price_sources(table).values.tolist() == [
        ["documented", "https://example.com/pai-billing", "2026-03-24", 2],
        ["illustrative", "illustrative", "2026-11-01", 4],
    ]
    text = provenance_markdown(table)
    assert text.splitlines()[0] == (
        "**Prices used:** 2 documented, 4 illustrative (3 offer pairs)."
    )
    assert "- illustrative: 4 prices, made up for this demo, as of 2026-11-01" in text
    assert "- *ASSUMPTION: test pairing of two GU108 specs*" in text
    assert text.endswith(ILLUSTRATIVE_WARNING)


def test_breakeven_summary_at_12_hours(table):
    lines = breakeven_summary(table, usage_hours_per_day=12).splitlines()
    # 12 h/day = 21,900 min: gpux 4,380 / 0.2 = 21,900 min, exactly the break-even
    # Beijing's gpux breaks even sooner (12.00 h/day) but cannot be bought now: the headline
    # names only pairs bought both ways: Ulanqab's gu108, 23,932.70 / 0.73 = 32,784.52 min
    # a month = 546.41 h = 17.96 h/day of a 730 h month
    assert lines[0] == (
        "A subscription pays off soonest in **China (Ulanqab)** for gu108, above 17.96 h/day."
        " Months of 730 h; savings are per node and month."
    )
    assert lines[2] == (
        "- **China (Beijing)**, gpux *(illustrative prices, cannot be bought now)*: subscribe above"
        " 12.00 h/day (50.0% of the month). At 12 h/day both cost the same per node-month"
        " (4,380.00 USD against 4,380.00 USD subscribed)."
    )
    # gu108: 0.50 x 21,900 = 10,950.00 against 17,520.00: 6,570.00 saved
    assert "At 12 h/day pay-as-you-go saves 6,570.00 USD per node-month" in lines[3]
    # Ulanqab: 0.73 x 21,900 = 15,987.00 against 23,932.70: 7,945.70 saved
    assert "At 12 h/day pay-as-you-go saves 7,945.70 USD per node-month" in lines[4]


def test_breakeven_summary_when_payg_always_wins():
    table = break_even_table(read_catalog(TEST_CATALOG), hours_per_month=720)
    cheap = table.assign(payg_price_per_minute=0.01, break_even_utilization=1.5)
    line = breakeven_summary(cheap.iloc[[0]], usage_hours_per_day=24).splitlines()[-1]
    # 24 h/day of a 720 h month = 43,200 min x 0.01 = 432.00 against 4,380.00
    assert "pay-as-you-go is cheaper even at 24 h/day" in line
    assert "pay-as-you-go saves 3,948.00 USD" in line
    # no pair breaks even within a day, so the headline names no "soonest" subscription
    headline = breakeven_summary(cheap, usage_hours_per_day=24).splitlines()[0]
    assert headline == (
        "Pay-as-you-go is cheaper at any usage for every offer pair shown."
        " Months of 720 h; savings are per node and month."
    )


def test_project_days_refuses_a_bad_month_convention():
    with pytest.raises(PaiModelError, match="hours_per_month must be above 0"):
        project_days(10, hours_per_month=0)


def test_select_pairs(table):
    assert select_pairs(table, regions=["cn-beijing"])["hardware"].tolist() == ["gpux", "gu108"]
    assert select_pairs(table, hardware=["gu108"])["region_id"].tolist() == [
        "cn-beijing",
        "cn-wulanchabu",
    ]
    assert select_pairs(table).attrs == table.attrs
    with pytest.raises(
        PaiModelError, match="no offer pair with region_id 'xx'; known: cn-beijing, cn-wulanchabu"
    ):
        select_pairs(table, regions=["xx"])
    with pytest.raises(PaiModelError, match="offers any of"):
        select_pairs(table, regions=["cn-wulanchabu"], hardware=["gpux"])


def test_breakeven_display(table):
    shown = breakeven_display(table)
    assert shown.iloc[0].tolist() == [
        "China (Beijing)",
        "gpux",
        "4,380.00 USD",
        "0.20 USD/minute",
        "12.00",
        "50.0%",
        "-",  # no year price in the catalog: none shown, none derived
        "-",
        "no",
        "illustrative",
    ]
    # prices show every decimal they have (a catalog allows 6), never a rounded view:
    # 78.945 stays 78.945 (not 78.94 or 78.95), 0.012345 stays 0.012345 (not 0.0123)
    precise = breakeven_display(
        table.assign(subscription_price_per_month=78.945, payg_price_per_minute=0.012345)
    )
    assert precise.iloc[0, 2:4].tolist() == ["78.945 USD", "0.012345 USD/minute"]


HOSTILE_CATALOG = Path(__file__).resolve().parents[1] / "data" / "hostile_catalog.csv"
# markup a catalog may hold: none of it may reach a report as markup
RAW_MARKUP = ("<img", "<script", "<svg", "<iframe", "<b>", "<a>")
# a Markdown link is live only when its "]" is not backslashed
LIVE_LINK = re.compile(r"(?<!\\)\]\(javascript")


def test_text_from_a_hostile_catalog_is_escaped_in_markdown_and_tables():
    catalog = read_catalog(HOSTILE_CATALOG)
    table = break_even_table(catalog)
    texts = {
        "provenance": provenance_markdown(table),
        "summary": breakeven_summary(table, usage_hours_per_day=8),
        "heading": heading("<script>alert(6)</script> report", {"Catalog": "<b>a</b>.csv"}),
        "table": styled(breakeven_display(table)).to_html(),
    }
    for name, text in texts.items():
        found = [m for m in RAW_MARKUP if m in text]
        assert not found, f"{name}: raw markup {found} in {text!r}"
        assert not LIVE_LINK.search(text), f"{name}: a live link in {text!r}"
    # shown as text: entities for HTML, backslashes for Markdown punctuation
    assert "&lt;img src=x onerror=alert(1)&gt;" in texts["summary"]
    assert "\\*\\*bold\\*\\* \\| table" in texts["summary"]
    assert "&lt;svg onload=alert(3)&gt;" in texts["provenance"]
    assert "\\[click\\](javascript:alert(4))" in texts["provenance"]
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in texts["table"]


def test_fleet_summary_escapes_fleet_text():
    catalog = read_catalog(HOSTILE_CATALOG)
    fleet = pd.DataFrame(
        {
            "region_id": ["cn-wulanchabu", "cn-wulanchabu"],
            "hardware": ["<script>alert(2)</script>", "<img src=y onerror=alert(7)>"],
            "quantity": [1, 1],
            "usage_hours_per_day": [8, 8],
            "months": [1, 1],
        }
    )
    text = fleet_summary(plan_fleet(fleet, catalog))
    assert not [m for m in RAW_MARKUP if m in text], text
    assert "1 x &lt;img src=y onerror=alert(7)&gt; in cn\\-wulanchabu" not in text
    assert "1 x &lt;img src=y onerror=alert(7)&gt; in cn-wulanchabu" in text


def test_provenance_counts_prices_older_than_the_limit(table):
    # the test catalog's documented prices are as of 2026-03-24, the illustrative ones
    # 2026-11-01: on 2026-05-01 only the 2 documented ones are older than 30 days
    # (7 + 30 + 1 = 38 days); on 2026-12-15 all 6 are (266 days for the oldest)
    early = provenance_markdown(table, today=date(2026, 5, 1))
    assert "**2 of 6 prices were read more than 30 days ago** (oldest 2026-03-24, 38 days)" in early
    late = provenance_markdown(table, today=date(2026, 12, 15), max_age_days=30)
    assert "**6 of 6 prices were read more than 30 days ago** (oldest 2026-03-24, 266 days)" in late
    assert "more than" not in provenance_markdown(table, today=date(2026, 3, 24))
