"""``pai-cost backtest``: how the planner's past recommendations would have done."""

from __future__ import annotations

import argparse
import sys

from pai_model.cli._common import (
    add_catalog_option,
    add_format_option,
    add_fx_option,
    emit,
    fx,
    load,
)
from pai_model.cli._usage import add_engine_options, add_synthetic_days


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "backtest",
        help="walk-forward test of the planner on a usage history (bills, jobs or synthetic)",
        description=(
            "Plans on months 1..m of the history, bills month m+1 with that plan and with"
            " all pay-as-you-go on the actual usage, and repeats; reports realized savings"
            " against all pay-as-you-go and against the best plan in hindsight."
        ),
        epilog=(
            "SOURCE is a FOCUS export (file, folder, glob or URL), a jobs CSV (start, end,"
            " region_id, hardware, nodes), or 'synthetic'. Chart: pai-cost report backtest"
        ),
    )
    parser.add_argument("source", metavar="SOURCE", help="bills, jobs CSV, or 'synthetic'")
    parser.add_argument(
        "--min-train-months",
        type=int,
        default=1,
        metavar="M",
        help="calendar months in the first training window (default 1)",
    )
    parser.add_argument(
        "--horizon",
        type=int,
        default=1,
        metavar="M",
        help="months each plan is bought and billed for (default 1)",
    )
    add_synthetic_days(parser)
    add_format_option(parser)
    add_engine_options(parser)
    add_catalog_option(parser)
    add_fx_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pai_model.decisions.backtest import backtest, history
    from pai_model.formulas.currency import rates_text

    catalog = load(args)
    rates = fx(args)
    jobs = history(
        args.source,
        catalog,
        synthetic_days=args.synthetic_days,
        spec_column=args.spec_column,
        fx=rates,
    )
    result = backtest(jobs, catalog, min_train_months=args.min_train_months, horizon=args.horizon)
    if jobs.attrs.get("rates"):
        print(
            f"pai-cost: note: {rates_text(jobs.attrs['rates'])}: usage billed in another"
            " currency than the catalog is planned with the catalog's prices",
            file=sys.stderr,
        )
    if args.format == "table":
        emit(result.by_fold, "table")
        print()
        emit(result.totals, "table")
    else:
        emit(result.folds, args.format)
    for note in result.notes:
        print(f"pai-cost: note: {note}", file=sys.stderr)
    return 0
