"""Out of core: re-price billed FOCUS lines part by part, batch by batch, keeping only sums.

:func:`reconcile_files` reads a FOCUS export part by part (a Parquet file one row group
at a time, only the columns re-pricing needs), re-prices every Usage line with the same
engine and rules as :func:`pai_model.bills.reconcile.reconcile` and keeps only exact integer
sums per (month, region, spec, currency), so memory is that of one row group whatever
the number of lines. The sums are exact at any size: each batch adds its amounts in two
32-bit words (:func:`pai_model.formulas.totals.group_sums`), and the batches' sums are
added as Python integers where int64 could overflow
(:func:`~pai_model.formulas.totals.sum_table`). Its ``by_spec``, ``by_month``,
``unmapped`` and ``notes`` equal ``reconcile``'s on the same rows; it keeps no ``lines``.

Text is worked on as dictionary codes: each distinct region and spec pair, unit,
category, currency and month of a batch is looked up once, not once a row, and amounts
are read as exact integers from Arrow's string buffers
(:func:`~pai_model.data.decimals.text_units`).
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from pai_model.bills.exchange import bill_sources, currency_pairs
from pai_model.bills.reconcile import (
    _CENT,
    CAUSES,
    COLUMNS,
    CORRECTION,
    MONEY,
    OPTIONAL_COLUMNS,
    USAGE,
    Reconciliation,
    cause_codes,
    is_monthly,
    kit_cents,
    notes,
    row_kinds,
    split_money,
    summarise,
    with_kinds,
)
from pai_model.bills.usage import micros, minutes_of, unit_ratio
from pai_model.data.arrays import dictionary_codes, dictionary_encoded
from pai_model.data.decimals import text_floats
from pai_model.data.focus_schema import focus_version
from pai_model.data.focus_scope import (
    no_pai_message,
    pai_mask,
    set_aside_table,
    table_codes,
)
from pai_model.errors import Problem, TableError, UsageError
from pai_model.formulas.totals import group_sums, joined, sums_by_group

#: Text columns read from Parquet as dictionaries: few distinct values, many rows.
DICTIONARIES = (
    "RegionId",
    "PricingUnit",
    "ChargeCategory",
    "PricingCategory",
    "BillingCurrency",
    "ListUnitPrice",
    *OPTIONAL_COLUMNS,
)
_KEYS = ["month", "region_id", "spec", "currency"]
_PER_SECOND = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}
#: The key under which a scope counter holds the count of PAI rows.
_PAI = ("", "\x00PAI rows")
#: Largest table of (month, pair, currency) groups of one batch counted directly.
_DIRECT = 1 << 22


class Offers:
    """The catalog's prices by (region, spec), looked up once per distinct pair."""

    def __init__(self, catalog: pd.DataFrame) -> None:
        # as map_specs and reprice_lines find them: hardware by the text of the keys,
        # prices by the keys themselves
        regions, specs = catalog["region_id"], catalog["spec"]
        self.known = set(zip(regions.astype(str), specs.astype(str), strict=True))
        columns = ["subscription_price_per_month", "payg_price_per_minute"]
        values = catalog[columns].to_numpy(np.float64)
        self.prices = dict(zip(zip(regions, specs, strict=True), map(tuple, values), strict=True))

    def lookup(self, region: Any, spec: Any) -> tuple[bool, float, float]:
        """Whether the catalog has the pair, its price per month and per minute (NaN: none)."""
        if region is None or spec is None:
            return False, np.nan, np.nan
        month, minute = self.prices.get((region, spec), (np.nan, np.nan))
        return (str(region), str(spec)) in self.known, month, minute


def reconcile_files(
    source: str | os.PathLike[str],
    catalog: pd.DataFrame,
    *,
    spec_column: str = "SkuId",
    validate: bool = False,
    client: Any = None,
) -> Reconciliation:
    """Re-price a FOCUS export out of core: the sums of
    :func:`~pai_model.bills.reconcile.reconcile`.

    Parameters
    ----------
    source : path-like or str
        As :func:`~pai_model.data.focus.read_focus` takes it: a file, a folder, a glob or an
        fsspec URL.
    catalog : pandas.DataFrame
        A catalog (:func:`~pai_model.data.catalog.read_catalog`).
    spec_column : str, default "SkuId"
        The column naming the node spec.
    validate : bool, default False
        Read each part through :func:`~pai_model.data.focus.read_part` (every FOCUS
        rule checked, every problem of every part listed, deviations warned), as
        ``read_focus`` does. Without it, Parquet parts are streamed with pyarrow, one row
        group at a time, and only the columns re-pricing reads are read; other parts
        (CSV, zip members) are always read through ``read_part``.
    client : distributed.Client, optional
        Re-price one part per task on its workers; only the sums come back.

    Returns
    -------
    Reconciliation
        ``by_spec``, ``by_month``, ``unmapped``, ``notes``, ``set_aside`` and
        ``focus_version`` equal to ``reconcile``'s on the rows of the export; ``lines`` is
        None.

    Raises
    ------
    UsageError
        No such file, a part that cannot be read, a missing column, an amount that is not
        a decimal (and, with ``validate``, every problem of every part); an export
        without an Alibaba Cloud PAI row (naming whose rows it holds).
    """
    from pai_model.data.focus import added_deviations, warn_deviations
    from pai_model.data.sources import expand

    parts = expand(source)
    offers = Offers(catalog)
    if client is None:
        results = [part_sums(p, offers, spec_column, validate) for p in parts]
    else:
        futures = client.map(
            part_sums,
            parts,
            offers=offers,
            spec_column=spec_column,
            validate=validate,
            pure=False,
        )
        results = client.gather(futures)
    problems = [problem for result in results for problem in result.problems]
    if problems:
        raise UsageError(problems, os.fspath(source))
    others, pai, columns = Counter(), 0, set()
    for result in results:
        others.update(result.others)
        pai += result.pai
        columns |= set(result.columns)
    if others and not pai:
        raise UsageError([no_pai_message(others, os.fspath(source))], os.fspath(source))
    if validate:
        found = [r.deviations for r in results if r.deviations is not None]
        warn_deviations(added_deviations(found), source)
    partial = pd.concat([r.sums for r in results], ignore_index=True)
    # streamed sums cannot be converted line by line: mixed currencies are refused here
    # (reconcile() converts them in memory with fx)
    currency_pairs(partial, catalog, (os.fspath(source), bill_sources(None, catalog)[1]), {})
    by_spec = summarise(partial, ["region_id", "spec", "currency"])
    by_month = summarise(partial, ["month", "currency"])
    unmapped = summarise(partial[partial["unmapped"] > 0], ["region_id", "spec", "currency"])
    counts = by_month[list(CAUSES)].sum().astype(np.int64)
    version = focus_version(columns)
    return Reconciliation(
        None,
        by_spec,
        by_month,
        unmapped,
        notes(counts, others, version),
        set_aside_table(others),
        version,
    )


class PartSums(NamedTuple):
    """What :func:`part_sums` finds in one part of an export."""

    #: Partial sums (:func:`partial_sums`).
    sums: pd.DataFrame
    #: The deviations met (with ``validate``), else None.
    deviations: pd.DataFrame | None
    #: The problems that kept the part from being read.
    problems: list[Problem]
    #: Rows of other services, by (provider, service), and the count of PAI rows.
    others: Counter
    pai: int
    #: The part's columns (its FOCUS version is told by them).
    columns: list[str]


def part_sums(
    part: Any, offers: Offers, spec_column: str = "SkuId", validate: bool = False
) -> PartSums:
    """Sums of one part of an export, the deviations met, its problems, its rows of other
    services and its columns (:class:`PartSums`).

    A part with problems gives empty sums and its problems, so that every part's are
    listed together, as :func:`~pai_model.data.focus.read_focus` lists them.
    """
    from pai_model.data.focus import deviations, read_part

    scope = Counter()
    try:
        if not validate and part.member is None and _is_parquet(part.path):
            streamed = _streamed(part, offers, spec_column, scope)
            if streamed is not None:
                sums, columns = streamed
                pai = scope.pop(_PAI, 0)
                return PartSums(sums, None, [], scope, pai, columns)
        rows = read_part(part)
        found = deviations(rows) if validate else None
        sums = partial_sums(rows, offers, spec_column, scope)
        pai = scope.pop(_PAI, 0)
        return PartSums(sums, found, [], scope, pai, list(rows.columns))
    except TableError as error:
        empty = partial_sums(None, offers, spec_column)
        return PartSums(empty, None, list(error.problems), Counter(), 0, [])


def partial_sums(
    rows: Any, offers: Offers, spec_column: str = "SkuId", scope: Counter | None = None
) -> pd.DataFrame:
    """Exact sums per (month, region, spec, currency) of one batch of FOCUS rows.

    ``rows`` is a pandas DataFrame or a pyarrow Table (None: no rows). The columns are
    :func:`~pai_model.bills.reconcile._partial_sums`'s: the keys, the ``*_micros`` money, the
    count of lines of each cause, ``lines``. Only PAI rows are summed (Usage and Credit
    rows, corrections apart, as :func:`~pai_model.bills.reconcile.reprice_lines` does);
    ``scope``, when given, counts the others by (provider, service) and the PAI rows.
    """
    import pyarrow as pa

    if rows is None:
        keys = pd.DataFrame({k: pd.Series(dtype="str") for k in _KEYS})
        empty = np.zeros(0, dtype=np.int64)
        return _frame(keys, [empty] * len(MONEY), np.zeros((0, len(CAUSES) + 1), np.int64))
    table = rows if isinstance(rows, pa.Table) else _arrow(rows, spec_column)
    table = table.unify_dictionaries()
    pai, others = pai_mask(table_codes(table), table.num_rows)
    if scope is not None:
        scope.update(others)
        scope[_PAI] += int(pai.sum())
    codes, values = dictionary_codes(table["ChargeCategory"])
    category = np.array([{"Usage": 1, "Credit": 2}.get(v, 0) for v in values], np.int8)[codes]
    correction_class = np.zeros(table.num_rows, dtype=bool)
    if "ChargeClass" in table.column_names:
        codes, values = dictionary_codes(table["ChargeClass"])
        correction_class = np.array([v == "Correction" for v in values], dtype=bool)[codes]
    negative = np.zeros(table.num_rows, dtype=bool)
    for column in ("PricingQuantity", "ListCost", "BilledCost"):
        negative |= text_floats(table[column]) < 0
    kind = row_kinds(category, correction_class, negative)
    chosen = pai & (kind >= 0)
    if not chosen.all():
        table, kind = table.filter(chosen), kind[chosen]
    corrections = kind == CORRECTION
    if corrections.any() and "BillingPeriodStart" in table.column_names:
        # a correction counts in the month it corrects: that of its ChargePeriodStart
        rest = _kind_sums(table.filter(~corrections), kind[~corrections], offers, spec_column)
        fixed = table.filter(corrections).drop_columns(["BillingPeriodStart"])
        fixed_sums = _kind_sums(fixed, kind[corrections], offers, spec_column)
        return pd.concat([rest, fixed_sums], ignore_index=True)
    return _kind_sums(table, kind, offers, spec_column)


def _kind_sums(table: Any, kind: np.ndarray, offers: Offers, spec_column: str) -> pd.DataFrame:
    """:func:`partial_sums` of rows of the kinds ``kind`` (of :func:`row_kinds`)."""
    region, regions = dictionary_codes(table["RegionId"])
    spec, specs = dictionary_codes(table[spec_column])
    pair, pairs = _pairs(region, len(regions), spec, len(specs))
    looked = [offers.lookup(regions[p // len(specs)], specs[p % len(specs)]) for p in pairs]
    known_pair = np.array([k for k, _, _ in looked] + [False], dtype=bool)[pair]
    month_price = np.array([m for _, m, _ in looked] + [np.nan])[pair]
    minute_price = np.array([m for _, _, m in looked] + [np.nan])[pair]

    unit, units = dictionary_codes(table["PricingUnit"])
    numerator, denominator = (r[unit] for r in unit_ratio(pd.Series(units, dtype=object)))
    per_month = np.array([u is not None and is_monthly(u) for u in units], dtype=bool)[unit]
    category, categories = dictionary_codes(table["PricingCategory"])
    committed = np.array([c == "Committed" for c in categories], dtype=bool)[category]
    monthly = committed | per_month
    price = np.where(monthly, month_price, minute_price).astype(np.float64)
    priced = known_pair & np.isfinite(price) & (kind == USAGE)
    quantity = text_floats(table["PricingQuantity"])
    minutes = minutes_of(numerator, denominator, quantity, _period_minutes(table))
    quantity = np.round(np.nan_to_num(np.where(monthly, quantity, minutes)), 3)
    kit = kit_cents(price, quantity, monthly, priced) * _CENT
    billed_list, billed, correction, credit = split_money(
        kind, micros(table["ListCost"]), micros(table["BilledCost"])
    )
    difference = np.where(priced, billed_list - kit, 0)
    has_price = table["ListUnitPrice"].is_valid().to_numpy(zero_copy_only=False)
    billed_price = micros(table["ListUnitPrice"])
    cause = cause_codes(
        price,
        priced,
        known_pair,
        difference,
        monthly,
        numerator,
        denominator,
        billed_price,
        has_price,
    )
    cause = with_kinds(cause, kind)

    month, months = _months(table)
    currency, currencies = dictionary_codes(table["BillingCurrency"])
    sizes = (len(months), len(pairs) + 1, len(currencies))
    group = (month.astype(np.int64) * sizes[1] + pair) * sizes[2] + currency
    distinct = None
    if sizes[0] * sizes[1] * sizes[2] > _DIRECT:
        distinct, group = np.unique(group, return_inverse=True)
    groups = len(distinct) if distinct is not None else sizes[0] * sizes[1] * sizes[2]
    money = [billed_list, kit, difference, billed, correction, credit]
    group = group.astype(np.int64)
    counts = np.zeros((groups, len(CAUSES) + 1), dtype=np.int64)
    if all(m.dtype != object for m in money):
        high = np.zeros((groups, len(MONEY)), dtype=np.int64)
        low = np.zeros((groups, len(MONEY)), dtype=np.int64)
        group_sums(
            group, np.column_stack(money), cause.astype(np.int64), len(CAUSES), high, low, counts
        )
        totals = [joined(high[:, c], low[:, c]) for c in range(len(MONEY))]
    else:  # an amount past int64 (Python ints): exact sums in Python
        np.add.at(counts, (group, cause.astype(np.int64)), 1)
        np.add.at(counts[:, -1], group, 1)
        totals = [sums_by_group(group, m, groups) for m in money]
    found = np.flatnonzero(counts[:, -1])
    key = found if distinct is None else distinct[found]
    key, c = np.divmod(key, sizes[2])
    m, p = np.divmod(key, sizes[1])
    region_of = np.array([regions[q // len(specs)] for q in pairs] + [None], dtype=object)
    spec_of = np.array([specs[q % len(specs)] for q in pairs] + [None], dtype=object)
    keys = pd.DataFrame(
        {
            "month": months.to_numpy()[m],
            "region_id": pd.Series(region_of[p], dtype="str").fillna(""),
            "spec": pd.Series(spec_of[p], dtype="str").fillna(""),
            "currency": pd.Series(np.array(currencies, dtype=object)[c], dtype="str"),
        }
    )
    return _frame(keys, [t[found] for t in totals], counts[found])


def _frame(keys: pd.DataFrame, money: list[np.ndarray], counts: np.ndarray) -> pd.DataFrame:
    """The partial sums' table: the keys, the exact money, the count of each cause, lines."""
    frame = keys.copy()
    for name, values in zip(MONEY, money, strict=True):
        frame[name] = values
    for position, name in enumerate([*CAUSES, "lines"]):
        frame[name] = counts[:, position]
    return frame


def _pairs(region: np.ndarray, regions: int, spec: np.ndarray, specs: int) -> tuple:
    """Each row's (region, spec) pair as a position in the pairs met, and those pairs.

    A pair is ``region * specs + spec``; with few enough, every pair of the two
    dictionaries is looked up, else only those met.
    """
    pair = region.astype(np.int64) * specs + spec
    if regions * specs <= 1 << 16:
        return pair, np.arange(regions * specs)
    pairs, pair = np.unique(pair, return_inverse=True)
    return pair, pairs


def _months(table: Any) -> tuple[np.ndarray, pd.Series]:
    """Each row's month as a code, and the months as ``reprice_lines`` writes them."""
    import pyarrow.compute as pc

    if "BillingPeriodStart" in table.column_names:
        code, distinct = dictionary_encoded(table["BillingPeriodStart"])
        return code, pd.Series(distinct.to_pandas())
    # the month of the floor is the month of the time: pandas names it, once a month
    code, distinct = dictionary_encoded(pc.floor_temporal(table["ChargePeriodStart"], unit="month"))
    return code, pd.Series(distinct.to_pandas()).dt.to_period("M").dt.start_time


def _period_minutes(table: Any) -> np.ndarray:
    """The charge period of each row [minutes], as pandas' ``total_seconds() / 60``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    start, end = table["ChargePeriodStart"], table["ChargePeriodEnd"]
    unit = max(start.type.unit, end.type.unit, key=_PER_SECOND.__getitem__)
    ticks = [
        c.cast(pa.timestamp(unit, c.type.tz)).cast(pa.int64()).fill_null(0).to_numpy()
        for c in (start, end)
    ]
    seconds = (ticks[1] - ticks[0]) / _PER_SECOND[unit]
    missing = pc.or_(start.is_null(), end.is_null()).to_numpy()
    seconds[missing] = np.nan
    return seconds / 60.0


def _arrow(rows: pd.DataFrame, spec_column: str) -> Any:
    import pyarrow as pa

    optional = ("BillingPeriodStart", *OPTIONAL_COLUMNS)
    names = [*COLUMNS, spec_column] + [c for c in optional if c in rows]
    chosen = rows[list(dict.fromkeys(names))]
    chosen.attrs = {}  # Arrow keeps attrs as JSON; the sums need none of them
    return pa.Table.from_pandas(chosen, preserve_index=False)


def _is_parquet(path: str) -> bool:
    return path.lower().endswith((".parquet", ".pq"))


def _streamed(
    part: Any, offers: Offers, spec_column: str, scope: Counter
) -> tuple[pd.DataFrame, list[str]] | None:
    """Sums of a Parquet part read one row group at a time, and the part's columns; None
    if its columns are not of the types re-pricing reads (times as text: read through the
    FOCUS rules instead).
    """
    import pyarrow as pa

    from pai_model.data.sources import open_parquet

    with open_parquet(part) as first:
        schema = first.schema_arrow
        wanted = list(dict.fromkeys([*COLUMNS, spec_column]))
        missing = [c for c in wanted if c not in schema.names]
        if missing:
            raise TableError(
                [Problem(part.name, f"missing required column {c!r}") for c in missing]
            )
        optional = ("BillingPeriodStart", *OPTIONAL_COLUMNS)
        wanted += [c for c in optional if c in schema.names]
        for name in wanted:
            kind = schema.field(name).type
            time = name.endswith("Start") or name.endswith("End")
            if time != pa.types.is_timestamp(kind) or not (time or _is_text(kind)):
                return None
    dictionaries = [c for c in DICTIONARIES if c in wanted]
    with open_parquet(part, read_dictionary=dictionaries) as reader:
        sums = [
            partial_sums(reader.read_row_group(group, columns=wanted), offers, spec_column, scope)
            for group in range(reader.num_row_groups)
        ]
    if not sums:
        return partial_sums(None, offers), list(schema.names)
    return pd.concat(sums, ignore_index=True), list(schema.names)


def _is_text(kind: Any) -> bool:
    import pyarrow as pa

    return pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)
