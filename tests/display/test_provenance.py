"""Where a report's prices come from: sources, dates, ages. Hand-checked numbers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pai_model.data.catalog import read_catalog
from pai_model.decisions.comparison import break_even_table
from pai_model.display.provenance import ILLUSTRATIVE_WARNING, price_sources, provenance_markdown

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


def test_provenance_counts_prices_older_than_the_limit(table):
    # the test catalog's documented prices are as of 2026-03-24, the illustrative ones
    # 2026-11-01: on 2026-05-01 only the 2 documented ones are older than 30 days
    # (7 + 30 + 1 = 38 days); on 2026-12-15 all 6 are (266 days for the oldest)
    early = provenance_markdown(table, today=date(2026, 5, 1))
    assert "**2 of 6 prices were read more than 30 days ago** (oldest 2026-03-24, 38 days)" in early
    late = provenance_markdown(table, today=date(2026, 12, 15), max_age_days=30)
    assert "**6 of 6 prices were read more than 30 days ago** (oldest 2026-03-24, 266 days)" in late
    assert "more than" not in provenance_markdown(table, today=date(2026, 3, 24))
