"""Prices the planner bills with: the offer of each pair, negotiated discounts, the
preemptible tier, and the horizon they are billed over.

Discounts are percent off the price everywhere (10 = 10 % off). The preemptible tier is
given either as the percent of the pay-as-you-go price paid or as the percent off it,
by name, so neither can be read as the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from pai_model.data.arrays import is_whole, number
from pai_model.decisions.comparison import break_even_table
from pai_model.errors import InputError, PlanError
from pai_model.formulas.arguments import MAX_MINUTES, MAX_MONTHS
from pai_model.formulas.billing import discounted_price
from pai_model.formulas.breakeven import HOURS_PER_MONTH

#: Argument names from before discounts became percent off -> what to give instead.
#: Decimal places of a percentage: a fraction of 6 decimals, the precision of a price.
PERCENT_DECIMALS = 4


def percent(value: Any, argument: str, *, paid: bool = False) -> float:
    """A checked percentage: percent off, 0 to below 100; or, with ``paid``, percent of
    the price paid, above 0 to 100. [%]"""
    amount = number(value, argument)
    inside = 0.0 < amount <= 100.0 if paid else 0.0 <= amount < 100.0
    if not inside:
        bounds = "above 0 and at most 100" if paid else "from 0 to below 100"
        raise InputError(argument, f"must be a percentage {bounds}; got {value!r}")
    if round(amount, PERCENT_DECIMALS) != amount:
        raise InputError(
            argument, f"has more than {PERCENT_DECIMALS} decimal places; got {value!r}"
        )
    return amount


def fraction(value: Any, argument: str) -> float:
    """A checked share from 0 to 1, at most 6 decimal places. [fraction]"""
    amount = number(value, argument)
    if not 0.0 <= amount <= 1.0:
        raise InputError(argument, f"must be a fraction from 0 to 1; got {value!r}")
    if round(amount, 6) != amount:
        raise InputError(argument, f"has more than 6 decimal places; got {value!r}")
    return amount


def price_after(prices: Any, percent_off: float) -> np.ndarray:
    """``price x (1 - percent_off / 100)``, rounded half up to 6 decimals (exact, billing).

    ``percent_off`` is checked (:func:`percent`) by the caller.
    """
    prices = np.asarray(prices, dtype=np.float64)
    return np.asarray(discounted_price(prices, percent_off))


@dataclass(frozen=True, init=False)
class Preemptible:
    """A preemptible (spot) tier for flexible demand above the subscribed nodes.

    Give the price as exactly one of ``percent_paid`` or ``percent_off``, both of the
    **list** pay-as-you-go price: major-customer discounts do not apply to preemptible
    instances, so a pay-as-you-go discount is never stacked on the spot price (Alibaba's
    preemptible-job page; ALIBABA_APIS.md section 9).

    Parameters
    ----------
    percent_paid : float, optional
        Percent of the pay-as-you-go price paid on preemptible nodes, above 0 to 100
        (10 = pay 10 %, as the APIs' ``SpotDiscount`` of 0.1). [%]
    percent_off : float, optional
        Percent off the pay-as-you-go price, 0 to below 100 (90 = pay 10 %). [%]
    interruption_overhead : float, default 0.1
        Share of the work run again after interruptions, billed too, 0 to 1. [fraction]
    flexible_share : float, default 1.0
        Share of the pay-as-you-go node-minutes that may be interrupted, 0 to 1. [fraction]

    Raises
    ------
    InputError
        For both prices or neither, a value out of range, or an old spelling
        (``spot_discount``), named.

    Examples
    --------
    >>> Preemptible(percent_off=90) == Preemptible(percent_paid=10)
    True
    >>> Preemptible(percent_paid=12.5).percent_off
    87.5
    """

    #: Percent of the pay-as-you-go price paid. [%]
    percent_paid: float
    interruption_overhead: float
    flexible_share: float

    def __init__(
        self,
        *,
        percent_paid: float | None = None,
        percent_off: float | None = None,
        interruption_overhead: float = 0.1,
        flexible_share: float = 1.0,
    ) -> None:
        if (percent_paid is None) == (percent_off is None):
            raise InputError(
                "percent_paid",
                "give exactly one of percent_paid (percent of the pay-as-you-go price paid:"
                " 10 = pay 10 %) or percent_off (percent off that price: 90 = pay 10 %)",
            )
        if percent_paid is None:
            off = Decimal(repr(percent(percent_off, "percent_off")))
            paid = float(Decimal(100) - off)
        else:
            paid = percent(percent_paid, "percent_paid", paid=True)
        object.__setattr__(self, "percent_paid", paid)
        object.__setattr__(
            self,
            "interruption_overhead",
            fraction(interruption_overhead, "interruption_overhead"),
        )
        object.__setattr__(self, "flexible_share", fraction(flexible_share, "flexible_share"))

    @property
    def percent_off(self) -> float:
        """Percent off the pay-as-you-go price (100 - :attr:`percent_paid`). [%]"""
        return float(Decimal(100) - Decimal(repr(self.percent_paid)))


def horizon(months: int, hours_per_month: float) -> tuple[int, float]:
    """Checked months and the horizon in minutes, which one pay-as-you-go line must fit."""
    if not is_whole(months) or not 1 <= months <= MAX_MONTHS:
        raise InputError(
            "months", f"must be a whole number of months from 1 to {MAX_MONTHS}; got {months!r}"
        )
    if not 0 < number(hours_per_month, "hours_per_month") <= 31 * 24:
        raise InputError(
            "hours_per_month", f"must be above 0 and at most 744; got {hours_per_month!r}"
        )
    minutes = int(months) * float(hours_per_month) * 60.0
    if minutes > MAX_MINUTES:
        raise InputError(
            "months",
            f"{months} months of {hours_per_month:g} hours exceed the {MAX_MINUTES:,} minutes"
            " (ten years) the billing formulas price; plan a shorter horizon",
        )
    return int(months), minutes


def offers_for(
    region: np.ndarray, hardware: np.ndarray, catalog: pd.DataFrame, hours_per_month: float
) -> pd.DataFrame:
    """The paired offer (a break-even table row) of every pair, in the order given.

    A general computing spec (sold by subscription only) is paired with the public
    resource of its hardware (DLC/DSW, priced per hour: ``payg_price_unit`` "hour"), as
    :func:`~pai_model.decisions.comparison.break_even_table` pairs them with ``public_payg=True``.
    """
    table = _paired(catalog, hours_per_month)
    wanted = pd.MultiIndex.from_arrays([region, hardware])
    missing = ~wanted.isin(table.index)
    if missing.any():
        offered = catalog[["region_id", "hardware", "resource_type"]].astype(str)
        known = pd.MultiIndex.from_frame(offered[["region_id", "hardware"]])
        general = set(
            offered.loc[
                offered["resource_type"] == "general", ["region_id", "hardware"]
            ].itertuples(index=False, name=None)
        )
        problems = []
        for r, h in wanted[missing]:
            if (r, h) in general:
                problems.append(
                    f"{r} / {h} is general computing, sold by subscription only, and the"
                    " catalog has no public resource (resource_type public, DLC/DSW"
                    " pay-as-you-go) of that hardware in that region: it stays"
                    " subscription-only and there is no choice to plan; drop its jobs, or"
                    " add the public resource's row to compare the two"
                )
                continue
            what = (
                "has no pair of subscription and pay-as-you-go offers in the catalog"
                if (r, h) in known
                else "is not in the catalog"
            )
            problems.append(f"{r} / {h} {what}; drop its jobs or use a catalog that offers both")
        raise PlanError(problems)
    return table.loc[wanted].reset_index()


#: Paired offers of the catalogs seen last, by their content: a backtest plans every month
#: on one catalog, and pairing its offers costs more than planning a month.
_PAIRED: dict[tuple[int, float], pd.DataFrame] = {}


def _paired(catalog: pd.DataFrame, hours_per_month: float) -> pd.DataFrame:
    """The break-even table of every pair, indexed by (region, hardware); remembered by
    the catalog's content (a catalog changed in place is paired again)."""
    content = int(pd.util.hash_pandas_object(catalog.astype(str), index=False).sum())
    key = (content, float(hours_per_month))
    if key not in _PAIRED:
        if len(_PAIRED) >= 8:
            _PAIRED.pop(next(iter(_PAIRED)))
        table = break_even_table(catalog, hours_per_month=hours_per_month, public_payg=True)
        _PAIRED[key] = table.set_index(["region_id", "hardware"])
    return _PAIRED[key]


def plannable_pairs(catalog: pd.DataFrame, *, public_payg: bool = True) -> list[tuple[str, str]]:
    """The (region_id, hardware) pairs with both a subscription and a pay-as-you-go offer.

    A general computing spec counts when the catalog has the public resource of its
    hardware in its region (see :func:`offers_for`); ``public_payg=False`` leaves such
    pairs out (per-minute offers only).

    See Also
    --------
    pai_model.decisions.comparison.break_even_table : The offer pairs themselves.

    Examples
    --------
    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model import paths
    >>> plannable_pairs(read_catalog(paths.DOCUMENTED_CATALOG))
    [('cn-wulanchabu', 'gu7xf-8xGU108')]
    """
    if public_payg:
        keys = _paired(catalog, HOURS_PER_MONTH).index
        return [(str(r), str(h)) for r, h in keys]
    table = break_even_table(catalog, public_payg=public_payg)
    return list(zip(table["region_id"], table["hardware"], strict=True))
