"""Options shared by the commands that read the user's Alibaba Cloud account."""

from __future__ import annotations

import argparse
from typing import Any

from pai_model.account.bss import SITE_CHOICES
from pai_model.account.calls import (
    MAX_BACKOFF,
    MAX_RATE,
    MAX_RETRIES,
    MAX_TIMEOUT,
    MAX_TOTAL_WAIT,
    MIN_RATE,
    check_call_options,
)


def add_account_options(parser: argparse.ArgumentParser) -> None:
    """``--endpoint``, ``--profile``, retries, timeout, rate and ``--save-responses``."""
    group = parser.add_argument_group(
        "account access",
        "Credentials come only from Alibaba Cloud's default credential chain (environment"
        " variables ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET, OIDC,"
        " ~/.aliyun/config.json, ~/.alibabacloud/credentials.ini, the ECS RAM role); they"
        " are never taken on the command line, printed or written.",
    )
    group.add_argument(
        "--endpoint",
        action="append",
        metavar="SERVICE=HOST:PORT",
        help="send SERVICE's requests (bss, dlc, dsw, pai; SERVICE@REGION for one region,"
        " e.g. dlc@cn-beijing) to HOST:PORT (a host name or IPv4 address, port 1-65535)"
        " instead of Alibaba's endpoint; 127.0.0.1 and localhost get plain HTTP"
        " (repeatable); anything else is refused",
    )
    group.add_argument(
        "--profile", metavar="NAME", help="use this profile of ~/.aliyun/config.json"
    )
    group.add_argument(
        "--retries",
        type=int,
        default=4,
        metavar="N",
        help=f"retries of a throttled, 5xx or timed-out call, 0 to {MAX_RETRIES} (default 4);"
        f" a call waits {MAX_TOTAL_WAIT:g} s at most in all between its attempts",
    )
    group.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="S",
        help=f"seconds per request, above 0 and at most {MAX_TIMEOUT:g} (default 10)",
    )
    group.add_argument(
        "--max-rate",
        type=float,
        default=5.0,
        metavar="R",
        help=f"requests per second at most, {MIN_RATE:g} to {MAX_RATE:g} (default 5)",
    )
    group.add_argument(
        "--backoff",
        type=float,
        default=0.5,
        metavar="S",
        help=f"base of the exponential backoff between retries, 0 to {MAX_BACKOFF:g} seconds"
        f" (default 0.5; waits are random up to min({MAX_BACKOFF:g}, S x 2^attempt))",
    )
    group.add_argument(
        "--save-responses", metavar="DIR", help="keep every raw response body in DIR (JSON)"
    )


def add_site_option(parser: argparse.ArgumentParser, help: str) -> None:
    """``--site``: the BssOpenApi site (``auto`` by default), explained by ``help``."""
    parser.add_argument("--site", choices=SITE_CHOICES, default="auto", help=help)


def session(args: argparse.Namespace) -> tuple[Any, Any]:
    """The SDK clients and the caller the options describe (credentials checked first)."""
    from pai_model.account.clients import session

    check_call_options(
        retries=args.retries,
        base_backoff=args.backoff,
        max_rate=args.max_rate,
        timeout=args.timeout,
        options=True,
    )
    return session(
        profile=args.profile,
        endpoints=args.endpoint,
        timeout=args.timeout,
        retries=args.retries,
        base_backoff=args.backoff,
        max_rate=args.max_rate,
        save_dir=args.save_responses,
    )
