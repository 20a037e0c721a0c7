"""Every report opens with its answer and fits a 1280 x 800 screen, offline.

Each report is rendered with its defaults (once per session, shared with the other
browser tests), opened from disk in Chromium at 1280 x 800 with every request that leaves
the machine blocked, and photographed (``<name>.png`` in the test's temporary folder). The answer is the element
``id="answer"``: it starts on the first screen, and its first paragraph (for the
recommendation: the whole purchase list and grand total) ends on it. Nothing runs off
the side: neither the page nor any output scrolls sideways. Notes are collapsed at the
end, and no cell says ``nan``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from pai_model.display.reports.parameters import list_notebooks

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTH, HEIGHT = 1280, 800
REPORTS = sorted(list_notebooks())
#: Charts each report draws with its defaults.
CHARTS = {"recommendation": 3, "backtest": 1, "breakeven_by_region": 2, "commitment_plan": 4}


def test_every_report_is_checked():
    assert {"recommendation", "breakeven_by_region", "commitment_plan", "backtest"} <= set(REPORTS)


@pytest.mark.parametrize("name", REPORTS)
def test_the_answer_is_on_the_first_screen_and_nothing_scrolls_sideways(
    name, offline_page, report_with_defaults, tmp_path
):
    report = report_with_defaults(name)
    page = offline_page
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.goto(report.html.as_uri())
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].every(p => p.data)",
        timeout=30_000,
    )
    shot = tmp_path / f"{name}.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000

    box = page.evaluate(
        """() => {
            const answer = document.getElementById('answer');
            if (!answer) return null;
            const whole = answer.getBoundingClientRect();
            const first = answer.firstElementChild.getBoundingClientRect();
            return {top: whole.top, bottom: whole.bottom, first: first.bottom,
                    text: answer.innerText};
        }"""
    )
    assert box is not None, f"{name}: no element id=answer"
    assert 0 <= box["top"] < HEIGHT and box["first"] <= HEIGHT, box
    if name == "recommendation":
        # the purchase list and the grand total, whole, on the first screen
        assert box["bottom"] <= HEIGHT, box
        assert box["text"].startswith("Buy ") and "Total per month (USD): now" in box["text"]

    assert page.evaluate("document.scrollingElement.scrollWidth") <= WIDTH
    wide = page.evaluate(
        """() => [...document.querySelectorAll('.jp-OutputArea-output')]
            .filter(e => e.scrollWidth > e.clientWidth + 1)
            .map(e => e.innerText.slice(0, 80))"""
    )
    assert wide == [], f"{name}: outputs wider than the page: {wide}"

    # the notes close the report, collapsed; the answer comes before every chart
    order = page.evaluate(
        """() => {
            const all = [...document.querySelectorAll('#answer, .js-plotly-plot, details')];
            return all.map(e => e.id === 'answer' ? 'answer'
                : e.tagName === 'DETAILS' ? (e.open ? 'open' : 'notes') : 'chart');
        }"""
    )
    assert order[0] == "answer" and order[-1] == "notes", order
    assert "open" not in order
    assert order.count("chart") == CHARTS.get(name, order.count("chart"))

    text = page.inner_text("body")
    assert not re.search(r"\bnan\b", text, re.IGNORECASE), f"{name} prints nan"
    assert page.console_errors == []
    assert page.blocked_requests == []
    elsewhere = [
        url
        for url in requests
        if urlsplit(url).scheme not in ("file", "data", "blob", "about")
        and urlsplit(url).hostname != "127.0.0.1"
    ]
    assert elsewhere == []
