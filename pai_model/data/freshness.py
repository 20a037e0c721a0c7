"""How old each price is: outputs that use a price older than a limit say so.

:data:`MAX_AGE_DAYS` is the kit's one default age limit (the commands' ``--max-age-days``,
the reports and the what-if panel); this module loads pandas only when a table is
checked, so the fast quote can read the limit.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from pai_model.errors import PaiModelError

if TYPE_CHECKING:
    import pandas as pd

#: Prices read more than this many days ago are flagged by default. [day]
MAX_AGE_DAYS = 30


def stale_prices(
    catalog: pd.DataFrame, max_age_days: int = MAX_AGE_DAYS, today: date | None = None
) -> pd.DataFrame:
    """The offers whose price was read more than ``max_age_days`` days before ``today``.

    Parameters
    ----------
    catalog : pandas.DataFrame
        A loaded catalog (:func:`~pai_model.data.catalog.read_catalog`; ``as_of`` datetime64).
    max_age_days : int, default 30
        Age above which a price is stale. [day]
    today : datetime.date, optional
        The reference day; default today (UTC).

    Returns
    -------
    pandas.DataFrame
        ``region_id``, ``spec``, ``as_of`` (YYYY-MM-DD) and ``age_days`` of each stale
        offer, oldest first.

    Examples
    --------
    >>> from pai_model import paths
    >>> from pai_model.data.catalog import read_catalog
    >>> documented = read_catalog(paths.DOCUMENTED_CATALOG)  # as_of 2026-03-24
    >>> stale_prices(documented, 30, today=date(2026, 4, 23)).empty  # 30 days: not yet
    True
    >>> stale = stale_prices(documented, 30, today=date(2026, 4, 24))  # 7 + 24 days
    >>> stale.loc[0, "spec"], int(stale.loc[0, "age_days"])
    ('ecs.g7.xlarge-4c16g', 31)
    """
    import pandas as pd

    if not max_age_days >= 0:
        raise PaiModelError(f"max_age_days must be 0 or more; got {max_age_days}")
    day = pd.Timestamp(today or datetime.now(UTC).date())
    as_of = pd.to_datetime(catalog["as_of"])
    table = pd.DataFrame(
        {
            "region_id": catalog["region_id"],
            "spec": catalog["spec"],
            "as_of": as_of.dt.strftime("%Y-%m-%d"),
            "age_days": (day - as_of).dt.days,
        }
    )
    stale = table[table["age_days"] > max_age_days]
    return stale.sort_values(
        ["age_days", "region_id", "spec"], ascending=[False, True, True]
    ).reset_index(drop=True)


def stale_note(
    catalog: pd.DataFrame,
    max_age_days: int = MAX_AGE_DAYS,
    today: date | None = None,
    name: str = "the catalog",
) -> str | None:
    """One line saying how many prices are older than the limit, or None when none is.

    Examples
    --------
    >>> from pai_model import paths
    >>> from pai_model.data.catalog import read_catalog
    >>> note = stale_note(read_catalog(paths.DOCUMENTED_CATALOG), 30, today=date(2026, 5, 1))
    >>> note.split(":")[0]  # 2026-03-24 to 2026-05-01: 7 + 30 + 1 days
    '3 prices in the catalog are older than 30 days (oldest 2026-03-24, 38 days)'
    """
    stale = stale_prices(catalog, max_age_days, today)
    if stale.empty:
        return None
    oldest = stale.iloc[0]
    return (
        f"{len(stale)} price{'s' if len(stale) != 1 else ''} in {name}"
        f" {'are' if len(stale) != 1 else 'is'} older than {max_age_days} days (oldest"
        f" {oldest.as_of}, {oldest.age_days} days): refresh them with `pai-cost catalog"
        " fetch` before deciding"
    )
