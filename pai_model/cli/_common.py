"""Pieces shared by the command modules."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_catalog_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--catalog",
        metavar="FILE",
        help="price catalog CSV (default: the embedded catalogs/demo.csv, whose"
        " illustrative prices are labelled as such)",
    )


def load(args: argparse.Namespace) -> Any:
    """The catalog named by ``--catalog`` (validated), or the embedded default."""
    from ..catalog import load_catalog

    return load_catalog(args.catalog)


def warn_illustrative(catalog: Any, used: Any = None) -> None:
    """Print the provenance line on stderr when illustrative prices are in use."""
    from ..catalog import ILLUSTRATIVE, describe_provenance

    rows = catalog if used is None else used
    if (rows["provenance"] == ILLUSTRATIVE).any():
        print(f"pai-cost: note: {describe_provenance(rows)}", file=sys.stderr)
