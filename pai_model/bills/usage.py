"""From billed rows to the kit's terms: exact amounts, catalog hardware, job records.

Specs in bills map to the catalog's ``hardware`` keys through the catalog's
(``region_id``, ``spec``) rows. A row whose spec (or region) the catalog does not have is
kept, with an empty ``hardware``, and listed in the unmapped table: never dropped.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from pai_model.data.decimals import is_decimal_text, text_floats, text_units
from pai_model.data.focus_scope import frame_codes, pai_mask
from pai_model.errors import UsageError
from pai_model.formulas.totals import minor_to_float, sum_table

#: Decimal places amounts are read to: micro-units of the currency.
MICRO_DECIMALS = 6
#: The column of a FOCUS row that names the node spec (an assumption: Alibaba's export
#: is not documented; give another with ``spec_column``).
SPEC_COLUMN = "SkuId"
UNMAPPED_COLUMNS = ("region_id", "spec", "reason", "rows", "list_cost", "currency")
#: Minutes in one FOCUS time unit, as (numerator, denominator).
_RATIO = {"Second": (1, 60), "Minute": (1, 1), "Hour": (60, 1), "Day": (1440, 1)}


class Mapped(NamedTuple):
    """Rows with ``region_id``, ``spec`` and ``hardware``, and the table of the unmapped."""

    rows: pd.DataFrame
    unmapped: pd.DataFrame


def micros(values: pd.Series | Any) -> np.ndarray:
    """A bill's amounts (decimal text) as exact micro-units of the currency (null: 0).

    :func:`~pai_model.data.decimals.text_units` with :data:`MICRO_DECIMALS`: ties away
    from zero; int64, or Python ints for an amount beyond int64's micro-units (9.2e12).

    >>> micros(pd.Series(["32.85", "-0.0000005", "1e3", None])).tolist()
    [32850000, -1, 1000000000, 0]
    """
    return text_units(values, MICRO_DECIMALS)


def map_specs(
    rows: pd.DataFrame, catalog: pd.DataFrame, *, spec_column: str = SPEC_COLUMN
) -> Mapped:
    """The catalog's hardware key of each billed row; the rows it cannot map, listed.

    Parameters
    ----------
    rows : pandas.DataFrame
        FOCUS rows (:func:`~pai_model.data.focus.read_focus`) with ``RegionId`` and the spec
        in ``spec_column``.
    catalog : pandas.DataFrame
        A catalog (:func:`~pai_model.data.catalog.read_catalog`).
    spec_column : str, default "SkuId"
        The column naming the node spec.

    Returns
    -------
    Mapped
        ``rows``: the rows with ``region_id``, ``spec``, ``hardware`` (empty where
        unmapped) and ``resource_type``. ``unmapped``: one row per (region, spec) the
        catalog lacks: ``region_id``, ``spec``, ``reason``, ``rows``, ``list_cost`` (exact
        sum of ListCost) [currency], ``currency``.

    Examples
    --------
    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model import paths
    >>> rows = pd.DataFrame({"RegionId": ["cn-wulanchabu", "cn-wulanchabu"],
    ...     "SkuId": ["ml.gu7xf.8xlarge-gu108", "oss.standard"], "ListCost": ["32.85", "1.5"],
    ...     "BillingCurrency": "USD"})
    >>> mapped = map_specs(rows, read_catalog(paths.DOCUMENTED_CATALOG))
    >>> mapped.rows["hardware"].tolist()
    ['gu7xf-8xGU108', nan]
    >>> mapped.unmapped[["spec", "reason", "list_cost"]].values.tolist()
    [['oss.standard', 'spec not in the catalog for this region', 1.5]]
    """
    if spec_column not in rows:
        raise UsageError(
            [f"no column {spec_column!r} names the spec; give spec_column (e.g. SkuId)"], "bills"
        )
    out = rows.copy()
    out["region_id"] = rows["RegionId"]
    out["spec"] = rows[spec_column]
    out, reason = lookup_hardware(out, catalog, f"no spec ({spec_column} is empty)")
    out.attrs = dict(rows.attrs)
    missing = out["hardware"].isna()
    lost = pd.DataFrame(
        {
            "region_id": out["region_id"].fillna(""),
            "spec": out["spec"].fillna(""),
            "reason": reason,
            "micros": micros(out["ListCost"]),
            "currency": out["BillingCurrency"],
        }
    )[missing.to_numpy()]
    lost["rows"] = 1
    unmapped = sum_table(lost, ["region_id", "spec", "reason", "currency"], ["micros", "rows"])
    unmapped["list_cost"] = minor_to_float(unmapped.pop("micros").to_numpy(), MICRO_DECIMALS)
    return Mapped(out, unmapped[list(UNMAPPED_COLUMNS)])


def lookup_hardware(
    table: pd.DataFrame, catalog: pd.DataFrame, no_spec: str = "no spec"
) -> tuple[pd.DataFrame, np.ndarray]:
    """``table`` (with ``region_id`` and ``spec``) with the catalog's ``hardware`` and
    ``resource_type`` of each row (missing where unmapped), and why each row is unmapped.

    The reason is ``no_spec`` for an empty spec, "region not in the catalog", or "spec
    not in the catalog for this region" (meaningless on mapped rows).
    """
    offers = catalog[["region_id", "spec", "hardware", "resource_type"]].astype(str)
    out = table.merge(offers, on=["region_id", "spec"], how="left", validate="many_to_one")
    reason = np.where(
        out["spec"].isna(),
        no_spec,
        np.where(
            out["region_id"].isin(set(catalog["region_id"])),
            "spec not in the catalog for this region",
            "region not in the catalog",
        ),
    )
    return out, reason


def unit_ratio(units: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Minutes in one unit of each row's PricingUnit as ``numerator / denominator``.

    A unit ending in a time unit (``Node-Hours``, ``Minutes``, ``Seconds``) gives its
    minutes (60 / 1, 1 / 1, 1 / 60); any other unit, or none, gives 0 / 1. Worked out
    once per distinct unit.

    >>> [r.tolist() for r in unit_ratio(pd.Series(["Node-Hours", "Seconds", None, "GB"]))]
    [[60, 1, 0, 0], [1, 60, 1, 1]]
    """
    codes, distinct = pd.factorize(units, use_na_sentinel=True)
    found = pd.Series(distinct, dtype=object).str.extract(r"(Second|Minute|Hour|Day)s?$")[0]
    ratio = [_RATIO.get(u, (0, 1)) for u in found]
    numerator = np.append(np.array([r[0] for r in ratio], dtype=np.int64), 0)
    denominator = np.append(np.array([r[1] for r in ratio], dtype=np.int64), 1)
    return numerator[codes], denominator[codes]


def usage_minutes(rows: pd.DataFrame) -> np.ndarray:
    """Node-minutes of each row: PricingQuantity in its time unit, else the charge period.

    A unit such as ``Node-Hours``, ``Hours`` or ``Minutes`` converts the quantity; a
    missing or non-time unit (Alibaba leaves some empty) falls back to the length of the
    charge period, for one node.
    """
    numerator, denominator = unit_ratio(rows["PricingUnit"])
    quantity = text_floats(rows["PricingQuantity"])
    period = (rows["ChargePeriodEnd"] - rows["ChargePeriodStart"]).dt.total_seconds() / 60.0
    return minutes_of(numerator, denominator, quantity, period.to_numpy(np.float64))


def minutes_of(
    numerator: np.ndarray, denominator: np.ndarray, quantity: np.ndarray, period: np.ndarray
) -> np.ndarray:
    """Node-minutes: ``quantity`` in units of ``numerator / denominator`` minutes where the
    unit is a time (``numerator > 0``) and the quantity is known, else ``period`` [minutes].
    """
    by_unit = np.where(numerator > 0, quantity * numerator / denominator, np.nan)
    return np.where(np.isfinite(by_unit), by_unit, period)


def is_correction(rows: pd.DataFrame) -> np.ndarray:
    """Whether each FOCUS row corrects an earlier charge: its ChargeClass is Correction,
    or its PricingQuantity is negative.

    >>> is_correction(pd.DataFrame({"ChargeClass": [None, "Correction", None],
    ...                             "PricingQuantity": ["45", "-45", "-1e1"]})).tolist()
    [False, True, True]
    """
    negative = text_floats(rows["PricingQuantity"]) < 0
    if "ChargeClass" not in rows:
        return negative
    return negative | rows["ChargeClass"].eq("Correction").fillna(False).to_numpy(bool)


def committed_nodes(usage: pd.DataFrame, committed: np.ndarray) -> np.ndarray:
    """The ``x_Nodes`` of each row (NaN where empty or absent: one node).

    A cell of a Committed row that is not a whole number of nodes from 1 (``true``,
    ``2.5``, ``1e400``, a boolean) is refused, naming the column and the value, rather than
    read as 1.
    """
    if "x_Nodes" not in usage:
        return np.full(len(usage), np.nan)
    raw = usage["x_Nodes"]
    flags = np.array([isinstance(v, (bool, np.bool_)) for v in raw], dtype=bool)
    text = raw.astype(object).where(raw.isna(), raw.astype(str))
    number = pd.to_numeric(
        text.where(is_decimal_text(text).to_numpy() & ~flags), errors="coerce"
    ).to_numpy(dtype=np.float64)
    whole = np.isfinite(number) & (number >= 1) & (number == np.floor(number))
    bad = committed & raw.notna().to_numpy() & ~whole
    if bad.any():
        values = sorted({str(v) for v in raw[bad]})
        raise UsageError(
            [
                f"x_Nodes = {v!r}: not a whole number of nodes from 1 (on a Committed row)"
                for v in values
            ],
            str(usage.attrs.get("source") or "bills"),
        )
    return number


def usage_jobs(mapped: pd.DataFrame) -> pd.DataFrame:
    """Job records the planner reads, from mapped billed rows (Usage rows with hardware).

    Each row is ``nodes`` busy from ChargePeriodStart: ``nodes`` is the node-minutes over
    the charge period's minutes, rounded up, and the job lasts node-minutes / nodes.
    Committed rows (subscribed nodes) count as busy for their whole charge period: a
    bill does not say how busy a subscribed node was. Rows of other services than PAI
    (:mod:`pai_model.data.focus_scope`) and corrections (:func:`is_correction`) make no
    job: a correction is not usage, nor usage taken back.

    Returns
    -------
    pandas.DataFrame
        ``start``, ``end``, ``region_id``, ``hardware``, ``nodes`` (see
        :data:`~pai_model.data.jobs.JOB_COLUMNS`); ``attrs["source"]`` names the bills.
    """
    usage = mapped[
        (mapped["ChargeCategory"] == "Usage")
        & mapped["hardware"].notna()
        & pai_mask(frame_codes(mapped), len(mapped))[0]
        & ~is_correction(mapped)
    ]
    start = usage["ChargePeriodStart"]
    period = (usage["ChargePeriodEnd"] - start).dt.total_seconds().to_numpy() / 60.0
    minutes = usage_minutes(usage)
    committed = (usage["PricingCategory"] == "Committed").to_numpy()
    nodes = np.where(
        committed,
        committed_nodes(usage, committed),
        np.ceil(np.round(minutes / np.maximum(period, 1e-9), 9)),
    )
    nodes = np.maximum(np.nan_to_num(nodes, nan=1.0), 1).astype(np.int64)
    length = np.where(committed, period, minutes / nodes)
    jobs = pd.DataFrame(
        {
            "start": start.to_numpy(),
            "end": (start + pd.to_timedelta(length, unit="min")).to_numpy(),
            "region_id": usage["region_id"].to_numpy(),
            "hardware": usage["hardware"].to_numpy(),
            "nodes": nodes,
        }
    )
    jobs.attrs["source"] = f"bills {mapped.attrs.get('source', '')}".strip()
    return jobs
