"""Where a report's prices come from: documented, from the account or illustrative, and when.

:func:`provenance_markdown` tells the kinds apart, names every source with its date, counts
the prices older than the age limit (:mod:`pai_model.data.freshness`) and ends with
:data:`ILLUSTRATIVE_WARNING` when a price is made up.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime

import pandas as pd

from pai_model.data.catalog import ACCOUNT, ILLUSTRATIVE, provenance_of
from pai_model.data.freshness import MAX_AGE_DAYS
from pai_model.display.markdown import escape_markdown
from pai_model.formulas.money_text import format_price

ILLUSTRATIVE_WARNING = (
    "**Illustrative prices** are made up for demonstration (derived from the documented"
    " prices with stated regional factors); they are not Alibaba Cloud prices. Check the"
    " console before deciding."
)


def pair_prices(pair: Mapping[str, object]) -> str:
    """Both unit prices of a break-even row at the catalog's full precision, as plain text.

    >>> print(pair_prices({"subscription_price_per_month": 1000.123456, "currency": "USD",
    ...                    "payg_price_per_minute": 0.73, "provenance": "documented"}))
    1,000.123456 USD/month against 0.73 USD/minute (documented prices)
    """
    currency = pair["currency"]
    return (
        f"{format_price(pair['subscription_price_per_month'])} {currency}/month against"
        f" {format_price(pair['payg_price_per_minute'])} {currency}/minute"
        f" ({pair['provenance']} prices)"
    )


def _date(value: object) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def price_sources(table: pd.DataFrame) -> pd.DataFrame:
    """Every price source a break-even table uses, with its date and how many prices.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~pai_model.decisions.comparison.break_even_table` rows.

    Returns
    -------
    pandas.DataFrame
        ``provenance`` ("documented", "account" or "illustrative"), ``source``, ``as_of``
        (date text) and ``prices`` (count of prices from it), documented first.
    """
    parts = [
        pd.DataFrame({"source": table[f"{m}_source"], "as_of": table[f"{m}_as_of"]})
        for m in ("subscription", "payg")
    ]
    prices = pd.concat(parts, ignore_index=True)
    prices["as_of"] = prices["as_of"].map(_date)
    prices["provenance"] = provenance_of(prices["source"])
    out = (
        prices.groupby(["provenance", "source", "as_of"], sort=True)
        .size()
        .rename("prices")
        .reset_index()
    )
    return out[["provenance", "source", "as_of", "prices"]]


def provenance_markdown(
    table: pd.DataFrame, *, max_age_days: int = MAX_AGE_DAYS, today: date | None = None
) -> str:
    """Markdown telling documented and illustrative prices apart, with sources and dates.

    Prices read more than ``max_age_days`` days before ``today`` (default: today, UTC)
    are counted in a line of their own.

    Examples
    --------
    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model.decisions.comparison import break_even_table
    >>> from pai_model import paths
    >>> text = provenance_markdown(break_even_table(read_catalog(paths.DOCUMENTED_CATALOG)))
    >>> print(text.splitlines()[0])
    **Prices used:** 2 documented, 0 illustrative (1 offer pair).
    """
    sources = price_sources(table)
    counts = sources.groupby("provenance")["prices"].sum()
    documented = int(counts.get("documented", 0))
    illustrative = int(counts.get(ILLUSTRATIVE, 0))
    account = int(counts.get(ACCOUNT, 0))
    fetched = f", {account} from your account" if account else ""
    pairs = len(table)
    lines = [
        f"**Prices used:** {documented} documented{fetched}, {illustrative} illustrative"
        f" ({pairs} offer pair{'s' if pairs != 1 else ''}).",
        "",
    ]
    for row in sources.itertuples(index=False):
        where = (
            "made up for this demo"
            if row.provenance == ILLUSTRATIVE
            else escape_markdown(row.source)
        )
        lines.append(
            f"- {row.provenance}: {row.prices} price{'s' if row.prices != 1 else ''},"
            f" {where}, as of {row.as_of}"
        )
    age = (
        pd.Timestamp(today or datetime.now(UTC).date()) - pd.to_datetime(sources["as_of"])
    ).dt.days
    old = sources[age > max_age_days]
    if len(old):
        count = int(old["prices"].sum())
        lines += [
            "",
            f"**{count} of {int(counts.sum())} prices were read more than"
            f" {max_age_days} days ago** (oldest {old['as_of'].min()},"
            f" {int(age.max())} days): check them on the console, or fetch them with"
            " `pai-cost catalog fetch`, before deciding.",
        ]
    assumptions = sorted(set(n for n in table["note"] if n.startswith("ASSUMPTION")))
    if assumptions:
        lines += ["", *(f"- *{escape_markdown(note)}*" for note in assumptions)]
    if illustrative:
        lines += ["", ILLUSTRATIVE_WARNING]
    return "\n".join(lines)
