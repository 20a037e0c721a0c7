"""The dashboard server answers hostile paths with a plain 400, never a traceback.

A real ``pai-cost app`` on 127.0.0.1 (a free port), started and stopped by the test; the
requests do not open a dashboard page, so no kernel starts.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def dashboard(tmp_path):
    port = free_port()
    env = dict(os.environ)
    for name in ("JUPYTER_RUNTIME_DIR", "JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR"):
        env[name] = str(tmp_path / name.lower())
    log = tmp_path / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from pai_model.cli import run; run()",
                "app",
                "--port",
                str(port),
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # up once it answers (the 400 needs no kernel)
            assert process.poll() is None, log.read_text(errors="replace")
            try:
                status_of(f"{base}/%ff")
                break
            except OSError:
                time.sleep(0.3)
        yield base, log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_paths_that_are_not_text_get_a_plain_400_and_no_traceback(dashboard):
    base, log = dashboard
    for path in (
        "/%ff%fe%00",
        "/%00",
        "/voila/files/%ff",
        "/a%0d%0aSet-Cookie:%20x=1",
        "/voila/static/%c3%28",
    ):
        assert status_of(base + path) == 400, path
    # a path that is text but names nothing: Voila's own refusal (403 in Voila 0.5)
    assert status_of(base + "/no/such/page") in (403, 404)
    time.sleep(0.5)  # the server's log lines of the last request
    text = log.read_text(errors="replace")
    assert "Traceback" not in text and "Uncaught exception" not in text, text
    assert "400 GET /%ff%fe%00" in text
