"""Reconcile bills with the kit: re-price every billed line, say where and why they differ.

Each billed Usage row whose spec maps to the catalog (:func:`~pai_model.bills.usage.map_specs`)
is re-priced by the billing engine (:func:`~pai_model.formulas.engine.bill_amounts`, the
numba kernel): a Committed row (or one priced in months) as a subscription of its
node-months, any other as pay-as-you-go of its node-minutes
(:func:`~pai_model.bills.usage.usage_minutes`). The kit's list cost is compared with the
billed ``ListCost`` exactly, in micro-units. Each line gets one cause:

=================  ==========================================================================
cause              when
=================  ==========================================================================
match              the billed list cost equals the kit's, to the micro-unit
rounding           they differ by at most one cent, unit prices agreeing
catalog price      the billed ListUnitPrice differs from the catalog's: the catalog is wrong
                   or out of date (the kit cannot tell which)
rule               the unit prices agree but the amounts differ by more than a cent: a
                   billing rule the kit lacks (a minimum charge, rounding up to whole units)
price or rule      the row has no ListUnitPrice (an Alibaba deviation), so the two cannot be
                   told apart
no catalog price   the catalog has the spec but no price for the row's billing method
unmapped           the catalog does not have the spec in that region (listed, not dropped)
correction         a correction of an earlier charge (not re-priced; see below)
credit             a Credit row (not re-priced; see below)
=================  ==========================================================================

Discounts are told apart from list differences: ``discount`` is ListCost minus
BilledCost, reported beside the list difference, never mixed into it.

Refunds and corrections are normal in a bill and are not differences. A Usage row is a
**correction** when its ``ChargeClass`` is ``Correction`` or its PricingQuantity, ListCost
or BilledCost is negative; it is matched to the billing month it corrects (the month of
its ``ChargePeriodStart``, not the month it was billed in) and its BilledCost is summed in
``correction_cost``. A ``Credit`` row's BilledCost is summed in ``credit_cost`` (in its
billing month). Neither is re-priced nor counted in ``billed_cost`` or ``difference``;
``net_billed_cost`` is ``billed_cost + correction_cost + credit_cost``, exact.

Only Alibaba Cloud PAI rows are reconciled (:mod:`pai_model.data.focus_scope`); the rows of
other services are counted in ``set_aside``, and an export without a PAI row is refused
with a message naming whose rows it holds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pai_model.bills.exchange import bill_sources, to_catalog_currency
from pai_model.bills.orders import is_dask
from pai_model.bills.usage import MICRO_DECIMALS, map_specs, micros, unit_ratio, usage_minutes
from pai_model.data.decimals import text_floats
from pai_model.data.focus_schema import focus_version
from pai_model.data.focus_scope import (
    SCOPE_COLUMNS,
    frame_codes,
    no_pai_message,
    pai_mask,
    scope_note,
    set_aside_table,
)
from pai_model.errors import UsageError
from pai_model.formulas.currency import fx_rates, rates_text
from pai_model.formulas.engine import bill_amounts
from pai_model.formulas.totals import minor_to_float, sum_table

CAUSES = (
    "match",
    "rounding",
    "catalog price",
    "rule",
    "price or rule",
    "no catalog price",
    "unmapped",
    "correction",
    "credit",
)
#: The columns re-pricing reads, with the spec's (and ``BillingPeriodStart`` when there is
#: one).
COLUMNS = (
    "RegionId",
    "ListCost",
    "BilledCost",
    "ListUnitPrice",
    "PricingQuantity",
    "PricingUnit",
    "ChargeCategory",
    "PricingCategory",
    "BillingCurrency",
    "ChargePeriodStart",
    "ChargePeriodEnd",
)
#: Read where present: whether a row is a correction, and whether it is PAI's.
OPTIONAL_COLUMNS = ("ChargeClass", *SCOPE_COLUMNS)
#: Exact amounts of a line in micro-units (int64, Python ints past it), summed in the summaries.
MONEY = (
    "billed_list_micros",
    "kit_list_micros",
    "difference_micros",
    "billed_micros",
    "correction_micros",
    "credit_micros",
)
#: What a row is to re-pricing: billed usage, a correction, a credit.
USAGE, CORRECTION, CREDIT = 0, 1, 2
_CENT = 10 ** (MICRO_DECIMALS - 2)


@dataclass(frozen=True)
class Reconciliation:
    """Result of :func:`reconcile`."""

    #: One row per billed line (see :func:`reprice_lines`); None out of core
    #: (:func:`~pai_model.bills.reconcile_files.reconcile_files` keeps only the sums).
    lines: pd.DataFrame | None
    #: Sums per (region_id, spec, currency): money and the count of each cause.
    by_spec: pd.DataFrame
    #: Sums per (month, currency).
    by_month: pd.DataFrame
    #: The (region, spec) the catalog lacks: :data:`~pai_model.bills.usage.UNMAPPED_COLUMNS`.
    unmapped: pd.DataFrame
    #: What a reader must know: which causes the kit can tell apart, deviations met.
    notes: list[str] = field(default_factory=list)
    #: Rows of other services than PAI, not reconciled: ``provider``, ``service``, ``rows``.
    set_aside: pd.DataFrame = field(default_factory=lambda: set_aside_table(Counter()))
    #: The export's FOCUS version (:func:`~pai_model.data.focus_schema.focus_version`).
    focus_version: str = "1.0"
    #: The exchange rates given, by (from, to): billed amounts converted with them.
    rates: dict[tuple[str, str], Any] = field(default_factory=dict)


def reconcile(
    rows: Any, catalog: pd.DataFrame, *, spec_column: str = "SkuId", fx: Any = None
) -> Reconciliation:
    """Re-price billed FOCUS rows with the kit and list the differences.

    Parameters
    ----------
    rows : pandas.DataFrame or dask.dataframe.DataFrame
        FOCUS rows (:func:`~pai_model.data.focus.read_focus`). A Dask DataFrame is re-priced
        partition by partition with the same kernel; its sums equal the pandas ones.
    catalog : pandas.DataFrame
        A catalog (:func:`~pai_model.data.catalog.read_catalog`).
    spec_column : str, default "SkuId"
        The column naming the node spec.
    fx : mapping or list of str, optional
        Exchange rates (:func:`~pai_model.formulas.currency.fx_rates`): a billed row in
        another currency than its catalog row is converted to the catalog's
        (:func:`~pai_model.bills.exchange.to_catalog_currency`); without a rate it is
        refused.

    Returns
    -------
    Reconciliation
        ``lines``, ``by_spec``, ``by_month``, ``unmapped``, ``notes``, ``set_aside`` (the
        rows of other services) and ``focus_version``. Money columns
        are the floats nearest to exact micro-units [currency]; the ``*_micros``
        columns are exact (int64, or Python ints where an amount or a sum passes int64:
        :mod:`pai_model.formulas.totals`).

    Raises
    ------
    UsageError
        When the rows hold no Alibaba Cloud PAI row, naming whose rows they hold.

    Examples
    --------
    The billing page's 45 minutes at 0.73 USD/minute, billed at 32.85 (match) and at
    33.58 for 46 minutes rounded up (a rule: 46 x 0.73 = 33.58):

    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model import paths
    >>> rows = pd.DataFrame({"RegionId": "cn-wulanchabu", "SkuId": "ml.gu7xf.8xlarge-gu108",
    ...     "ListCost": ["32.85", "33.58"], "BilledCost": ["32.85", "30.22"],
    ...     "ListUnitPrice": "0.73", "PricingQuantity": "45", "PricingUnit": "Node-Minutes",
    ...     "ChargeCategory": "Usage", "PricingCategory": "Standard", "BillingCurrency": "USD",
    ...     "ChargePeriodStart": pd.Timestamp("2026-01-01"),
    ...     "ChargePeriodEnd": pd.Timestamp("2026-01-01 00:45")})
    >>> result = reconcile(rows, read_catalog(paths.DOCUMENTED_CATALOG))
    >>> result.lines[["kit_list_cost", "difference", "discount", "cause"]].values.tolist()
    [[32.85, 0.0, 0.0, 'match'], [32.85, 0.73, 3.36, 'rule']]
    """
    from pai_model.data.catalog import catalog_table

    catalog = catalog_table(catalog)
    if not (isinstance(rows, pd.DataFrame) or is_dask(rows)):
        raise TypeError(
            f"rows must be a DataFrame of FOCUS rows (read_focus); got {type(rows).__name__}"
        )
    missing = [c for c in ("ChargeCategory", "ListCost", "BilledCost") if c not in rows.columns]
    if missing:
        hint = "; read the rows with read_focus"
        raise UsageError([f"missing required column {c!r}{hint}" for c in missing], "rows")
    rates = fx_rates(fx)
    sources = bill_sources(rows, catalog)
    if is_dask(rows):
        import dask

        rows = rows.map_partitions(
            to_catalog_currency,
            catalog,
            rates,
            spec_column,
            sources,
            meta=rows._meta.assign(x_OriginalCurrency=rows._meta["BillingCurrency"]),
        )
        lines = rows.map_partitions(reprice_lines, catalog, spec_column, meta=_meta(catalog))
        # one pass over the partitions for the lines, their sums, the unmapped, the others
        lines, partial, unmapped_rows, scope = dask.compute(
            lines,
            lines.map_partitions(_partial_sums),
            lines[lines["cause"] == "unmapped"],
            rows.map_partitions(scope_counts, meta=scope_counts(rows._meta)),
        )
        lines = lines.reset_index(drop=True)
    else:
        rows = to_catalog_currency(rows, catalog, rates, spec_column, sources)
        lines = reprice_lines(rows, catalog, spec_column)
        partial = _partial_sums(lines)
        unmapped_rows = lines[lines["cause"] == "unmapped"]
        scope = scope_counts(rows)
    others = Counter()
    for provider, service, count in scope[~scope["pai"]][["provider", "service", "rows"]].values:
        others[(provider, service)] += int(count)
    if others and not scope.loc[scope["pai"], "rows"].sum():
        raise UsageError([no_pai_message(others, _source(rows))], _source(rows))
    by_spec = summarise(partial, ["region_id", "spec", "currency"])
    by_month = summarise(partial, ["month", "currency"])
    unmapped = summarise(_partial_sums(unmapped_rows), ["region_id", "spec", "currency"])
    version = focus_version(rows.columns)
    found = notes(lines["cause"].value_counts(), others, version)
    if rates:
        found.append(
            f"{rates_text(rates)}: billed amounts in another currency than their catalog row"
            " are converted to the catalog's, each rounded once half up to its minor unit."
        )
    return Reconciliation(
        lines,
        by_spec,
        by_month,
        unmapped,
        found,
        set_aside=set_aside_table(others),
        focus_version=version,
        rates=rates,
    )


def _source(rows: Any) -> str:
    attrs = rows._meta.attrs if is_dask(rows) else rows.attrs
    return str(attrs.get("source") or "bills")


def scope_counts(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of other services than PAI by ``provider`` and ``service`` (``pai`` False),
    and the count of PAI rows (one row, ``pai`` True)."""
    pai, others = pai_mask(frame_codes(rows), len(rows))
    table = set_aside_table(others)
    table["pai"] = False
    mine = pd.DataFrame({"provider": [""], "service": [""], "rows": [int(pai.sum())], "pai": True})
    return pd.concat([table, mine], ignore_index=True).astype({"rows": np.int64, "pai": bool})


def row_kinds(
    category: np.ndarray, correction_class: np.ndarray, negative: np.ndarray
) -> np.ndarray:
    """What each row is to re-pricing: :data:`USAGE`, :data:`CORRECTION`, :data:`CREDIT`;
    -1 for a row not reconciled (Purchase, Tax, Adjustment).

    ``category`` is True for Usage rows (1) and Credit rows (2), else 0;
    ``correction_class`` whether ChargeClass is Correction; ``negative`` whether the
    quantity or a cost is negative.
    """
    return np.select(
        [category == 2, (category == 1) & (correction_class | negative), category == 1],
        [CREDIT, CORRECTION, USAGE],
        default=-1,
    ).astype(np.int8)


def reprice_lines(
    rows: pd.DataFrame, catalog: pd.DataFrame, spec_column: str = "SkuId"
) -> pd.DataFrame:
    """Each billed row re-priced by the engine, its difference and cause (one partition).

    Returns
    -------
    pandas.DataFrame
        ``month`` (for a correction, the month it corrects), ``billed_in`` (the month of
        the bill), ``region_id``, ``spec``, ``hardware``, ``currency``,
        ``billing_method``, ``quantity`` [node-month or node-minute], ``unit_price``
        (the catalog's), ``billed_unit_price``, ``billed_list_cost``, ``kit_list_cost``,
        ``difference`` (billed minus kit), ``billed_cost``, ``discount`` (list minus
        billed), ``correction_cost``, ``credit_cost``, ``net_billed_cost`` [currency],
        ``cause``, ``start``, and the exact ``*_micros``. Only the PAI rows' Usage and
        Credit lines.
    """
    pai = pai_mask(frame_codes(rows), len(rows))[0]
    category = rows["ChargeCategory"].map({"Usage": 1, "Credit": 2}).fillna(0).to_numpy(np.int8)
    correction_class = (
        rows["ChargeClass"].eq("Correction").fillna(False).to_numpy(bool)
        if "ChargeClass" in rows
        else np.zeros(len(rows), dtype=bool)
    )
    negative = (
        (text_floats(rows["PricingQuantity"]) < 0)
        | (text_floats(rows["ListCost"]) < 0)
        | (text_floats(rows["BilledCost"]) < 0)
    )
    kinds = row_kinds(category, correction_class, negative)
    chosen = pai & (kinds >= 0)
    usage = rows[chosen]
    kind = kinds[chosen]
    mapped = map_specs(usage, catalog, spec_column=spec_column).rows
    units, distinct = pd.factorize(mapped["PricingUnit"])
    per_month = np.array([is_monthly(u) for u in distinct] + [False])
    monthly = (mapped["PricingCategory"] == "Committed").to_numpy() | per_month[units]
    prices = catalog.set_index(["region_id", "spec"])[
        ["subscription_price_per_month", "payg_price_per_minute"]
    ]
    keys = pd.MultiIndex.from_arrays([mapped["region_id"], mapped["spec"]])
    offer = prices.reindex(keys)
    price = np.where(
        monthly, offer["subscription_price_per_month"], offer["payg_price_per_minute"]
    ).astype(np.float64)
    known = mapped["hardware"].notna().to_numpy()
    priced = known & np.isfinite(price) & (kind == USAGE)
    quantity = np.where(monthly, text_floats(mapped["PricingQuantity"]), usage_minutes(mapped))
    quantity = np.round(np.nan_to_num(quantity), 3)
    kit = kit_cents(price, quantity, monthly, priced) * _CENT
    billed_list, billed, correction, credit = split_money(
        kind, micros(mapped["ListCost"]), micros(mapped["BilledCost"])
    )
    difference = np.where(priced, billed_list - kit, 0)
    num, den = unit_ratio(mapped["PricingUnit"])
    billed_price = mapped["ListUnitPrice"]
    codes = cause_codes(
        price,
        priced,
        known,
        difference,
        monthly,
        num,
        den,
        micros(billed_price),
        billed_price.notna().to_numpy(),
    )
    cause = np.array(CAUSES)[with_kinds(codes, kind)]
    mapped = mapped.reset_index(drop=True)
    charged = mapped["ChargePeriodStart"].dt.to_period("M").dt.start_time.to_numpy()
    billed_in = (
        mapped["BillingPeriodStart"].to_numpy() if "BillingPeriodStart" in mapped else charged
    )
    lines = pd.DataFrame(
        {
            # a correction counts in the month it corrects
            "month": np.where(kind == CORRECTION, charged, billed_in),
            "billed_in": billed_in,
            "region_id": mapped["region_id"].fillna(""),
            "spec": mapped["spec"].fillna(""),
            "hardware": mapped["hardware"],
            "currency": mapped["BillingCurrency"],
            "billing_method": np.where(monthly, "subscription", "payg"),
            "quantity": quantity,
            "unit_price": price,
            "billed_unit_price": text_floats(mapped["ListUnitPrice"]),
            "cause": cause,
            "start": mapped["ChargePeriodStart"].to_numpy(),
            "billed_list_micros": billed_list,
            "kit_list_micros": kit,
            "difference_micros": difference,
            "billed_micros": billed,
            "correction_micros": correction,
            "credit_micros": credit,
        }
    )
    return with_amounts(lines)


def split_money(kind: np.ndarray, listed: np.ndarray, billed: np.ndarray) -> tuple:
    """Billed list and billed cost of usage rows, billed cost of corrections and of credits
    (each 0 on the other rows) [micro-units]."""
    usage = kind == USAGE
    return (
        np.where(usage, listed, 0),
        np.where(usage, billed, 0),
        np.where(kind == CORRECTION, billed, 0),
        np.where(kind == CREDIT, billed, 0),
    )


def with_kinds(codes: np.ndarray, kind: np.ndarray) -> np.ndarray:
    """The causes of :func:`cause_codes`, with corrections and credits named as such."""
    return np.select(
        [kind == CORRECTION, kind == CREDIT],
        [CAUSES.index("correction"), CAUSES.index("credit")],
        default=codes,
    ).astype(np.int8)


def is_monthly(unit: str) -> bool:
    """Whether a PricingUnit is a number of months (``Node-Months``)."""
    return str(unit).endswith(("Month", "Months"))


def kit_cents(
    price: np.ndarray, quantity: np.ndarray, monthly: np.ndarray, priced: np.ndarray
) -> np.ndarray:
    """The engine's list cost of each line in cents (0 where not priced).

    A monthly line is ``quantity`` nodes for one month at ``price`` per month; any other
    is one node for ``quantity`` minutes at ``price`` per minute.
    """
    cents = np.zeros(len(price), dtype=np.int64)
    for mask, per_minute in ((priced & monthly, False), (priced & ~monthly, True)):
        if mask.any():
            q, d = (quantity[mask], 1) if not per_minute else (1, quantity[mask])
            minor = bill_amounts(price[mask], q, d, per_minute=per_minute, minor_units=True)[1]
            cents[mask] = minor
    return cents


def cause_codes(
    price: np.ndarray,
    priced: np.ndarray,
    known: np.ndarray,
    difference: np.ndarray,
    monthly: np.ndarray,
    numerator: np.ndarray,
    denominator: np.ndarray,
    billed_price: np.ndarray,
    has_price: np.ndarray,
) -> np.ndarray:
    """The cause of each line's difference as its position in :data:`CAUSES`.

    ``numerator / denominator`` are the minutes in the line's unit
    (:func:`~pai_model.bills.usage.unit_ratio`), ``billed_price`` the billed
    ListUnitPrice in micro-units and ``has_price`` whether there is one.
    """
    # a price per month, or per a unit that is not a time, is compared as it is
    plain = monthly | (numerator == 0)
    num, den = np.where(plain, 1, numerator), np.where(plain, 1, denominator)
    catalog_micros = np.rint(np.nan_to_num(price) * 10**MICRO_DECIMALS).astype(np.int64)
    same_price = catalog_micros * num == billed_price * den
    # bool arrays also where an amount past int64 makes the micro-units Python ints
    same_price = np.asarray(same_price, dtype=bool)
    nothing = np.asarray(difference == 0, dtype=bool)
    small = np.asarray(np.abs(difference) <= _CENT, dtype=bool)
    return np.select(
        [~known, ~priced, nothing, has_price & ~same_price, ~has_price, small],
        [
            CAUSES.index(c)
            for c in (
                "unmapped",
                "no catalog price",
                "match",
                "catalog price",
                "price or rule",
                "rounding",
            )
        ],
        default=CAUSES.index("rule"),
    ).astype(np.int8)


def _partial_sums(lines: pd.DataFrame) -> pd.DataFrame:
    """Exact sums per (month, region, spec, currency): money in micro-units, causes counted."""
    keys = ["month", "region_id", "spec", "currency"]
    table = lines[keys + list(MONEY)].reset_index(drop=True)
    cause = lines["cause"].to_numpy()
    for name in CAUSES:
        table[name] = (cause == name).astype(np.int64)
    table["lines"] = 1
    return sum_table(table, keys, [*MONEY, *CAUSES, "lines"])


def summarise(partial: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sums of :func:`_partial_sums` over ``keys``, with the money as floats [currency].

    The sums are exact integers (:func:`~pai_model.formulas.totals.sum_table`), so
    grouping partial sums again gives the same totals, at any size.
    """
    table = with_amounts(sum_table(partial, keys, ["lines", *MONEY, *CAUSES]))
    listed = table["billed_list_cost"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        table["discount_percent"] = np.where(
            listed > 0, 100.0 * table["discount"].to_numpy() / listed, np.nan
        )
    return table


def with_amounts(table: pd.DataFrame) -> pd.DataFrame:
    """The money of exact ``*_micros`` columns as the nearest floats [currency]."""
    billed_list = table["billed_list_micros"].to_numpy()
    amounts = {
        "billed_list_cost": billed_list,
        "kit_list_cost": table["kit_list_micros"].to_numpy(),
        "difference": table["difference_micros"].to_numpy(),
        "billed_cost": table["billed_micros"].to_numpy(),
        "discount": billed_list - table["billed_micros"].to_numpy(),
        "correction_cost": table["correction_micros"].to_numpy(),
        "credit_cost": table["credit_micros"].to_numpy(),
        "net_billed_cost": table["billed_micros"].to_numpy()
        + table["correction_micros"].to_numpy()
        + table["credit_micros"].to_numpy(),
    }
    for name, micro_units in amounts.items():
        table[name] = minor_to_float(micro_units, MICRO_DECIMALS)
    return table


def notes(counts: pd.Series, others: Counter | None = None, version: str = "1.0") -> list[str]:
    """What a reader must know, from the count of lines of each cause, the rows of other
    services set aside and the export's FOCUS version."""
    kinds = ("correction", "credit")
    found = ", ".join(
        f"{counts.get(c, 0):,} {c}" for c in CAUSES if counts.get(c, 0) and c not in kinds
    )
    fixed = int(counts.get("correction", 0)) + int(counts.get("credit", 0))
    said = [
        f"FOCUS {version} export (the version told by its columns).",
        scope_note(others or Counter(), int(counts.sum())),
        f"{int(counts.sum()) - fixed:,} billed usage lines re-priced by the kit's engine: {found}.",
        "The kit tells apart a wrong catalog price (the billed unit price differs), a"
        " discount (billed cost below list cost, reported apart) and a rule it lacks (same"
        " unit price, different amount); rows without a ListUnitPrice (an Alibaba deviation)"
        " are 'price or rule'. Unmapped specs are listed, never dropped.",
    ]
    if fixed:
        said.append(
            f"{int(counts.get('correction', 0)):,} corrections (ChargeClass Correction, or a"
            f" negative quantity or cost) and {int(counts.get('credit', 0)):,} credits"
            " are not re-priced and are not differences: their billed cost is in"
            " correction_cost (in the month each corrects) and credit_cost; net_billed_cost ="
            " billed_cost + correction_cost + credit_cost."
        )
    return said


def _meta(catalog: pd.DataFrame) -> pd.DataFrame:
    """The columns and types of :func:`reprice_lines`, for Dask."""
    names = (*COLUMNS, "SkuId", "BillingPeriodStart", "ChargeClass")
    empty = pd.DataFrame(
        {
            name: pd.Series(dtype="datetime64[us]" if name.endswith(("Start", "End")) else "str")
            for name in names
        }
    )
    return reprice_lines(empty, catalog)
