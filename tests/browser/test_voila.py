"""The ``pai-cost app`` dashboard in a real browser: sliders move the chart and the numbers."""

from __future__ import annotations

import pytest
from what_if_steps import CATALOG, check_what_if

pytestmark = pytest.mark.browser


def test_dashboard_follows_the_controls(pai_cost_app, browser_page):
    server = pai_cost_app("--catalog", str(CATALOG))
    assert f"what-if dashboard at {server.url}" in server.log.read_text()
    browser_page.goto(server.url)
    check_what_if(browser_page)
    # a dashboard for people who skip notebooks: no code on the page
    assert "what_if(" not in browser_page.inner_text("body")
