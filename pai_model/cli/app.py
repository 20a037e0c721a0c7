"""``pai-cost app``: the what-if panel as a dashboard (Voila), for people who skip notebooks.

Serves ``notebooks/what_if.ipynb`` with Voila on 127.0.0.1, code hidden. The catalog is
loaded and checked first, so a bad file is reported before any server starts; it reaches
the notebook through papermill's parameter injection into a temporary copy.
"""

from __future__ import annotations

import argparse
import errno
import socket
import tempfile
from pathlib import Path

from ..errors import PaiModelError
from ._common import add_catalog_option, load, warn_illustrative

#: Voila's own default port.
DEFAULT_PORT = 8866
HOST = "127.0.0.1"
NOTEBOOK = "what_if.ipynb"


class AppError(PaiModelError):
    """The dashboard cannot be served with these options."""


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
    )
    add_catalog_option(parser)
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        metavar="P",
        help=f"port to listen on (default {DEFAULT_PORT})",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..whatif import offer_pairs

    catalog = load(args)
    offer_pairs(catalog)  # refuses a catalog without any pair to compare, before serving
    _check_port(args.port)
    warn_illustrative(catalog)
    catalog_path = str(Path(args.catalog).resolve()) if args.catalog else None
    with tempfile.TemporaryDirectory(prefix="pai-cost-app-") as folder:
        notebook = _parameterized_notebook(Path(folder), catalog_path)
        _serve(notebook, args.port)
    return 0


def _check_port(port: int) -> None:
    if not 1 <= port <= 65535:
        raise AppError(f"--port must be from 1 to 65535; got {port}")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise AppError(
                    f"port {port} on {HOST} is in use; choose another with --port"
                ) from None
            raise AppError(f"cannot listen on {HOST}:{port} ({error.strerror})") from None


def _parameterized_notebook(folder: Path, catalog_path: str | None) -> Path:
    """A copy of the what-if notebook with ``catalog`` injected (papermill's way)."""
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from ..paths import NOTEBOOK_DIR

    notebook = load_notebook_node(str(NOTEBOOK_DIR / NOTEBOOK))
    notebook = parameterize_notebook(notebook, {"catalog": catalog_path or ""})
    target = folder / NOTEBOOK
    nbformat.write(notebook, target)
    return target


def _serve(notebook: Path, port: int) -> None:
    """Run Voila in this process until Ctrl+C or SIGTERM (Voila stops its kernels).

    The URL is printed from the event loop's first callback, which runs only once Voila
    listens on the port: a user who opens it at once finds the dashboard there.
    """
    from tornado.ioloop import IOLoop
    from voila.app import Voila

    url = f"http://{HOST}:{port}/"
    IOLoop.current().add_callback(
        print, f"pai-cost: what-if dashboard at {url} (Ctrl+C stops it)", flush=True
    )
    Voila.launch_instance(
        argv=[
            str(notebook),
            "--no-browser",
            f"--Voila.ip={HOST}",
            f"--Voila.port={port}",
            "--Voila.port_retries=0",
            "--strip_sources=True",
        ]
    )
