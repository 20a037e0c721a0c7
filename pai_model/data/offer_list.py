"""Every node you can buy, cheapest first: one row per offer, with its prices per GPU-hour.

An offer is one node spec in one region (one catalog row) with its prices
(:data:`~pai_model.data.vocabulary.OFFER_MEANING`): the same count everywhere the kit says
"N offers". :func:`list_offers` lays a catalog out the way GPU buyers compare nodes
(SkyPilot's ``sky show-gpus``): pay-as-you-go per node-hour and per GPU-hour,
subscription per node-month and per GPU-hour, the break-even utilization of the
subscription against pay-as-you-go of the same hardware (the pair
:mod:`~pai_model.data.offers` chooses), stock, and where each price comes from and how
old it is. Prices are exact decimals; a price per GPU-hour or derived from a month is
rounded half up to 6 decimal places, the precision of a catalog price.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd

from pai_model.data.offers import chosen_offers
from pai_model.data.schemas import RESOURCE_TYPES
from pai_model.errors import InputError

#: Columns of :func:`list_offers` (prices as :class:`decimal.Decimal` in ``currency``).
OFFER_LIST_COLUMNS = (
    "region_id",
    "spec",
    "resource_type",
    "hardware",
    "gpu_model",
    "gpu_count",
    "vcpu",
    "memory_gib",
    "currency",
    "payg_price_per_node_hour",
    "subscription_price_per_node_month",
    "payg_price_per_gpu_hour",
    "subscription_price_per_gpu_hour",
    "break_even_utilization",
    "break_even_with",
    "in_stock",
    "subscription_in_stock",
    "payg_in_stock",
    "stock_known",
    "source",
    "provenance",
    "as_of",
    "age_days",
)
_PLACES = Decimal("0.000001")
_GPU = re.compile(r"^\s*([A-Za-z0-9._-]+)\s*(?::\s*([0-9]+))?\s*$")


def list_offers(
    catalog: pd.DataFrame,
    *,
    gpu: str | None = None,
    regions: list[str] | None = None,
    resource_type: str | None = None,
    in_stock: bool = False,
    hours_per_month: float = 730.0,
    today: date | None = None,
) -> pd.DataFrame:
    """Every offer of a catalog, cheapest pay-as-you-go GPU-hour first.

    Parameters
    ----------
    catalog : pandas.DataFrame
        A catalog (:func:`~pai_model.data.catalog.read_catalog`).
    gpu : str, optional
        ``MODEL`` or ``MODEL:COUNT`` (``GU108``, ``gu108:8``): offers of that GPU model
        (case does not matter), with that many GPUs per node.
    regions : list of str, optional
        Offers of these regions only.
    resource_type : {"general", "lingjun", "public"}, optional
        Offers of this resource type only.
    in_stock : bool, default False
        Only offers known to be in stock for at least one billing method: an offer whose
        stock is unknown (``stock_known`` false: a fetched spec without ``IsAvailable``)
        is left out. Without it, such an offer is listed with its stock unknown.
    hours_per_month : float, default 730
        The month convention of the subscription's price per GPU-hour and of the
        break-even. [hour/month]
    today : datetime.date, optional
        The day prices' ages are counted to; default today (UTC).

    Returns
    -------
    pandas.DataFrame
        :data:`OFFER_LIST_COLUMNS`: prices as Decimal (None where the offer has no such
        price: general computing is subscription only, public resources are
        pay-as-you-go only; a CPU node has no price per GPU-hour);
        ``break_even_utilization`` [fraction] of the hardware's subscription against its
        pay-as-you-go (``break_even_with`` names the other spec when it is not this one);
        ``in_stock`` for any method (an unknown stock counts as in stock, with
        ``stock_known`` false); ``age_days`` of the price. Sorted by pay-as-you-go
        per GPU-hour (offers without one after), then subscription per GPU-hour, then
        per node.

    Raises
    ------
    InputError
        A ``gpu`` not written MODEL[:COUNT], or a model, region or resource type the
        catalog does not have (the ones it has are listed).

    Examples
    --------
    The billing page's GU108 offers: 0.73 USD/minute is 43.80 per node-hour and 5.475
    per GPU-hour; 23,932.70 a month is 23,932.70 / 730 / 8 = 4.098065 per GPU-hour.

    >>> from pai_model import paths
    >>> from pai_model.data.catalog import read_catalog
    >>> offers = list_offers(read_catalog(paths.DOCUMENTED_CATALOG), gpu="gu108",
    ...                      today=date(2026, 4, 1))
    >>> offers["spec"].tolist()
    ['ml.gu7xf.8xlarge-gu108', 'ml.gu7xf.c96m1600.8-gu108']
    >>> offers[["payg_price_per_gpu_hour", "subscription_price_per_gpu_hour"]].values.tolist()
    [[Decimal('5.475000'), None], [None, Decimal('4.098065')]]
    >>> offers["break_even_utilization"].round(4).tolist(), offers["age_days"].tolist()
    ([0.7485, 0.7485], [8, 8])
    """
    rows = _with_facts(catalog, catalog)
    if regions:
        unknown = sorted(set(regions) - set(catalog["region_id"]))
        if unknown:
            raise InputError(
                "--region",
                f"{', '.join(unknown)} not in the catalog; it has"
                f" {', '.join(sorted(set(catalog['region_id'])))}",
            )
        rows = rows[rows["region_id"].isin(regions)]
    if resource_type is not None:
        if resource_type not in RESOURCE_TYPES:
            raise InputError(
                "--resource-type", f"{resource_type!r}: use one of {', '.join(RESOURCE_TYPES)}"
            )
        rows = rows[rows["resource_type"] == resource_type]
    if gpu is not None:
        rows = rows[_gpu_mask(rows, catalog, gpu)]
    table = _table(rows, catalog, hours_per_month, today)
    if in_stock:
        # known to be in stock: an offer of unknown stock is left out
        table = table[table["in_stock"] & table["stock_known"]]
    return _sorted(table)


def _gpu_mask(rows: pd.DataFrame, catalog: pd.DataFrame, gpu: str) -> np.ndarray:
    found = _GPU.match(gpu)
    if not found:
        raise InputError("--gpu", f"write MODEL or MODEL:COUNT, e.g. GU108:8; got {gpu!r}")
    model, count = found.group(1).lower(), found.group(2)
    models = catalog["gpu_model"].fillna("").astype(str)
    if model not in set(models.str.lower()):
        known = sorted(set(m for m in models if m))
        raise InputError(
            "--gpu",
            f"{found.group(1)!r} is not a GPU model of the catalog; it has"
            f" {', '.join(known) or 'none'}",
        )
    mask = rows["gpu_model"].fillna("").astype(str).str.lower() == model
    if count is not None:
        mask &= rows["gpu_count"].fillna(-1).astype(int) == int(count)
    return mask.to_numpy(dtype=bool)


def _with_facts(rows: pd.DataFrame, catalog: pd.DataFrame) -> pd.DataFrame:
    """Rows with the hardware facts they lack taken from the same hardware's rows."""
    facts = ["gpu_model", "gpu_count", "vcpu", "memory_gib"]
    known = catalog[["region_id", "hardware", *facts]].replace("", np.nan)
    first = known.groupby(["region_id", "hardware"], sort=False)[facts].first()
    keys = pd.MultiIndex.from_frame(rows[["region_id", "hardware"]])
    out = rows.copy()
    for fact in facts:
        given = out[fact].replace("", np.nan) if fact == "gpu_model" else out[fact]
        out[fact] = given.fillna(pd.Series(first[fact].reindex(keys).to_numpy(), index=out.index))
    return out


def _decimal(value: Any) -> Decimal | None:
    """A catalog price (the float nearest to its decimal text) as that decimal."""
    if value is None or pd.isna(value):
        return None
    return Decimal(repr(float(value))).quantize(_PLACES)


def _per(value: Decimal | None, divisor: Decimal) -> Decimal | None:
    if value is None or not divisor:
        return None
    return (value / divisor).quantize(_PLACES, rounding=ROUND_HALF_UP)


def _table(
    rows: pd.DataFrame, catalog: pd.DataFrame, hours_per_month: float, today: date | None
) -> pd.DataFrame:
    chosen = chosen_offers(catalog, public_payg=True).set_index(["region_id", "hardware", "method"])
    day = pd.Timestamp(today or datetime.now(UTC).date())
    hours = Decimal(repr(float(hours_per_month)))
    out = []
    for r in rows.itertuples(index=False):
        per_hour = (
            _decimal(r.payg_price_per_minute) * 60
            if pd.notna(r.payg_price_per_minute)
            else _decimal(r.payg_price_per_hour)
        )
        monthly = _decimal(r.subscription_price_per_month)
        gpus = Decimal(int(r.gpu_count)) if pd.notna(r.gpu_count) and r.gpu_count else Decimal(0)
        utilization, other = _break_even(r, per_hour, monthly, chosen, hours)
        sub_stock = bool(r.subscription_in_stock) and monthly is not None
        payg_stock = bool(r.payg_in_stock) and per_hour is not None
        out.append(
            {
                "region_id": r.region_id,
                "spec": r.spec,
                "resource_type": r.resource_type,
                "hardware": r.hardware,
                "gpu_model": "" if pd.isna(r.gpu_model) else r.gpu_model,
                "gpu_count": int(r.gpu_count) if pd.notna(r.gpu_count) else None,
                "vcpu": int(r.vcpu) if pd.notna(r.vcpu) else None,
                "memory_gib": float(r.memory_gib) if pd.notna(r.memory_gib) else None,
                "currency": r.currency,
                "payg_price_per_node_hour": None
                if per_hour is None
                else per_hour.quantize(_PLACES),
                "subscription_price_per_node_month": monthly,
                "payg_price_per_gpu_hour": _per(per_hour, gpus),
                "subscription_price_per_gpu_hour": _per(monthly, hours * gpus),
                "break_even_utilization": utilization,
                "break_even_with": other,
                "in_stock": sub_stock or payg_stock,
                "subscription_in_stock": sub_stock,
                "payg_in_stock": payg_stock,
                "stock_known": bool(r.stock_known),
                "source": r.source,
                "provenance": r.provenance,
                "as_of": pd.Timestamp(r.as_of).strftime("%Y-%m-%d"),
                "age_days": int((day - pd.Timestamp(r.as_of)).days),
            }
        )
    table = pd.DataFrame(out, columns=list(OFFER_LIST_COLUMNS))
    return table.astype({"gpu_count": "Int64", "vcpu": "Int64", "memory_gib": "Float64"})


def _break_even(
    row: Any,
    per_hour: Decimal | None,
    monthly: Decimal | None,
    chosen: pd.DataFrame,
    hours: Decimal,
) -> tuple[float | None, str]:
    """The break-even utilization of the hardware's subscription against its
    pay-as-you-go: this offer's price for the method it has, the offer rule's for the
    other (named when it is another spec)."""
    other = ""
    if monthly is None or per_hour is None:
        method = "payg" if per_hour is None else "subscription"
        key = (row.region_id, row.hardware, method)
        if key not in chosen.index:
            return None, ""
        offer = chosen.loc[key]
        price = _decimal(offer["price"])
        if method == "payg":
            per_hour = price if offer["price_unit"] == "hour" else price * 60
        else:
            monthly = price
        other = str(offer["spec"])
    if not per_hour:
        return None, other
    return float(monthly / (per_hour * hours)), other


def _sorted(table: pd.DataFrame) -> pd.DataFrame:
    keys = [
        "payg_price_per_gpu_hour",
        "subscription_price_per_gpu_hour",
        "payg_price_per_node_hour",
        "subscription_price_per_node_month",
    ]
    ranks = {k: [(v is None, v if v is not None else Decimal(0)) for v in table[k]] for k in keys}
    order = sorted(
        range(len(table)),
        key=lambda i: (
            *(ranks[k][i] for k in keys),
            table["region_id"].iat[i],
            table["spec"].iat[i],
        ),
    )
    return table.iloc[order].reset_index(drop=True)
