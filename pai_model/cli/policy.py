"""``pai-cost policy``: the least-privilege RAM policy for the commands that read the account."""

from __future__ import annotations

import argparse
import json
import sys

from pai_model.cli._common import output_path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "policy",
        help="the least-privilege RAM policy (JSON) for the account commands",
        description=(
            "Print the RAM policy (JSON, version 1) that allows every call the kit makes"
            " (catalog fetch and discover, subscriptions, usage bills and jobs, recommend"
            " account) and nothing else. Each action is taken from its API's own 'RAM"
            " authorization' table; an action not found in a documented table is named on"
            " stderr as '# UNCONFIRMED: ...'."
        ),
        epilog="example: pai-cost policy --out policy.json",
    )
    parser.add_argument("--out", metavar="FILE", help="write the policy to FILE (else stdout)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pai_model.account.clients import ram_policy, unconfirmed_actions
    from pai_model.data.files import write_text

    out = output_path(args, "--out")
    text = json.dumps(ram_policy(), indent=2) + "\n"
    for entry in unconfirmed_actions():
        message = f"# UNCONFIRMED: {entry.action} ({entry.api_name}): {entry.source}"
        print(message, file=sys.stderr)
    if out is None:
        sys.stdout.write(text)
    else:
        write_text(out, text)
    return 0
