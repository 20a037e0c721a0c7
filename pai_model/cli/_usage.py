"""Options shared by the commands that read usage: --engine, --scheduler, --focus-out,
--synthetic-days."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from typing import Any


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=("pandas", "dask"),
        default="pandas",
        help="pandas (one machine, default) or dask (partition by partition; equal results)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="address of a running Dask scheduler (e.g. tcp://10.0.0.5:8786); implies"
        " --engine dask",
    )
    parser.add_argument(
        "--spec-column",
        default="SkuId",
        metavar="COLUMN",
        help="the FOCUS column naming the node spec (default SkuId)",
    )


def add_synthetic_days(
    parser: argparse.ArgumentParser, default: int = 120, when: str = "for 'synthetic'"
) -> None:
    parser.add_argument(
        "--synthetic-days",
        type=int,
        default=default,
        metavar="DAYS",
        help=f"days of synthetic usage {when} (default {default})",
    )


def add_focus_out(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--focus-out",
        metavar="FILE",
        help="also write the cost lines as FOCUS 1.0 rows (CSV; Parquet for .parquet)",
    )


@contextlib.contextmanager
def engine(args: argparse.Namespace) -> Iterator[str]:
    """The engine to read with; connected to ``--scheduler`` while the command runs."""
    if not args.scheduler:
        yield args.engine
        return
    from distributed import Client

    from pai_model.errors import PaiModelError

    try:
        client = Client(args.scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as failure:
        raise PaiModelError(
            f"--scheduler {args.scheduler}: cannot connect ({failure}); start the scheduler"
            " or give its address as tcp://HOST:PORT"
        ) from None
    try:
        yield "dask"
    finally:
        client.close()


@contextlib.contextmanager
def local_client(workers: int) -> Iterator[Any]:
    """A Dask client of a LocalCluster of ``workers`` single-threaded worker processes on
    127.0.0.1, without a dashboard, closed on leaving."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def write_focus_out(args: argparse.Namespace, lines: Any, **options: Any) -> None:
    """Write ``lines`` as FOCUS rows to ``--focus-out``, when given (whole or not at all;
    the command checks the path before its work with ``_common.output_path``)."""
    if not args.focus_out:
        return
    from pai_model.bills.focus_export import to_focus, write_focus

    rows = to_focus(lines, **options)
    write_focus(rows, args.focus_out, option="--focus-out")
    print(f"pai-cost: wrote {len(rows):,} FOCUS rows to {args.focus_out}", file=sys.stderr)
