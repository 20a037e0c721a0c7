"""The default HTML report opens offline in Chromium and draws every chart.

The report is rendered as `pai-cost report` without a name renders it (the break-even
notebook on the embedded catalog), into a temporary folder, then opened from disk with every
network request blocked. (The recommendation report of `make run` is checked by
test_report_first_screen.py.)
"""

from __future__ import annotations

import pytest

from pai_model.data.catalog import read_catalog
from pai_model.decisions.comparison import break_even_table
from pai_model.display.reports.parameters import DEFAULT_REPORT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Charts of the break-even report: cost against usage per region, break-even utilization.
CHARTS = 2


@pytest.fixture
def default_report(report_with_defaults):
    return report_with_defaults(DEFAULT_REPORT)


def test_default_report_draws_every_chart_offline(default_report, offline_page):
    page = offline_page
    page.goto(default_report.html.as_uri())
    page.wait_for_function(
        f"""() => {{
            const plots = [...document.querySelectorAll('.js-plotly-plot')];
            return plots.length === {CHARTS} && plots.every(p => p.data && p.data.length > 0);
        }}""",
        timeout=30_000,
    )
    traces = page.evaluate(
        "[...document.querySelectorAll('.js-plotly-plot')].map(p => p.data.length)"
    )
    # every offer pair of the embedded catalog (general computing against public
    # resources included, as the notebook asks): 4 traces each in the cost chart, one bar
    # trace per hardware in the utilization chart
    pairs = break_even_table(read_catalog(), public_payg=True)
    assert traces == [4 * len(pairs), pairs["hardware"].nunique()]
    drawn = page.evaluate(
        "[...document.querySelectorAll('.js-plotly-plot')]"
        ".map(p => p.querySelectorAll('g.trace').length)"
    )
    assert all(count > 0 for count in drawn), drawn
    assert page.console_errors == []
    assert page.blocked_requests == []
    assert "Prices used:" in page.inner_text("body")
