"""FOCUS out: the kit's cost lines as FOCUS 1.0 rows, validated against the spec's rules.

:func:`to_focus` turns bill lines (:func:`~pai_model.bills.orders.price_orders`, the plan's
lines from :func:`~pai_model.decisions.planning.focus_lines.plan_lines`, re-priced bills from
:mod:`~pai_model.bills.reconcile`) into
FOCUS 1.0 rows [1]_ and validates them with :class:`~pai_model.data.focus_schema.FocusSchema`;
:func:`write_focus` writes them as CSV or Parquet.

How a line becomes a row:

==========================  =====================================  ==========================
column                      subscription line                      pay-as-you-go line
==========================  =====================================  ==========================
ChargeCategory              Usage                                  Usage
ChargeFrequency             Recurring                              Usage-Based
PricingCategory             Committed                              Standard
CommitmentDiscountId        ``subscription/<region>/<spec>``       empty
PricingUnit                 Node-Months                            Node-Minutes
PricingQuantity             nodes x months                         nodes x minutes
ChargePeriodEnd             start + months (calendar months)       start + minutes
==========================  =====================================  ==========================

Costs (BilledCost = EffectiveCost = ListCost = ContractedCost: the kit knows list prices
only) are the line's exact amount as decimal text to the cent, written from the engine's
integer cents (``amount_minor``), never rebuilt from a float; unit prices are the
catalog's decimal.
Times are UTC. The billing period is the calendar month of ChargePeriodStart. The kit's
extras are ``x_`` columns after the FOCUS ones: ``x_Hardware``, ``x_BillingMethod``,
``x_Nodes``, ``x_ResourceKind``, ``x_PriceSource``, ``x_PriceAsOf``, ``x_Provenance``, and
any ``x_`` column the lines carry.

References
----------
.. [1] FOCUS specification v1.0 (GitHub FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec, tag v1.0).
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np
import pandas as pd

from pai_model.data.decimals import units_text
from pai_model.data.files import check_output, replacing
from pai_model.data.focus_schema import FocusSchema
from pai_model.data.pandera_lean import pa
from pai_model.data.problems import problems_from_failures
from pai_model.errors import InputError, PaiModelError, Problem, TableError
from pai_model.formulas.arguments import checked, to_decimal
from pai_model.formulas.money_text import format_minor
from pai_model.formulas.terms import subscription_end

SERVICE_NAME = "Platform for AI"
PROVIDER = "Alibaba Cloud"
#: The kit's extra columns, by the bill-line column they come from.
EXTRAS = {
    "hardware": "x_Hardware",
    "billing_method": "x_BillingMethod",
    "quantity": "x_Nodes",
    "resource_type": "x_ResourceKind",
    "source": "x_PriceSource",
    "as_of": "x_PriceAsOf",
    "provenance": "x_Provenance",
}
#: Format of FOCUS date/times: UTC, ISO 8601 with a Z.
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def to_focus(
    lines: pd.DataFrame,
    *,
    period_start: Any = None,
    billing_account_id: str = "estimate",
    billing_account_name: str | None = None,
) -> pd.DataFrame:
    """FOCUS 1.0 rows from the kit's bill lines, validated against the spec's rules.

    Parameters
    ----------
    lines : pandas.DataFrame
        Bill lines with ``region_id``, ``spec``, ``quantity`` [nodes], ``billing_method``,
        ``unit_price`` [currency/month or currency/minute], ``duration`` [month or
        minute], ``amount`` [currency] and ``currency``, as
        :func:`~pai_model.bills.orders.price_orders` returns, with ``amount_minor`` (exact
        cents, or units of ``10**-amount_decimals`` where that column is given: a public
        resource's sub-cent bill; without it each ``amount`` must be a decimal of at most
        2 places, read as the number it prints as); optionally ``start`` (each line's
        start, UTC), ``region_name``, ``hardware``, ``resource_type``, ``source``,
        ``as_of``, ``provenance``, ``formula`` and ``x_`` columns.
    period_start : time-like, optional
        Start of every line without a ``start`` column (UTC; an offset is converted).
    billing_account_id : str, default "estimate"
        FOCUS BillingAccountId (it may not be empty): the account the rows are for.
    billing_account_name : str, optional
        FOCUS BillingAccountName.

    Returns
    -------
    pandas.DataFrame
        The FOCUS columns in the spec's order, then the ``x_`` columns. Decimal columns
        are text; times are UTC datetimes (naive, as the kit's tables).

    Raises
    ------
    PaiModelError
        When neither ``start`` nor ``period_start`` is given.
    TableError
        When a row breaks a rule of :class:`~pai_model.data.focus_schema.FocusSchema` (a bug
        of the kit, or a line it cannot express).

    See Also
    --------
    write_focus : Write the rows as CSV or Parquet.
    pai_model.decisions.planning.focus_lines.plan_lines : A commitment plan as bill lines.

    Examples
    --------
    The billing page's pay-as-you-go example (1 x 0.73 USD/minute x 45 minutes):

    >>> lines = pd.DataFrame({"region_id": ["cn-wulanchabu"],
    ...     "spec": ["ml.gu7xf.8xlarge-gu108"], "quantity": [1], "billing_method": ["payg"],
    ...     "unit_price": [0.73], "duration": [45.0], "amount": [32.85], "currency": ["USD"]})
    >>> row = to_focus(lines, period_start="2026-03-01T08:00:00+08:00").iloc[0]
    >>> print(row.ListCost, row.PricingQuantity, row.PricingUnit, row.PricingCategory)
    32.85 45 Node-Minutes Standard
    >>> print(row.ChargePeriodStart, row.ChargePeriodEnd)
    2026-03-01 00:00:00 2026-03-01 00:45:00
    """
    size = len(lines)
    start = _starts(lines, period_start)
    subscription = (lines["billing_method"] == "subscription").to_numpy()
    nodes = lines["quantity"].to_numpy(np.int64)
    duration = lines["duration"].to_numpy(np.float64)
    months = np.where(subscription, duration, 0).astype(np.int64)
    end = start + pd.to_timedelta(np.where(subscription, 0.0, duration), unit="min")
    if subscription.any():
        end = end.where(~subscription, subscription_end(start, months))
    # exact quantities: whole months, or minutes with 3 decimals, times whole nodes
    milli = np.rint(duration * 1000).astype(np.int64)
    quantity = units_text(nodes * milli, 3)
    spec = lines["spec"].astype(str).to_numpy()
    region = lines["region_id"].astype(str).to_numpy()
    places = lines.get("amount_decimals", pd.Series(2, index=lines.index)).tolist()
    amount = [
        format_minor(units, int(d), grouping=False, places=2)
        for units, d in zip(_cents(lines), places, strict=True)
    ]
    # an hourly price (a public resource) is billed per minute: its price per minute
    hourly = lines.get("price_unit", pd.Series("", index=lines.index)).astype(str)
    per = np.where(hourly.str.endswith("/hour").to_numpy(), 60.0, 1.0)
    unit_price = [
        np.format_float_positional(p / d, trim="-")
        for p, d in zip(lines["unit_price"].to_numpy(np.float64), per, strict=True)
    ]
    billing_start = start.dt.to_period("M").dt.start_time
    committed_id = np.char.add(np.char.add("subscription/", region), np.char.add("/", spec))
    empty = pd.Series(pd.NA, index=range(size), dtype="str")
    unit = np.where(subscription, "Node-Months", "Node-Minutes")
    rows = pd.DataFrame(
        {
            "BilledCost": amount,
            "EffectiveCost": amount,
            "ListCost": amount,
            "ContractedCost": amount,
            "ListUnitPrice": unit_price,
            "ContractedUnitPrice": unit_price,
            "PricingQuantity": quantity,
            "PricingUnit": unit,
            "ConsumedQuantity": quantity,
            "ConsumedUnit": unit,
            "ChargePeriodStart": start.to_numpy(),
            "ChargePeriodEnd": end.to_numpy(),
            "BillingPeriodStart": billing_start.to_numpy(),
            "BillingPeriodEnd": subscription_end(billing_start, 1).to_numpy(),
            "ChargeCategory": "Usage",
            "ChargeClass": empty,
            "ChargeFrequency": np.where(subscription, "Recurring", "Usage-Based"),
            "PricingCategory": np.where(subscription, "Committed", "Standard"),
            "CommitmentDiscountId": pd.Series(committed_id).where(subscription),
            "CommitmentDiscountName": pd.Series(
                [
                    f"{n} x {s} subscribed for {m} month(s)"
                    for n, s, m in zip(nodes, spec, months, strict=True)
                ]
            ).where(subscription),
            "CommitmentDiscountType": pd.Series("Subscription", index=range(size)).where(
                subscription
            ),
            "CommitmentDiscountCategory": pd.Series("Usage", index=range(size)).where(subscription),
            "CommitmentDiscountStatus": pd.Series("Used", index=range(size)).where(subscription),
            "ResourceId": empty,
            "ResourceName": empty,
            "ResourceType": lines.get("resource_type", empty).to_numpy(),
            "SkuId": spec,
            "SkuPriceId": np.char.add(np.char.add(region, "/"), spec),
            "RegionId": region,
            "RegionName": lines.get("region_name", empty).to_numpy(),
            "AvailabilityZone": empty,
            "ServiceName": SERVICE_NAME,
            "ServiceCategory": "AI and Machine Learning",
            "ProviderName": PROVIDER,
            "PublisherName": PROVIDER,
            "InvoiceIssuerName": PROVIDER,
            "BillingAccountId": billing_account_id,
            "BillingAccountName": billing_account_name,
            "SubAccountId": empty,
            "SubAccountName": empty,
            "BillingCurrency": lines["currency"].to_numpy(),
            "Tags": empty,
            "ChargeDescription": lines.get("formula", empty).to_numpy(),
        }
    )
    for column, extra in EXTRAS.items():
        if column in lines:
            rows[extra] = lines[column].to_numpy()
    own = [c for c in lines.columns if c.startswith("x_") and c not in rows]
    for column in own:
        rows[column] = lines[column].to_numpy()
    text = [c for c in FocusSchema.to_schema().columns if c not in _TIMES]
    rows[text] = rows[text].astype("str").where(rows[text].notna())
    return check_focus(rows, "FOCUS rows")


_TIMES = ("ChargePeriodStart", "ChargePeriodEnd", "BillingPeriodStart", "BillingPeriodEnd")


def _cents(lines: pd.DataFrame) -> list[int]:
    """The exact minor units of each line: the engine's ``amount_minor`` (in units of
    ``10**-amount_decimals`` where given, else cents), or each ``amount`` read as the
    decimal it stands for (refused beyond the cent)."""
    if "amount_minor" in lines:
        return [int(cents) for cents in lines["amount_minor"]]
    return [
        int(checked(to_decimal(a, "amount"), a, "amount", 2, math.inf) * 100)
        for a in lines["amount"]
    ]


def check_focus(rows: pd.DataFrame, name: str) -> pd.DataFrame:
    """Validate FOCUS rows against :class:`~pai_model.data.focus_schema.FocusSchema`.

    Beyond the model: every FOCUS column present comes before the ``x_`` columns, and
    every other column is prefixed ``x_`` (the spec's rule for custom columns).

    Raises
    ------
    TableError
        Listing every broken rule, each with its row (numbered as lines of a CSV file).
    """
    columns = list(FocusSchema.to_schema().columns)
    problems = [
        Problem(name, f"column {c!r} is not a FOCUS column; name custom columns x_...")
        for c in rows.columns
        if c not in columns and not c.startswith("x_")
    ]
    own = [i for i, c in enumerate(rows.columns) if c.startswith("x_")]
    if own and any(c in columns for c in rows.columns[own[0] :]):
        problems.append(Problem(name, "x_ columns must come after every FOCUS column"))
    try:
        FocusSchema.validate(rows, lazy=True)
    except pa.errors.SchemaErrors as errors:

        def lines(positions: np.ndarray) -> np.ndarray:
            return positions + 2

        problems += problems_from_failures(errors.failure_cases, rows, lines, name)
    if problems:
        raise TableError(problems, name)
    return rows


def write_focus(rows: pd.DataFrame, path: str | os.PathLike[str], *, option: str = "path") -> None:
    """Write FOCUS rows to ``path``: Parquet for ``.parquet``, else CSV.

    Times are written as UTC (``YYYY-MM-DDTHH:MM:SSZ`` in CSV, timestamps with UTC in
    Parquet); decimals as their text. The file is written whole or not at all
    (:func:`~pai_model.data.files.replacing`); ``option`` names ``path`` in an error.

    Raises
    ------
    TypeError
        Naming ``rows``, when it is not a DataFrame.
    InputError
        Naming ``rows``, when it is a DataFrame but not of FOCUS rows (the four period
        times as datetime64, UTC).
    InputError
        When ``path`` is a folder, its folder does not exist, or it cannot be written.
    """
    if not isinstance(rows, pd.DataFrame):
        raise TypeError(f"rows must be a DataFrame of priced lines; got {type(rows).__name__}")
    missing = [c for c in _TIMES if c not in rows.columns]
    if missing:
        raise InputError(
            "rows", f"must be FOCUS rows (focus_rows gives them); missing {', '.join(missing)}"
        )
    untimed = [c for c in _TIMES if not pd.api.types.is_datetime64_dtype(rows[c])]
    if untimed:
        raise InputError(
            "rows",
            f"must be FOCUS rows (focus_rows gives them): {', '.join(untimed)} must be"
            " times in UTC without a time zone (datetime64)",
        )
    target = check_output(path, option)
    out = rows.copy()
    out.attrs = {}  # what the kit notes about the rows is not for the file (nor JSON)
    parquet = os.fspath(path).endswith(".parquet")
    for column in _TIMES:
        if parquet:
            out[column] = out[column].dt.tz_localize("UTC")
        else:
            out[column] = out[column].dt.strftime(TIME_FORMAT)
    with replacing(target, option) as temporary:
        if parquet:
            out.to_parquet(temporary, index=False)
        else:
            out.to_csv(temporary, index=False)


def _starts(lines: pd.DataFrame, period_start: Any) -> pd.Series:
    if "start" in lines:
        values = lines["start"]
    elif period_start is not None:
        values = pd.Series(period_start, index=range(len(lines)))
    else:
        raise PaiModelError(
            "the lines have no start times: give period_start (e.g. 2026-01-01), the UTC"
            " time the orders start"
        )
    try:
        times = pd.to_datetime(values.reset_index(drop=True), utc=True, format="ISO8601")
    except (ValueError, TypeError) as failure:
        raise PaiModelError(f"period_start: not a time ({failure})") from None
    return times.dt.tz_localize(None).astype("datetime64[ns]")
