"""The ``pai-cost app`` dashboard: in a real browser, and over raw HTTP for its guards.

Browser tests: the sliders move the chart and the numbers; a page's kernel lives while
the page is connected and goes when it closes (at once through the page's unload beacon,
or through the culler for a page that vanished without one); ``--max-kernels`` pages at
once, then a page saying the dashboard is at its limit. HTTP tests (no browser): only
requests addressed to 127.0.0.1:PORT or localhost:PORT, or to an ``--allow-host`` name,
are answered.
"""

from __future__ import annotations

import http.client
import json
import time
from urllib.parse import urlsplit

import psutil
import pytest

from browser.what_if_steps import CATALOG, FIRST_RENDER_MS, START, check_what_if, wait_for_summary

#: Written out here, not taken from the code: what a refused Host gets, {url} the server's.
REFUSED = (
    "403: this dashboard answers only at {url}. The request was addressed to another host"
    " name; to accept one, start pai-cost app with --allow-host NAME.\n"
)
AT_LIMIT = (
    "503: The dashboard is at its limit of 1 open page. Close another dashboard tab,"
    " or wait a minute, then reload this page."
)
#: A file the dashboard serves without starting a kernel.
STATIC = "/voila/static/voila.js"
#: The test cull window: idle 3 s, culler every max(1, 3 // 3) = 1 s, so gone within 4 s.
CULL_SECONDS = 3
#: Kernel shutdown and a busy 2-core machine on top of a cull window or a beacon [s].
SHUTDOWN_SLACK = 15.0


def port_of(server) -> int:
    return urlsplit(server.url).port


def request(server, host: str, path: str = "/", method: str = "GET", headers=None):
    """(status, body) of a request to ``server`` whose Host header is ``host``."""
    connection = http.client.HTTPConnection("127.0.0.1", port_of(server), timeout=120)
    try:
        connection.request(method, path, headers={"Host": host, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def local(server) -> str:
    return f"127.0.0.1:{port_of(server)}"


def kernel_model(server, kernel_id: str) -> dict | None:
    """The server's model of a kernel (with its ``connections``), None once it is gone."""
    status, body = request(server, local(server), f"/api/kernels/{kernel_id}")
    if status == 404:
        return None
    assert status == 200, body
    return json.loads(body)


def kernel_processes(server) -> list[psutil.Process]:
    return [
        child
        for child in psutil.Process(server.pid).children(recursive=True)
        if "ipykernel" in " ".join(child.cmdline())
    ]


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {timeout:.0f} s")
        time.sleep(0.2)


def open_dashboard(context, server):
    """A page showing the dashboard, its kernel connected; returns (page, kernel id)."""
    page = context.new_page()
    response = page.goto(server.url)
    assert response.status == 200
    wait_for_summary(page, START, FIRST_RENDER_MS)
    kernel_id = page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )
    wait_until(
        lambda: kernel_model(server, kernel_id)["connections"] == 1,
        SHUTDOWN_SLACK,
        "the page's websocket did not connect",
    )
    return page, kernel_id


@pytest.mark.browser
def test_dashboard_follows_the_controls(pai_cost_app, browser_page):
    server = pai_cost_app("--catalog", str(CATALOG))
    assert f"what-if dashboard at {server.url}" in server.log.read_text()
    browser_page.goto(server.url)
    check_what_if(browser_page)
    # a dashboard for people who skip notebooks: no code on the page
    assert "what_if(" not in browser_page.inner_text("body")


@pytest.mark.browser
def test_kernel_of_a_vanished_page_is_culled(pai_cost_app, browser):
    server = pai_cost_app("--catalog", str(CATALOG), "--cull-seconds", str(CULL_SECONDS))
    context = browser.new_context()
    try:
        page, kernel_id = open_dashboard(context, server)
        # A connected page keeps its kernel past the idle time.
        time.sleep(CULL_SECONDS + 1 + 2)
        assert kernel_model(server, kernel_id)["connections"] == 1
        assert len(kernel_processes(server)) == 1

        # The kernel's websocket refuses a page from another origin (jupyter_server's check).
        status, _ = request(
            server,
            local(server),
            f"/api/kernels/{kernel_id}/channels",
            headers={
                "Origin": "http://evil.example",
                "Connection": "Upgrade",
                "Upgrade": "websocket",
                "Sec-WebSocket-Version": "13",
                "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            },
        )
        assert status == 403

        # Closed without its unload beacon, as a killed browser does: the culler reclaims it.
        page.close(run_before_unload=False)
        wait_until(
            lambda: kernel_model(server, kernel_id) is None,
            CULL_SECONDS + 1 + SHUTDOWN_SLACK,
            "the kernel of the closed page was not culled",
        )
        wait_until(lambda: not kernel_processes(server), SHUTDOWN_SLACK, "a kernel lives on")
        assert "Culling 'idle' kernel" in server.log_tail(20_000)  # jupyter_server's culler
    finally:
        context.close()


@pytest.mark.browser
def test_pages_beyond_the_limit_are_told_to_wait(pai_cost_app, browser):
    # The default cull window (30 s idle) is longer than this test needs: what frees the
    # kernel here is the closing page's beacon.
    server = pai_cost_app("--catalog", str(CATALOG), "--max-kernels", "1")
    context = browser.new_context()
    try:
        first, kernel_id = open_dashboard(context, server)
        second = context.new_page()
        response = second.goto(server.url)
        assert response.status == 503
        assert second.inner_text(".voila-error") == AT_LIMIT
        assert "Traceback" not in second.content()
        assert len(kernel_processes(server)) == 1

        first.close(run_before_unload=True)
        wait_until(
            lambda: kernel_model(server, kernel_id) is None,
            SHUTDOWN_SLACK,
            "closing the tab did not free its kernel",
        )
        assert second.reload().status == 200
        wait_for_summary(second, START, FIRST_RENDER_MS)
        # Reloading at the limit: the old kernel, still stopping, no longer counts.
        assert second.reload().status == 200
        wait_for_summary(second, START, FIRST_RENDER_MS)
    finally:
        context.close()


# --- Host header: no browser needed ------------------------------------------------------


@pytest.mark.slow
def test_only_local_hosts_are_answered(pai_cost_app):
    server = pai_cost_app("--catalog", str(CATALOG))
    port = port_of(server)
    other_port = 1 if port != 1 else 2
    refused = REFUSED.format(url=server.url)
    for host in (
        "evil.example",
        f"evil.example:{port}",
        f"localhost:{other_port}",
        "localhost",  # port 80
        f"127.0.0.2:{port}",  # loopback, but not the name the dashboard is served at
        f"127.0.0.1:{port}.evil.example",
    ):
        for method, path in (
            ("GET", "/"),
            ("GET", STATIC),
            ("GET", "/api/kernels/00000000-0000-0000-0000-000000000000/channels"),
            ("POST", "/voila/api/shutdown/00000000-0000-0000-0000-000000000000"),
        ):
            assert request(server, host, path, method) == (403, refused), (host, path)
    assert not kernel_processes(server)  # nothing was started for them

    status, body = request(server, f"127.0.0.1:{port}")
    assert status == 200, body
    assert "<title>what_if</title>" in body
    # the name is case-blind; a static file shows it without starting another kernel
    for host in (f"127.0.0.1:{port}", f"LocalHost:{port}"):
        status, body = request(server, host, STATIC)
        assert status == 200, (host, body[:200])


@pytest.mark.slow
def test_allow_host_adds_names(pai_cost_app):
    server = pai_cost_app(
        "--catalog", str(CATALOG), "--allow-host", "evil.example", "--allow-host", "box.lan:9000"
    )
    port = port_of(server)
    # the guard is the same for every path (see above): a static file starts no kernel
    for host in (f"evil.example:{port}", "evil.example", "box.lan:9000"):
        status, body = request(server, host, STATIC)
        assert status == 200, (host, body[:200])
    refused = REFUSED.format(url=server.url)
    for host in (f"box.lan:{port}", f"other.example:{port}"):
        assert request(server, host) == (403, refused), host
