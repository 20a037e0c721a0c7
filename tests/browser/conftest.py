"""Real-browser fixtures: Debian's Chromium driven by playwright, and local servers.

Every test in this directory needs ``/usr/bin/chromium`` and the ``playwright`` package;
without either it is skipped with the reason (CI installs Chromium with apt, so nothing is
skipped there). ``playwright install`` cannot download on these machines, so playwright
launches the system Chromium through ``executable_path``.

Servers (JupyterLab, Voila) bind 127.0.0.1 on a free port, run in their own process group
with Jupyter's config, runtime and IPython directories in a temporary directory, and are
stopped by their pid.
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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
#: Flags measured to work headless as root in a container (see shared/JUPYTER.md).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Generous: a cold JupyterLab start on a busy 2-core machine; typical is about 3 s.
SERVER_START_TIMEOUT = 90.0


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Chromium for the whole session (playwright allows one sync session per thread)."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} not found: install it with"
            " `apt-get install -y --no-install-recommends chromium`"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def browser_page(browser: object) -> Iterator[object]:
    """A fresh page in its own browser context, closed after the test.

    Console errors are collected in ``page.console_errors`` (a list of str) so a test can
    show them when an expected state does not appear.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: (
            page.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    try:
        yield page
    finally:
        context.close()


def block_network(page: object) -> list[str]:
    """Abort every request that is neither a local file nor to 127.0.0.1/localhost.

    Returns the list that collects the URLs aborted, so a test can assert the page asked
    for nothing from the network (an offline report must draw with what it carries).
    """
    blocked: list[str] = []

    def route(route: object) -> None:
        url = route.request.url
        parts = urlsplit(url)
        local = parts.scheme in ("file", "data", "blob", "about") or parts.hostname in (
            "127.0.0.1",
            "localhost",
        )
        if local:
            route.continue_()
        else:
            blocked.append(url)
            route.abort("internetdisconnected")

    page.route("**/*", route)
    return blocked


@pytest.fixture
def offline_page(browser_page: object) -> object:
    """``browser_page`` with the network blocked; ``page.blocked_requests`` lists attempts."""
    browser_page.blocked_requests = block_network(browser_page)
    return browser_page


@pytest.fixture(scope="session")
def report_with_defaults(tmp_path_factory) -> Callable[[str], object]:
    """``report_with_defaults(name)``: the report rendered with its defaults, once per
    session (per worker) for every test that opens it; its files are only read."""
    from pai_model.display.reports.render import render_report

    rendered: dict[str, object] = {}

    def report(name: str) -> object:
        if name not in rendered:
            folder = tmp_path_factory.mktemp(f"report-{name}")
            rendered[name] = render_report(name, out_dir=folder, progress=False)
        return rendered[name]

    return report


# --- servers -----------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_jupyter_env(tmp: Path) -> dict[str, str]:
    """The current environment with Jupyter's and IPython's user directories in ``tmp``.

    Keeps tests from reading or writing the user's ~/.jupyter (workspaces, settings) and
    from picking up their config.
    """
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        directory = tmp / name.lower()
        directory.mkdir(parents=True, exist_ok=True)
        env[name] = str(directory)
    # platformdirs locations (silences jupyter_core's deprecation warning on every start)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    # The venv's python3 kernelspec first, whatever the user has installed elsewhere.
    env["JUPYTER_PREFER_ENV_PATH"] = "1"
    return env


@dataclass
class Server:
    """A server process started in its own process group."""

    process: subprocess.Popen
    url: str
    log: Path
    #: Anything the starter wants to pass on (token, base URL, served folder).
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


def start_server(
    command: Sequence[str],
    url: str,
    *,
    env: dict[str, str],
    cwd: Path,
    log: Path,
    ready_url: str | None = None,
    timeout: float = SERVER_START_TIMEOUT,
) -> Server:
    """Start ``command`` in a new process group and wait until ``ready_url`` answers.

    Any HTTP answer below 500 counts as ready: Voila answers 403 on some paths while up.
    Output goes to ``log``; it is shown if the server dies or never answers.
    """
    with log.open("wb") as sink:
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = Server(process, url, log)
    probe = ready_url or url
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"server exited with status {process.returncode}:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(probe, timeout=2):
                return server
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return server
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(
        f"server did not answer {probe} within {timeout:.0f} s:\n{server.log_tail()}"
    )


def stop_server(server: Server, grace: float = 10.0) -> None:
    """Stop the server's process group (the server and its kernels) by the server's pid."""
    if server.process.poll() is None:
        try:
            os.killpg(server.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            server.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    # Kernels are in the same group; make sure none outlives the server.
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    server.process.wait(timeout=grace)


@pytest.fixture
def jupyterlab(tmp_path: Path) -> Iterator[Server]:
    """JupyterLab on 127.0.0.1 serving an empty folder, with ``window.jupyterapp`` exposed.

    Put notebooks into ``server.extra["root"]`` (a Path) and open
    ``server.extra["base"] + "/lab/tree/<name>?token=" + server.extra["token"]``.
    """
    root = tmp_path / "lab"
    root.mkdir()
    port = free_port()
    token = os.urandom(12).hex()
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",
        # No update check against the network from the test machine.
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
    ]
    base = f"http://127.0.0.1:{port}"
    server = start_server(
        command,
        f"{base}/lab?token={token}",
        env=isolated_jupyter_env(tmp_path),
        cwd=root,
        log=tmp_path / "jupyterlab.log",
        ready_url=f"{base}/api/status?token={token}",
    )
    server.extra.update(token=token, base=base, root=root)
    try:
        yield server
    finally:
        stop_server(server)


@pytest.fixture
def pai_cost_app(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start ``pai-cost app ARGS...`` (the Voila dashboard) on a free port; stopped after.

    Call it with the command's extra arguments; it returns the running :class:`Server`,
    whose ``url`` is the dashboard's and whose ``log`` holds what the command printed.
    """
    from pai_model.paths import PACKAGE

    started: list[Server] = []

    def start(*arguments: str) -> Server:
        port = free_port()
        command = [sys.executable, "-m", "pai_model.cli", "app", "--port", str(port), *arguments]
        server = start_server(
            command,
            f"http://127.0.0.1:{port}/",
            env=isolated_jupyter_env(tmp_path),
            cwd=PACKAGE.parent,
            log=tmp_path / f"pai-cost-app-{port}.log",
            ready_url=f"http://127.0.0.1:{port}/api/status",
        )
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            stop_server(server)
