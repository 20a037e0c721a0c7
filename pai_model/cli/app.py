"""``pai-cost app``: the what-if panel as a dashboard (Voila), for people who skip notebooks.

Serves the what_if notebook (``pai_model/display/notebooks/``) with Voila on 127.0.0.1,
code hidden. The options and
the catalog are checked first, so a bad value or file is reported before any server
starts; the catalog reaches the notebook through papermill's parameter injection into a
temporary copy. Each open page runs its own kernel: at most ``--max-kernels`` at once,
each shut down when its page closes or, for a page that vanished without saying so,
culled within :data:`CULL_IDLE_SECONDS` + :func:`cull_interval`. Only requests
addressed to 127.0.0.1 or localhost on the port (or an ``--allow-host`` name) are
answered. The server itself is in :mod:`pai_model.cli._app_server`.
"""

from __future__ import annotations

import argparse
import errno
import re
import socket
import tempfile
from pathlib import Path

from pai_model.cli._common import add_catalog_option, load, warn_illustrative
from pai_model.errors import PaiModelError

#: Voila's own default port.
DEFAULT_PORT = 8866
HOST = "127.0.0.1"
NOTEBOOK = "what_if.ipynb"
#: Most open pages (kernels of about 280 MB each) at one time.
DEFAULT_MAX_KERNELS = 4
#: A kernel with no page connected for this long is culled at the culler's next round [s].
CULL_IDLE_SECONDS = 30
#: ``--allow-host`` values: a host name or IPv4 address (dot-separated labels), and maybe
#: ``:port``. Lower case: the value is lowered first.
_LABEL = r"[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?"
HOST_NAME = re.compile(rf"(?P<name>{_LABEL}(?:\.{_LABEL})*)(?::(?P<port>[0-9]{{1,5}}))?")


def cull_interval(idle_seconds: int) -> int:
    """Seconds between the culler's rounds: a third of the idle time, at least 1 [s].

    A kernel left without its page is gone within ``idle_seconds + cull_interval(...)``.

    Examples
    --------
    >>> cull_interval(30), cull_interval(2)
    (10, 1)
    """
    return max(1, idle_seconds // 3)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "app",
        help="serve the what-if dashboard (sliders, chart, stated numbers) on 127.0.0.1",
        description=(
            "Serve the what-if panel as a web dashboard with Voila, on this machine only"
            " (127.0.0.1), without code. Pick a region and hardware, move the usage, nodes,"
            " horizon and discount controls, and read which billing method is cheaper."
            " Stop it with Ctrl+C."
        ),
        epilog=(
            "Each open page runs its own Python kernel (about 280 MB). Closing or reloading"
            " a page frees its kernel at once; a page that vanished without saying so"
            " (browser killed, connection lost) has its kernel culled after"
            f" {CULL_IDLE_SECONDS} s without a connection, within"
            f" {CULL_IDLE_SECONDS + cull_interval(CULL_IDLE_SECONDS)} s. With --max-kernels"
            " pages open, one more gets a page saying the dashboard is at its limit: close"
            " another tab or wait, then reload. Only requests addressed to 127.0.0.1:P or"
            " localhost:P are answered (403 otherwise), so a web page elsewhere cannot reach"
            " the dashboard through a host name of its own (DNS rebinding); --allow-host"
            " adds names, for example to reach it through an SSH tunnel or a proxy."
        ),
    )
    parser.add_argument(
        "--held",
        metavar="FILE",
        help="subscriptions the account holds (pai-cost subscriptions --format csv): each"
        " pair starts with its held nodes, which cost nothing more",
    )
    add_catalog_option(parser)
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        metavar="P",
        help=f"port to listen on (default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--max-kernels",
        type=int,
        default=DEFAULT_MAX_KERNELS,
        metavar="N",
        help=f"most pages open at one time, one kernel each (default {DEFAULT_MAX_KERNELS})",
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests addressed to NAME (a host name, any port) or NAME:PORT"
        " (that port only), e.g. my-box.lan or localhost:9000; repeat for more names",
    )
    # Tests shorten the cull window to seconds; users keep the default (see the epilog).
    parser.add_argument(
        "--cull-seconds", type=int, default=CULL_IDLE_SECONDS, help=argparse.SUPPRESS
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pai_model.decisions.whatif import offer_pairs

    _check_port_range(args.port)
    if args.max_kernels < 1:
        raise PaiModelError(f"--max-kernels must be at least 1; got {args.max_kernels}")
    if args.cull_seconds < 1:
        raise PaiModelError(f"--cull-seconds must be at least 1; got {args.cull_seconds}")
    hosts = allowed_hosts(args.port, args.allow_host)
    catalog = load(args)
    offer_pairs(catalog)  # refuses a catalog without any pair to compare, before serving
    _check_port_free(args.port)
    warn_illustrative(catalog)
    catalog_path = str(Path(args.catalog).resolve()) if args.catalog else None
    held_path = None
    if args.held:
        from pai_model.decisions.planning.held import held_per_pair

        held_per_pair(args.held, catalog, catalog["as_of"].max())  # checked before serving
        held_path = str(Path(args.held).resolve())
    with tempfile.TemporaryDirectory(prefix="pai-cost-app-") as folder:
        notebook = _parameterized_notebook(Path(folder), catalog_path, held_path)
        _serve(notebook, args.port, hosts, args.max_kernels, args.cull_seconds)
    return 0


def allowed_hosts(port: int, extra: list[str]) -> list[tuple[str, int | None]]:
    """The (name, port) pairs a request's Host may name; port None: any port.

    Parameters
    ----------
    port : int
        The port the dashboard listens on.
    extra : list of str
        ``--allow-host`` values: ``NAME`` (any port) or ``NAME:PORT``.

    Raises
    ------
    PaiModelError
        For a value that is not a host name (or IPv4 address) with an optional port.

    Examples
    --------
    >>> allowed_hosts(8866, ["My-Box.lan", "localhost:9000"])
    [('127.0.0.1', 8866), ('localhost', 8866), ('my-box.lan', None), ('localhost', 9000)]
    """
    hosts: list[tuple[str, int | None]] = [(HOST, port), ("localhost", port)]
    for value in extra:
        match = HOST_NAME.fullmatch(value.lower())
        extra_port = int(match["port"]) if match and match["port"] else None
        if not match or (extra_port is not None and not 1 <= extra_port <= 65535):
            raise PaiModelError(
                "--allow-host takes a host name such as my-box.lan, or NAME:PORT such as"
                f" localhost:9000; got {value!r}"
            )
        hosts.append((match["name"], extra_port))
    return hosts


def _check_port_range(port: int) -> None:
    if not 1 <= port <= 65535:
        raise PaiModelError(f"--port must be from 1 to 65535; got {port}")


def _check_port_free(port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise PaiModelError(
                    f"port {port} on {HOST} is in use; choose another with --port"
                ) from None
            raise PaiModelError(f"cannot listen on {HOST}:{port} ({error.strerror})") from None


def _parameterized_notebook(
    folder: Path, catalog_path: str | None, held_path: str | None = None
) -> Path:
    """A copy of the what-if notebook with ``catalog`` and ``held`` injected (papermill's)."""
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from pai_model.paths import NOTEBOOK_DIR

    notebook = load_notebook_node(str(NOTEBOOK_DIR / NOTEBOOK))
    notebook = parameterize_notebook(
        notebook, {"catalog": catalog_path or "", "held": held_path or ""}
    )
    target = folder / NOTEBOOK
    nbformat.write(notebook, target)
    return target


def _serve(
    notebook: Path,
    port: int,
    hosts: list[tuple[str, int | None]],
    max_kernels: int,
    cull_seconds: int,
) -> None:
    """Run Voila in this process until Ctrl+C or SIGTERM (Voila stops its kernels).

    The URL is printed from the event loop's first callback, which runs only once Voila
    listens on the port: a user who opens it at once finds the dashboard there. Settings
    are given on Voila's command line, which outranks any user config file.
    """
    import os

    from tornado.ioloop import IOLoop

    from pai_model import paths
    from pai_model.cli._app_server import BoundedKernelManager, DashboardVoila

    # the kit's template (Voila's lab template without its CDN links) is found through
    # JUPYTER_PATH, ahead of the user's folders
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(paths.DASHBOARD_DATA), os.environ.get("JUPYTER_PATH")) if p
    )

    manager = BoundedKernelManager.__name__
    url = f"http://{HOST}:{port}/"
    IOLoop.current().add_callback(
        print, f"pai-cost: what-if dashboard at {url} (Ctrl+C stops it)", flush=True
    )
    DashboardVoila.launch_instance(
        argv=[
            str(notebook),
            "--no-browser",
            f"--Voila.ip={HOST}",
            f"--Voila.port={port}",
            "--Voila.port_retries=0",
            "--strip_sources=True",
            f"--VoilaConfiguration.template={paths.DASHBOARD_TEMPLATE}",
            # A pool of pre-started kernels would hold memory for pages never opened.
            "--VoilaConfiguration.preheat_kernel=False",
            f"--VoilaConfiguration.multi_kernel_manager_class="
            f"{BoundedKernelManager.__module__}.{manager}",
            f"--{manager}.max_kernels={max_kernels}",
            # jupyter_server's culler: kernels without a connected page, idle, not busy.
            f"--{manager}.cull_idle_timeout={cull_seconds}",
            f"--{manager}.cull_interval={cull_interval(cull_seconds)}",
            f"--{manager}.cull_connected=False",
            f"--{manager}.cull_busy=False",
        ],
        allowed_hosts=hosts,
    )
