"""``pai-cost app``: user errors are one clear message each, before any server starts.

The served dashboard itself is tested in a browser (tests/browser/test_voila.py).
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from cli_runs import Run, pai_cost

CATALOG = Path(__file__).resolve().parents[1] / "data" / "whatif_catalog.csv"


def app(*arguments: str) -> Run:
    return pai_cost("app", *arguments)


def assert_refused(result: Run, message: str) -> None:
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert message in result.stderr
    assert "what-if dashboard at" not in result.stdout  # no server was started


def test_bad_catalog_is_reported_before_serving(tmp_path):
    bad = tmp_path / "bad.csv"
    lines = CATALOG.read_text().splitlines()
    bad.write_text(lines[0] + "\n" + lines[2].replace("23932.70", "lots") + "\n")
    assert_refused(
        app("--catalog", str(bad)),
        f"pai-cost: error: {bad}: line 2: subscription_price_per_month = 'lots'",
    )


def test_catalog_without_pairs_is_refused(tmp_path):
    general = tmp_path / "general.csv"
    general.write_text("\n".join(CATALOG.read_text().splitlines()[:2]) + "\n")
    assert_refused(
        app("--catalog", str(general)),
        "has no region and hardware with both a subscription and a pay-as-you-go price",
    )


def test_busy_port_is_refused():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = app("--catalog", str(CATALOG), "--port", str(port))
    assert_refused(result, f"port {port} on 127.0.0.1 is in use; choose another with --port")


@pytest.mark.parametrize("port", ["0", "70000"])
def test_port_out_of_range_is_refused(port):
    assert_refused(app("--port", port), f"--port must be from 1 to 65535; got {port}")


def test_max_kernels_below_one_is_refused():
    assert_refused(app("--max-kernels", "0"), "--max-kernels must be at least 1; got 0")


def test_cull_window_below_one_second_is_refused():
    assert_refused(app("--cull-seconds", "0"), "--cull-seconds must be at least 1; got 0")


@pytest.mark.parametrize(
    "host",
    [
        *("", "*", "http://evil.example", "evil.example/", "a b", "-a.example", "a..b"),
        *("[::1]:8866", "localhost:0", "localhost:65536", "localhost:", "localhost:80:80"),
    ],
)
def test_bad_allow_host_is_refused(host):
    assert_refused(
        app("--allow-host", "box.lan", f"--allow-host={host}"),
        "--allow-host takes a host name such as my-box.lan, or NAME:PORT such as"
        f" localhost:9000; got {host!r}",
    )


def test_help_explains_the_limits_and_the_host_check():
    result = app("--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())  # argparse wraps lines at the terminal width
    for option in ("--max-kernels N", "--allow-host NAME", "--port P", "--catalog FILE"):
        assert option in text
    assert "--cull-seconds" not in text  # the tests' option stays out of the user's way
    # 30 s idle, culler every 30 // 3 = 10 s: a vanished page's kernel is gone within 40 s.
    assert "culled after 30 s without a connection, within 40 s" in text
    assert "(default 4)" in text
    assert "at its limit" in text
    assert "Only requests addressed to 127.0.0.1:P or localhost:P are answered (403" in text
    assert "DNS rebinding" in text


@pytest.mark.parametrize("option", ["--port", "--max-kernels"])
def test_non_integer_counts_are_refused(option):
    assert_refused(app(option, "4.5"), f"pai-cost app: error: argument {option}: invalid int value")
