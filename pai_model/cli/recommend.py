"""``pai-cost recommend``: what to buy, renew or let go this month, and what it saves."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from pai_model.cli._account import add_account_options, session
from pai_model.cli._common import (
    FORMATS,
    add_buyable_months,
    add_catalog_option,
    add_format_option,
    add_fx_option,
    fx,
    load,
    output_path,
)
from pai_model.cli._usage import add_engine_options, add_synthetic_days, engine, local_client

#: The formats of the other commands, and Markdown (a pull-request or chat comment).
ANSWER_FORMATS = (FORMATS[0], "markdown", *FORMATS[1:])
#: The USAGE (or --held) word that reads the account through the SDKs.
ACCOUNT = "account"
#: Exit status when --fail-on-saving-above is passed.
SAVING_ABOVE = 3


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "recommend",
        help="the purchase list: what to buy, renew or let go, and what it saves",
        description=(
            "From usage to one answer: the subscriptions to buy, renew or let expire, and the"
            " work to keep on pay-as-you-go or move to public resources, one line each (largest"
            " monthly saving first) with its region, spec, nodes, term, date, one-time cost,"
            " monthly cost after and monthly saving, and why (utilization against break-even)."
            " Then the grand total: cost per month now (the nodes held kept, the rest on"
            " pay-as-you-go) and after, the saving with its 5th-95th percentile range and"
            " probability of a loss, coverage and utilization after, and what the same rule"
            " would have saved walking forward over the history beside the best commitment"
            " chosen in hindsight (their ratio: the capture). Then the assumptions: lookback"
            " window, price sources and their age, stock, currency."
        ),
        epilog=(
            "USAGE is any mix of: a jobs CSV/Parquet (start, end, region_id, hardware, nodes;"
            " as `pai-cost usage jobs` writes it), a FOCUS export (CSV, gzip, Parquet, folder,"
            " glob, zip, oss://; as `pai-cost usage bills` writes it or Alibaba pushes it),"
            " 'synthetic' (the kit's seeded synthetic usage, labelled), 'sample' (the embedded"
            " SYNTHETIC FOCUS export), or 'account' (bills and"
            " PAI-DLC jobs of the last --lookback days of each --region, read through the"
            " SDKs). Exit status: 0 with an answer, 2 on bad input, 3 with"
            " --fail-on-saving-above when the saving is above it. Examples:"
            " pai-cost recommend synthetic;"
            " pai-cost recommend sample --held pai_model/data/samples/subscriptions_SYNTHETIC.csv;"
            " pai-cost recommend bills/ --held held.csv --format markdown --out comment.md;"
            " pai-cost recommend account --held account --region cn-wulanchabu"
        ),
    )
    parser.add_argument(
        "usage", nargs="+", metavar="USAGE", help="jobs or FOCUS files, 'synthetic' or 'account'"
    )
    parser.add_argument(
        "--held",
        metavar="FILE|account",
        help="nodes already held: the CSV of `pai-cost subscriptions --format csv`, unchanged"
        " (or region_id, spec, nodes, expiry), or 'account' to list them through the SDKs",
    )
    parser.add_argument(
        "--start",
        metavar="DATE",
        help="when the purchases are made (ISO 8601; default: when the usage ends; with"
        " 'account': the end of the window read, default now)",
    )
    parser.add_argument(
        "--lookback",
        type=int,
        default=30,
        metavar="DAYS",
        help="days of usage the plan is made from, up to its end (default 30); the backtest's"
        " plans use as many days before each month",
    )
    parser.add_argument(
        "--months",
        type=int,
        default=1,
        metavar="M",
        help="months the subscriptions are bought for (default 1)",
    )
    add_format_option(parser, ANSWER_FORMATS)
    parser.add_argument("--out", metavar="FILE", help="write the output to FILE (atomically)")
    parser.add_argument(
        "--fail-on-saving-above",
        metavar="AMOUNT",
        help="exit with status 3 when the monthly saving is above AMOUNT (for CI)",
    )
    parser.add_argument(
        "--scenarios",
        type=int,
        default=1000,
        metavar="N",
        help="demand scenarios of the saving's range (default 1000; 0: none)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of scenarios and synthetic usage")
    add_synthetic_days(parser)
    parser.add_argument("--no-backtest", action="store_true", help="skip the walk-forward backtest")
    parser.add_argument(
        "--region",
        action="append",
        metavar="R",
        help="with 'account': region id to read (repeatable, required)",
    )
    parser.add_argument(
        "--timezone",
        metavar="TZ",
        help="time zone of job times written without a UTC offset (default UTC)",
    )
    add_engine_options(parser)
    add_buyable_months(parser)
    add_catalog_option(parser)
    add_fx_option(parser)
    add_account_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pai_model.data.files import write_text
    from pai_model.display.recommendation import recommend

    limit = _limit(args.fail_on_saving_above)
    out = output_path(args, "--out")
    catalog = load(args)
    usage, held = list(args.usage), args.held
    start = args.start
    if ACCOUNT in usage or held == ACCOUNT:
        usage, held, start = _from_account(args, catalog, usage, held)
    with engine(args) as chosen, _client(chosen, args) as client:
        answer = recommend(
            usage,
            held=held,
            catalog=catalog,
            start=start,
            lookback_days=args.lookback,
            months=args.months,
            scenarios=args.scenarios,
            seed=args.seed,
            spec_column=args.spec_column,
            synthetic_days=args.synthetic_days,
            timezone=args.timezone,
            client=client,
            backtest=not args.no_backtest,
            max_age_days=args.max_age_days,
            buyable_months=args.buyable_months,
            fx=fx(args),
        )
    text = {
        "table": answer.to_table,
        "markdown": answer.to_markdown,
        "csv": answer.to_csv,
        "json": answer.to_json,
    }[args.format]()
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        write_text(out, text if text.endswith("\n") else text + "\n")
        print(f"pai-cost: wrote the recommendation ({args.format}) to {out}", file=sys.stderr)
    for note in answer.notes:
        print(f"pai-cost: note: {note}", file=sys.stderr)
    if limit is not None and answer.totals["monthly_saving"] > limit:
        print(
            f"pai-cost: the monthly saving {answer.totals['monthly_saving']}"
            f" {answer.totals['currency']} is above --fail-on-saving-above {limit}",
            file=sys.stderr,
        )
        return SAVING_ABOVE
    return 0


def _limit(text: str | None) -> Decimal | None:
    from pai_model.errors import InputError

    if text is None:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0:
        raise InputError("--fail-on-saving-above", f"must be an amount of 0 or more; got {text!r}")
    return amount


@contextlib.contextmanager
def _client(chosen: str, args: argparse.Namespace) -> Iterator[Any]:
    """A Dask client for ``--engine dask``: the ``--scheduler`` one, or a LocalCluster of
    one single-threaded worker per core on 127.0.0.1, started for the command."""
    if chosen != "dask":
        yield None
        return
    from distributed import get_client

    if args.scheduler:
        yield get_client()
        return
    with local_client(os.cpu_count() or 1) as client:
        yield client


def _from_account(
    args: argparse.Namespace, catalog: Any, usage: list[Any], held: Any
) -> tuple[list[Any], Any, Any]:
    """Read 'account' usage (bills and PAI-DLC jobs of the lookback window) and held
    nodes through the SDKs; the window ends at --start (default now)."""
    import pandas as pd

    from pai_model.errors import InputError

    if not args.region:
        raise InputError("--region", "give the region(s) to read the account's usage and nodes")
    end = pd.Timestamp(args.start) if args.start else pd.Timestamp.now(tz="UTC").floor("min")
    end = end.tz_localize("UTC") if end.tzinfo is None else end.tz_convert("UTC")
    begin = end - pd.Timedelta(days=args.lookback)
    clients, caller = session(args)
    if ACCOUNT in usage:
        usage = [u for u in usage if u != ACCOUNT] + _account_usage(
            args, catalog, clients, caller, begin, end
        )
    if held == ACCOUNT:
        from pai_model.account.subscriptions import list_subscriptions

        held = list_subscriptions(args.region, clients, caller).table
        held.attrs["source"] = f"the account's machine groups in {', '.join(args.region)}"
    return usage, held, end.tz_convert(None)


def _account_usage(
    args: argparse.Namespace, catalog: Any, clients: Any, caller: Any, begin: Any, end: Any
) -> list[Any]:
    from pai_model.account.bills import fetch_instance_bills
    from pai_model.account.dlc_jobs import fetch_dlc_jobs
    from pai_model.decisions.usage_history import account_sources

    bills = fetch_instance_bills(
        f"{begin:%Y-%m}",
        f"{end:%Y-%m}",
        clients=clients,
        caller=caller,
        regions=args.region,
        catalog=catalog,
        today=end.date(),
    )
    inside = (bills["ChargePeriodEnd"] > begin.tz_convert(None)) & (
        bills["ChargePeriodStart"] < end.tz_convert(None)
    )
    bills = bills[inside.to_numpy()]
    jobs = fetch_dlc_jobs(
        args.region, begin, end, catalog=catalog, clients=clients, caller=caller, now=end
    )
    sources, notes = account_sources(bills, jobs, catalog, spec_column=args.spec_column)
    for note in [*bills.attrs.get("notes", []), *jobs.attrs.get("notes", []), *notes]:
        print(f"pai-cost: note: {note}", file=sys.stderr)
    if not sources:
        from pai_model.errors import UsageError

        raise UsageError(
            [
                f"the account has no bill line or PAI-DLC job from {begin:%Y-%m-%d}"
                f" to {end:%Y-%m-%d} in {', '.join(args.region)}"
            ],
            "account",
        )
    return sources
