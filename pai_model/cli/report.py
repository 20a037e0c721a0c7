"""``pai-cost report``: execute a report notebook and render it to standalone HTML."""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
from collections.abc import Iterable
from typing import Any

from pai_model.cli._common import add_catalog_option
from pai_model.errors import PaiModelError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="render a notebook report to standalone HTML (reports/)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Execute the report notebook NAME (pai_model/display/notebooks/NAME.ipynb) with\n"
            "papermill and write a standalone HTML report (code hidden, interactive charts,\n"
            "works offline) and the executed notebook to\n"
            "reports/, named after the notebook and the parameters that differ from their\n"
            "defaults. Parameters are given as papermill's CLI takes them and checked against\n"
            "the type hints of the notebook's parameters cell before it runs (see --list).\n\n"
            "A file given as a parameter (a catalog, fleet or jobs CSV) is named by its stem\n"
            "and the first 8 hex digits of the SHA-256 of its bytes, e.g.\n"
            "breakeven_by_region__catalog-prices-1f0c3a9e.html: a report of other inputs gets\n"
            "another name and never overwrites this one, while re-rendering from the same\n"
            "bytes replaces it. Ctrl+C or SIGTERM stops the kernel, removes the temporary\n"
            "files and leaves earlier reports as they were."
        ),
        epilog=(
            "Parameters are read from -f files first, then -y texts, then -p pairs; a later\n"
            "value of a parameter replaces an earlier one.\n\n"
            "Examples:\n"
            "  pai-cost report breakeven_by_region -p usage_hours_per_day 12 \\\n"
            "      -y 'regions: [cn-beijing, cn-shanghai]'\n"
            "  pai-cost report project_length -f params.yaml -p nodes 4\n"
            "      where params.yaml holds, one per line:  region_id: cn-beijing\n"
            "                                              hardware: gu7xf-8xGU108"
        ),
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
        help="set a notebook parameter (repeatable); VALUE is read as papermill's -p reads it"
        " (True, False, None, a number, else text); lists and dicts go in -y or -f",
    )
    parser.add_argument(
        "-y",
        "--parameters-yaml",
        action="append",
        default=[],
        metavar="YAML",
        help="parameters as YAML (or JSON) text (repeatable), as papermill's -y:"
        " -y 'regions: [cn-beijing, cn-shanghai]' or -y '{\"usage_hours_per_day\": 12}'",
    )
    parser.add_argument(
        "-f",
        "--parameters-file",
        action="append",
        default=[],
        metavar="FILE",
        help="parameters from a YAML or JSON file of NAME: VALUE lines (repeatable),"
        " as papermill's -f",
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


def gather_parameters(
    pairs: Iterable[tuple[str, str]] = (),
    yaml: Iterable[str] = (),
    files: Iterable[str | os.PathLike[str]] = (),
) -> dict[str, Any]:
    """Collect report parameters from the command line in the order papermill's CLI does.

    YAML/JSON files (``-f``) first, then YAML texts (``-y``), then ``-p KEY VALUE`` pairs;
    a later value of a key replaces an earlier one. YAML is read as papermill reads it (safe,
    dates kept as text); ``-p`` values stay text, for
    :func:`~pai_model.display.reports.parameters.check_parameters` to read against the declared
    types.

    Parameters
    ----------
    pairs : iterable of (str, str)
        ``-p`` keys and values as typed; a key given twice is an error.
    yaml : iterable of str
        ``-y`` texts, each a mapping such as ``"regions: [cn-beijing, cn-shanghai]"``.
    files : iterable of path-like
        ``-f`` files holding such a mapping (YAML, or JSON, which is YAML too).

    Returns
    -------
    dict
        Parameter name -> value.

    Raises
    ------
    ReportError
        A repeated ``-p`` key, an unreadable file, invalid YAML, or YAML that is not a
        mapping of names to values.

    See Also
    --------
    pai_model.display.reports.parameters.check_parameters : checks the result against the notebook.

    Examples
    --------
    >>> gather_parameters([("months", "12")], ["regions: [cn-beijing, cn-shanghai]"])
    {'regions': ['cn-beijing', 'cn-shanghai'], 'months': '12'}
    """
    from pai_model.data.files import read_input
    from pai_model.errors import ReportError, TableError

    sources = []
    for file in files:
        try:
            sources.append((f"-f {file}", read_input(file).decode("utf-8")))
        except TableError as error:
            missing = not os.path.lexists(file)  # the system's words, as for any command
            reason = os.strerror(errno.ENOENT) if missing else error.problems[0].message
            raise ReportError(f"cannot read the parameters file {file}: {reason}") from None
        except UnicodeDecodeError:
            message = f"cannot read the parameters file {file}: not UTF-8; save it as UTF-8"
            raise ReportError(message) from None
    sources += [(f"-y {text!r}", text) for text in yaml]
    gathered: dict[str, Any] = {}
    for where, text in sources:
        gathered.update(_yaml_mapping(where, text))
    given = set()
    for key, value in pairs:
        if key in given:
            raise ReportError(f"parameter {key!r} given twice with -p; give each parameter once")
        given.add(key)
        gathered[key] = value
    return gathered


def _yaml_mapping(where: str, text: str) -> dict[str, Any]:
    import yaml
    from papermill.iorw import NoDatesSafeLoader

    from pai_model.data.yaml_text import load_yaml
    from pai_model.errors import ReportError

    try:
        found = load_yaml(text, NoDatesSafeLoader)
    except yaml.YAMLError as error:
        raise ReportError(f"{where} is not valid YAML: {' '.join(str(error).split())}") from None
    if found is None:
        return {}
    if not isinstance(found, dict) or not all(isinstance(key, str) for key in found):
        raise ReportError(
            f"{where} is not a mapping of parameter names to values;"
            " write NAME: VALUE, e.g. -y 'regions: [cn-beijing]'"
        )
    return found


def run(args: argparse.Namespace) -> int:
    from pai_model.display.reports.parameters import DEFAULT_REPORT, describe_notebooks
    from pai_model.display.reports.render import render_report
    from pai_model.errors import ReportInterrupted

    if args.list:
        if args.name or args.parameter or args.parameters_yaml or args.parameters_file:
            raise PaiModelError("--list takes no notebook name or parameters")
        print(describe_notebooks())
        return 0
    parameters = gather_parameters(args.parameter, args.parameters_yaml, args.parameters_file)
    if args.catalog is not None:
        if "catalog" in parameters:
            raise PaiModelError(
                "give the catalog either with --catalog or as a parameter, not both"
            )
        parameters["catalog"] = args.catalog
    try:
        report = render_report(
            args.name or DEFAULT_REPORT, parameters, out_dir=args.out, progress=not args.quiet
        )
    except (KeyboardInterrupt, ReportInterrupted) as stop:
        signum = getattr(stop, "signum", signal.SIGINT)
        print(
            f"pai-cost: report interrupted by {signal.Signals(signum).name}:"
            " kernel stopped, temporary files removed",
            file=sys.stderr,
        )
        return 128 + signum  # the shell's status for a process ended by that signal
    print(report.html)
    return 0
