"""The ``pai-cost`` command line: one module per command, user errors as one clear line.

Each command module in this package exposes ``register(subparsers)``, which adds its
parser and sets ``func`` (called with the parsed arguments, returning an exit status).
Errors users can cause are :class:`~pai_model.errors.PaiModelError`; they are printed to
stderr, one problem per line, and the exit status is 2. No traceback reaches the user.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings

from pai_model.cli._common import SafeStream, strict_numbers
from pai_model.errors import PaiModelError, PaiModelWarning

#: Command modules, in the order ``--help`` lists them.
COMMANDS = (
    "quote",
    "breakeven",
    "project",
    "catalog",
    "report",
    "app",
    "plan",
    "subscriptions",
    "usage",
    "bill",
    "reconcile",
    "backtest",
    "recommend",
    "offers",
    "policy",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pai-cost",
        description=(
            "Subscription or pay-as-you-go for Alibaba Cloud PAI computing nodes: exact bills,"
            " break-even tables, reports and commitment plans."
        ),
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
    strict_numbers(parser)
    return parser


def _note(message, category, filename, lineno, file=None, line=None) -> None:
    """The kit's own warnings as one ``pai-cost: note:`` line each (others as usual)."""
    if issubclass(category, PaiModelWarning):
        print(f"pai-cost: note: {message}", file=sys.stderr)
    else:
        _show_warning(message, category, filename, lineno, file, line)


_show_warning = warnings.showwarning


def main(argv: list[str] | None = None) -> int:
    # Everything printed, by the kit, argparse or a warning, goes through one filter: no
    # escape sequence or control character from a server, file or argument reaches the
    # terminal, and no credential is shown.
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(sys.stdout), SafeStream(sys.stderr)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    warnings.showwarning = _note
    try:
        status = args.func(args)
    except PaiModelError as error:
        problems = getattr(error, "problems", None) or [str(error)]
        if getattr(error, "problems", None):
            print(f"pai-cost: error: {str(error).splitlines()[0]}", file=sys.stderr)
        for problem in problems:
            print(f"pai-cost: error: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("pai-cost: interrupted", file=sys.stderr)
        return 130
    finally:
        warnings.showwarning = _show_warning
    return int(status or 0)


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
