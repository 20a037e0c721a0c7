"""``pai-cost catalog diff OLD NEW``: what changed between two catalogs.

Offers are matched on (``region_id``, ``spec``). Price changes are computed exactly from
the decimal prices (the float64 of a loaded catalog is read back as the decimal it
stands for), the percent relative to the old price, rounded half up to 2 decimals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from pai_model.data.freshness import MAX_AGE_DAYS, stale_note
from pai_model.data.schemas import PRICES as PRICE_COLUMNS

#: Columns of :attr:`CatalogDiff.changes`.
CHANGE_COLUMNS = (
    "change",
    "region_id",
    "spec",
    "column",
    "old",
    "new",
    "difference",
    "percent",
)
_KEY = ["region_id", "spec"]


@dataclass(frozen=True)
class CatalogDiff:
    """Result of :func:`diff_catalogs`."""

    #: One row per change: ``change`` is price, currency, stock, added or removed;
    #: ``column`` the catalog column; ``old``/``new`` as text; ``difference`` (new - old)
    #: and ``percent`` for prices (empty otherwise).
    changes: pd.DataFrame
    #: One line: how many of each kind.
    summary: str
    #: Stale-price warnings of either catalog.
    notes: list[str] = field(default_factory=list)


def diff_catalogs(
    old: pd.DataFrame,
    new: pd.DataFrame,
    *,
    max_age_days: int = MAX_AGE_DAYS,
    today: date | None = None,
) -> CatalogDiff:
    """Compare two loaded catalogs.

    Parameters
    ----------
    old, new : pandas.DataFrame
        Catalogs from :func:`~pai_model.data.catalog.read_catalog`.
    max_age_days : int, default 30
        Prices of ``new`` (and ``old``) read more than this many days before ``today`` are
        flagged in ``notes``. [day]
    today : datetime.date, optional
        Reference day of the age check; default today (UTC).

    Returns
    -------
    CatalogDiff

    Examples
    --------
    >>> from pai_model import paths
    >>> from pai_model.data.catalog import read_catalog
    >>> old = read_catalog(paths.DOCUMENTED_CATALOG)
    >>> new = old.copy()
    >>> new.loc[2, "payg_price_per_minute"] = 0.75  # was 0.73
    >>> diff = diff_catalogs(old, new, today=date(2026, 4, 1))
    >>> diff.changes[["change", "spec", "old", "new", "difference", "percent"]].values.tolist()
    [['price', 'ml.gu7xf.8xlarge-gu108', '0.73', '0.75', '0.02', '2.74']]
    """
    merged = old.merge(new, on=_KEY, how="outer", suffixes=("_old", "_new"), indicator=True)
    rows: list[dict[str, str]] = []
    for record in merged.sort_values(_KEY).to_dict("records"):
        where = {"region_id": record["region_id"], "spec": record["spec"]}
        if record["_merge"] == "left_only":
            rows.append({"change": "removed", **where, "old": _offer(record, "_old")})
            continue
        if record["_merge"] == "right_only":
            rows.append({"change": "added", **where, "new": _offer(record, "_new")})
            continue
        for column in PRICE_COLUMNS:
            before, after = _decimal(record[f"{column}_old"]), _decimal(record[f"{column}_new"])
            if before == after:
                continue
            row = {"change": "price", **where, "column": column}
            row.update(old=_text(before), new=_text(after))
            if before is not None and after is not None:
                percent = ((after - before) / before * 100).quantize(
                    Decimal("0.01"), rounding=ROUND_HALF_UP
                )
                row.update(difference=_text(after - before), percent=_text(percent))
            rows.append(row)
        for column, kind in (("currency", "currency"), ("in_stock", "stock")):
            if record[f"{column}_old"] != record[f"{column}_new"]:
                rows.append(
                    {
                        "change": kind,
                        **where,
                        "column": column,
                        "old": str(record[f"{column}_old"]).lower(),
                        "new": str(record[f"{column}_new"]).lower(),
                    }
                )
    changes = pd.DataFrame(rows, columns=list(CHANGE_COLUMNS), dtype=object).fillna("")
    counts = changes["change"].value_counts()
    kinds = ("price", "added", "removed", "stock", "currency")
    summary = ", ".join(f"{int(counts.get(k, 0))} {k}" for k in kinds)
    notes = [
        note
        for catalog, name in ((new, "NEW"), (old, "OLD"))
        if (note := stale_note(catalog, max_age_days, today, name=name)) is not None
    ]
    return CatalogDiff(changes, f"{len(changes)} changes: {summary}.", notes)


def _decimal(value: float) -> Decimal | None:
    return None if pd.isna(value) else Decimal(repr(float(value)))


def _text(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _offer(record: dict, suffix: str) -> str:
    prices = [
        f"{column.removesuffix('_price_per_month').removesuffix('_price_per_minute')}"
        f" {_text(_decimal(record[column + suffix]))}"
        for column in PRICE_COLUMNS
        if not pd.isna(record[column + suffix])
    ]
    return f"{', '.join(prices)} {record['currency' + suffix]}"
