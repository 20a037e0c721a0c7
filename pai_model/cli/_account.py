"""Options shared by the commands that read the user's Alibaba Cloud account."""

from __future__ import annotations

import argparse
from typing import Any


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
        help="send SERVICE's requests (bss, dlc, dsw, pai; SERVICE@REGION for one region)"
        " to HOST:PORT instead of Alibaba's endpoint; 127.0.0.1 and localhost get plain"
        " HTTP (repeatable)",
    )
    group.add_argument(
        "--profile", metavar="NAME", help="use this profile of ~/.aliyun/config.json"
    )
    group.add_argument(
        "--retries",
        type=int,
        default=4,
        metavar="N",
        help="retries of a throttled, 5xx or timed-out call (default 4)",
    )
    group.add_argument(
        "--timeout", type=float, default=10.0, metavar="S", help="seconds per request (default 10)"
    )
    group.add_argument(
        "--max-rate",
        type=float,
        default=5.0,
        metavar="R",
        help="requests per second at most (default 5)",
    )
    group.add_argument(
        "--backoff",
        type=float,
        default=0.5,
        metavar="S",
        help="base of the exponential backoff between retries, in seconds (default 0.5;"
        " waits are random up to min(8, S x 2^attempt))",
    )
    group.add_argument(
        "--save-responses", metavar="DIR", help="keep every raw response body in DIR (JSON)"
    )


def session(args: argparse.Namespace) -> tuple[Any, Any]:
    """The SDK clients and the caller the options describe (credentials checked first)."""
    from pai_model.account.clients import session

    return session(
        profile=args.profile,
        endpoints=args.endpoint,
        timeout=args.timeout,
        retries=args.retries,
        base_backoff=args.backoff,
        max_rate=args.max_rate,
        save_dir=args.save_responses,
    )
