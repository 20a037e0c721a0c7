"""A fleet plan in words: text from the fleet file and the catalog is escaped."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pai_model.data.catalog import read_catalog
from pai_model.decisions.fleet import plan_fleet
from pai_model.display.fleet import fleet_summary

HOSTILE_CATALOG = Path(__file__).resolve().parents[1] / "data" / "hostile_catalog.csv"
# markup a catalog may hold: none of it may reach a report as markup
RAW_MARKUP = ("<img", "<script", "<svg", "<iframe", "<b>", "<a>")


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
