"""``pai-cost report``: execute a report notebook and render it to standalone HTML."""

from __future__ import annotations

import argparse

from ..errors import PaiModelError
from ._common import add_catalog_option


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="render a notebook report to standalone HTML (reports/)",
        description=(
            "Execute notebooks/NAME.ipynb with papermill and write a standalone HTML report"
            " (code hidden, interactive charts, works offline) and the executed notebook to"
            " reports/, named after the notebook and the parameters that differ from their"
            " defaults. Parameters are checked against the notebook before it runs."
        ),
        epilog="Example: pai-cost report breakeven_by_region -p usage_hours_per_day 12"
        " -p regions cn-beijing,cn-shanghai",
    )
    parser.add_argument(
        "name",
        nargs="?",
        default=None,
        metavar="NAME",
        help="notebook name (default: breakeven_by_region); see --list",
    )
    parser.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("KEY", "VALUE"),
        help="set a notebook parameter (repeatable); lists as a,b or a JSON list",
    )
    parser.add_argument("--out", metavar="DIR", help="folder for the report (default: reports/)")
    parser.add_argument(
        "--list", action="store_true", help="list the report notebooks and their parameters"
    )
    parser.add_argument(
        "--quiet", action="store_true", help="no progress on stderr, only the report's path"
    )
    add_catalog_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..reports import DEFAULT_REPORT, describe_notebooks, render_report

    if args.list:
        if args.name or args.parameter:
            raise PaiModelError("--list takes no notebook name or parameters")
        print(describe_notebooks())
        return 0
    parameters: dict[str, str] = {}
    for key, value in args.parameter:
        if key in parameters:
            raise PaiModelError(f"parameter {key!r} given twice; give each parameter once")
        parameters[key] = value
    if args.catalog is not None:
        if "catalog" in parameters:
            raise PaiModelError("give the catalog either with --catalog or -p catalog, not both")
        parameters["catalog"] = args.catalog
    report = render_report(
        args.name or DEFAULT_REPORT, parameters, out_dir=args.out, progress=not args.quiet
    )
    print(report.html)
    return 0
