"""A made-up Alibaba FOCUS export, reproducible from a seed: labelled synthetic everywhere.

:func:`synthetic_focus` bills job records (by default the kit's synthetic usage) as
Alibaba's "Standard Bill FOCUS" rows would look, with Alibaba's documented deviations
(null ContractedCost, ContractedUnitPrice, ConsumedQuantity, ConsumedUnit and
ChargeDescription; some null ListUnitPrice and PricingUnit), Alibaba's ``x_`` columns and
``x_Label = synthetic``. Jobs are split at month boundaries (one row per billing period).
Known differences are planted so that a reconciliation has something to find:

- ``discount_percent`` off every BilledCost (a negotiated discount);
- every ``wrong_price_every``-th row is billed at 10 % above the catalog's list price
  (as if the catalog were out of date);
- every ``rounded_every``-th row is billed for whole minutes rounded up (a rule the kit
  does not apply);
- one storage row (``oss.standard``) and one row of an unknown spec (unmapped).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pai_model.data.decimals import units_text
from pai_model.data.offers import chosen_offers
from pai_model.formulas.engine import bill_amounts

LABEL = "synthetic"
ACCOUNT = "1000000000000000"  # a made-up account id


def synthetic_focus(
    jobs: pd.DataFrame,
    catalog: pd.DataFrame,
    *,
    discount_percent: int = 5,
    wrong_price_every: int = 23,
    rounded_every: int = 17,
    null_unit_every: int = 29,
) -> pd.DataFrame:
    """FOCUS rows (text, as a CSV holds them) billing ``jobs`` on pay-as-you-go.

    Parameters
    ----------
    jobs : pandas.DataFrame
        Job records (``start``, ``end``, ``region_id``, ``hardware``, ``nodes``), e.g.
        :func:`~pai_model.data.synthetic.synthetic_jobs`; each pair's pay-as-you-go offer is
        the catalog's chosen one.
    catalog : pandas.DataFrame
        A catalog (:func:`~pai_model.data.catalog.read_catalog`).
    discount_percent : int, default 5
        Percent off every billed amount (BilledCost = ListCost less the discount, to
        the cent, half up). [%]
    wrong_price_every, rounded_every, null_unit_every : int
        Every n-th row is billed at 1.1 x the list price, billed for whole minutes
        rounded up, or has no ListUnitPrice and PricingUnit.

    Returns
    -------
    pandas.DataFrame
        FOCUS 1.0 columns (all text; times ``YYYY-MM-DDTHH:MM:SSZ``) and
        ``x_BillingItemCode``, ``x_BillingItemName``, ``x_CommodityCode``,
        ``x_CommodityName``, ``x_InstanceID``, ``x_Label``.
    """
    offers = chosen_offers(catalog)
    payg = offers[offers["method"] == "payg"].set_index(["region_id", "hardware"])
    rows = _split_by_month(jobs)
    keys = pd.MultiIndex.from_arrays([rows["region_id"], rows["hardware"]])
    offer = payg.loc[keys]
    price = offer["price"].to_numpy(np.float64)
    n = len(rows)
    position = np.arange(n)
    wrong = position % wrong_price_every == wrong_price_every - 1
    rounded = position % rounded_every == rounded_every - 1
    no_unit = position % null_unit_every == null_unit_every - 1
    billed_price = np.where(wrong, np.round(price * 1.1, 6), price)
    minutes = np.round((rows["end"] - rows["start"]).dt.total_seconds().to_numpy() / 60.0, 3)
    # the rounded rows are billed for whole minutes rounded up but report the minutes used
    billed_minutes = np.where(rounded, np.ceil(minutes), minutes)
    nodes = rows["nodes"].to_numpy(np.int64)
    _, list_cents = bill_amounts(
        billed_price, nodes, billed_minutes, per_minute=True, minor_units=True
    )
    billed_cents = (list_cents * (100 - discount_percent) + 50) // 100
    milli = np.rint(minutes * 1000).astype(np.int64) * nodes
    text = _texts(list_cents, billed_cents, milli, billed_price, no_unit)
    start, end = rows["start"], rows["end"]
    month = start.dt.to_period("M").dt.start_time
    frame = pd.DataFrame(
        {
            "BilledCost": text["billed"],
            "EffectiveCost": text["billed"],
            "ListCost": text["list"],
            "ContractedCost": None,
            "ListUnitPrice": text["price"],
            "ContractedUnitPrice": None,
            "PricingQuantity": text["quantity"],
            "PricingUnit": np.where(no_unit, None, "Node-Minutes"),
            "ConsumedQuantity": None,
            "ConsumedUnit": None,
            "ChargePeriodStart": _utc(start),
            "ChargePeriodEnd": _utc(end),
            "BillingPeriodStart": _utc(month),
            "BillingPeriodEnd": _utc(month + pd.DateOffset(months=1)),
            "ChargeCategory": "Usage",
            "ChargeClass": None,
            "ChargeFrequency": "Usage-Based",
            "PricingCategory": "Standard",
            "ResourceId": [f"synthetic-node-{i:06d}" for i in position],
            "ResourceType": "PAI Lingjun node",
            "SkuId": offer["spec"].to_numpy(),
            "RegionId": rows["region_id"].to_numpy(),
            "RegionName": offer["region_name"].to_numpy(),
            "ServiceName": "Platform for AI",
            "ServiceCategory": "AI and Machine Learning",
            "ProviderName": "Alibaba Cloud",
            "PublisherName": "Alibaba Cloud",
            "InvoiceIssuerName": "Alibaba Cloud",
            "BillingAccountId": ACCOUNT,
            "BillingAccountName": "synthetic account",
            "BillingCurrency": offer["currency"].to_numpy(),
            "ChargeDescription": None,
            "x_BillingItemCode": "ComputingInstance",
            "x_BillingItemName": "Computing instance",
            "x_CommodityCode": "learn_computinginstance_public_intl",
            "x_CommodityName": "PAI Lingjun pay-as-you-go",
            "x_InstanceID": [f"synthetic-i-{i:06d}" for i in position],
            "x_Label": LABEL,
        }
    )
    return pd.concat([frame, _strays(frame)], ignore_index=True)


def _split_by_month(jobs: pd.DataFrame) -> pd.DataFrame:
    """Jobs cut at every month boundary they cross, one piece per billing period."""
    pieces = []
    table = jobs[["start", "end", "region_id", "hardware", "nodes"]].copy()
    table["start"] = pd.to_datetime(table["start"])
    table["end"] = pd.to_datetime(table["end"])
    table = table[table["end"] > table["start"]]
    while len(table):
        boundary = table["start"].dt.to_period("M").dt.start_time + pd.DateOffset(months=1)
        piece = table.copy()
        piece["end"] = piece["end"].where(piece["end"] <= boundary, boundary)
        pieces.append(piece)
        rest = table[table["end"] > boundary].copy()
        rest["start"] = boundary[rest.index]
        table = rest
    out = pd.concat(pieces).sort_values(["start", "region_id", "hardware"], kind="stable")
    return out.reset_index(drop=True)


def _texts(
    list_cents: np.ndarray,
    billed_cents: np.ndarray,
    milli: np.ndarray,
    price: np.ndarray,
    no_unit: np.ndarray,
) -> dict[str, Any]:

    prices = np.array([np.format_float_positional(p, trim="-") for p in price], dtype=object)
    prices[no_unit] = None
    return {
        "list": units_text(list_cents, 2),
        "billed": units_text(billed_cents, 2),
        "quantity": units_text(milli, 3),
        "price": prices,
    }


def _utc(times: pd.Series) -> np.ndarray:
    return pd.to_datetime(times).dt.strftime("%Y-%m-%dT%H:%M:%SZ").to_numpy()


def _strays(frame: pd.DataFrame) -> pd.DataFrame:
    """One storage row and one row of a spec no catalog has: both must be listed unmapped."""
    strays = frame.iloc[[0, 0]].copy()
    strays["SkuId"] = ["oss.standard", "ml.gu9xf.8xlarge-gu200"]
    strays["ServiceName"] = ["Object Storage Service", "Platform for AI"]
    strays["ServiceCategory"] = ["Storage", "AI and Machine Learning"]
    strays["ResourceType"] = ["OSS bucket", "PAI Lingjun node"]
    strays["x_InstanceID"] = ["synthetic-bucket", "synthetic-i-unknown"]
    return strays
