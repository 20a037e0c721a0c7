"""Text from a hostile catalog is escaped in every report's Markdown and tables."""

from __future__ import annotations

import re
from pathlib import Path

from pai_model.data.catalog import read_catalog
from pai_model.decisions.comparison import break_even_table
from pai_model.display.breakeven import breakeven_display, breakeven_summary
from pai_model.display.markdown import heading
from pai_model.display.provenance import provenance_markdown
from pai_model.display.tables import styled

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
