"""Pieces shared by the command modules."""

from __future__ import annotations

import argparse
import sys
from typing import Any

#: Prices read longer ago than this are flagged (the default of --max-age-days). [day]
MAX_AGE_DAYS = 30


def add_catalog_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--catalog",
        metavar="FILE",
        help="price catalog: a CSV or Parquet file, or an embedded catalog by name: 'demo'"
        " (the default: the billing page's offers plus illustrative prices, labelled as such)"
        " or 'documented' (the billing page's offers only)",
    )
    parser.add_argument(
        "--max-age-days",
        type=int,
        default=MAX_AGE_DAYS,
        metavar="D",
        help=f"say so when a price was read more than D days ago (default {MAX_AGE_DAYS})",
    )


def load(args: argparse.Namespace) -> Any:
    """The catalog named by ``--catalog`` (validated), or the embedded default.

    A note on stderr says how many of its prices are older than ``--max-age-days``.
    """
    from pai_model.data.catalog import read_catalog
    from pai_model.data.freshness import stale_note

    catalog = read_catalog(args.catalog)
    note = stale_note(catalog, max_age(args), name=args.catalog or "the embedded catalog")
    if note:
        print(f"pai-cost: note: {note}", file=sys.stderr)
    return catalog


def max_age(args: argparse.Namespace) -> int:
    from pai_model.errors import InputError

    days = getattr(args, "max_age_days", MAX_AGE_DAYS)
    if days < 0:
        raise InputError("--max-age-days", f"must be 0 or more; got {days}")
    return days


def warn_illustrative(catalog: Any, used: Any = None) -> None:
    """Print the provenance line on stderr when illustrative prices are in use.

    ``used`` is a table naming the offers used (``region_id`` and ``spec`` or the chosen
    ``*_spec`` columns); the line counts those catalog rows, each offer once.
    """
    from pai_model.data.catalog import ILLUSTRATIVE, describe_provenance
    from pai_model.data.offers import used_offers

    rows = catalog if used is None else used_offers(catalog, used)
    if (rows["provenance"] == ILLUSTRATIVE).any():
        print(f"pai-cost: note: {describe_provenance(rows)}", file=sys.stderr)
