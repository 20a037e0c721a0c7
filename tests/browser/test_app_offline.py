"""The ``pai-cost app`` dashboard loads nothing from the internet.

Voila's lab template links Font Awesome from a CDN; the dashboard's own template
(``pai_model/display/dashboard/``) leaves it out. In Chromium with every request that
leaves the machine blocked, the page asks for nothing outside 127.0.0.1 and the console
shows no error.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from browser.what_if_steps import CATALOG, FIRST_RENDER_MS, START, wait_for_summary

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_dashboard_asks_for_nothing_outside_the_machine(pai_cost_app, offline_page):
    server = pai_cost_app("--catalog", str(CATALOG))
    page = offline_page
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    # Voila streams the page while the kernel runs its cells: wait for the answer, not "load"
    page.goto(server.url, wait_until="commit", timeout=FIRST_RENDER_MS)
    wait_for_summary(page, START, FIRST_RENDER_MS)
    page.wait_for_load_state("load", timeout=FIRST_RENDER_MS)
    elsewhere = [
        url
        for url in requests
        if urlsplit(url).scheme not in ("data", "blob", "about")
        and urlsplit(url).hostname != "127.0.0.1"
    ]
    assert elsewhere == [] and page.blocked_requests == []
    assert page.console_errors == []
    # the page is the kit's template, Voila's lab one less the CDN links
    assert "cdn.jsdelivr.net" not in page.content()
    assert any(urlsplit(url).path.startswith("/voila/static/") for url in requests)
