"""The contract of every table the kit reads: one pandera ``DataFrameModel`` each.

:func:`pai_model.data.tables.read_table` reads a table and converts each column to the type
its model declares (a cell that cannot be converted is a problem), then validates it with
the model, ``lazy=True``, so that every problem is reported at once. A check's ``error``
is the sentence a user reads; a check of whole rows is declared with :func:`row_check`,
which names the column its problem is reported on.

Counts (``quantity``, ``nodes``, ``months``) are declared as float so that ``1.5`` is
reported as "not a whole number" rather than as an unreadable cell; the readers that use
a model turn them into integers once they are valid. Prices stay text: the catalog parses
them exactly, never through float.

===========================  ==========================  ==========================
model                        table                       read by
===========================  ==========================  ==========================
:class:`CatalogSchema`       price catalog               :func:`.read_catalog`
:class:`OrderSchema`         orders                      :func:`.price_orders`
:class:`FleetSchema`         node groups of a fleet      :func:`.read_fleet`
:class:`JobSchema`           job records                 :func:`.read_jobs`
:class:`DemandSampleSchema`  sampled nodes in use        the planner
===========================  ==========================  ==========================
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from pai_model.data import methods
from pai_model.data.decimals import is_decimal_text
from pai_model.data.pandera_lean import Series, pa
from pai_model.data.regions import GENERAL_ONLY_REGIONS
from pai_model.formulas.arguments import (
    DECIMAL_WORDS,
    MAX_MINUTES,
    MAX_MONTHS,
    MAX_QUANTITY,
    MAX_UNIT_PRICE,
    MAX_YEAR_PRICE,
    MINUTE_DECIMALS,
    PRICE_DECIMALS,
)

#: Column a row check's problem is reported on, by the check's error text.
ROW_CHECK_COLUMNS: dict[str, str] = {}
#: Problem text of pandera's own checks, by check name.
BUILTIN_MESSAGES = {
    "not_nullable": "empty, but the column is required",
    "field_uniqueness": "repeated; each value may appear once",
}
RESOURCE_TYPES = ("general", "lingjun", "public")
#: Price columns of a catalog; all but the year price are bounded by MAX_UNIT_PRICE.
PRICES = (
    "subscription_price_per_month",
    "subscription_price_per_year",
    "payg_price_per_minute",
    "payg_price_per_hour",
)
_UNIT_PRICES = tuple(p for p in PRICES if p != "subscription_price_per_year")
#: The prefix of spec names of each dedicated resource type (Alibaba's naming).
SPEC_PREFIXES = {"general": "ecs.", "lingjun": "ml."}
#: Days an ``as_of`` date may lie after today's UTC date: a price read east of UTC is
#: dated a day ahead of it.
AS_OF_GRACE_DAYS = 1
#: The largest whole number of nodes of one job record (or sample): the most nodes the
#: billing formulas price in one line.
MAX_JOB_NODES = MAX_QUANTITY


def row_check(column: str, error: str) -> Callable[[Any], Any]:
    """Declare a check of whole rows whose problem is reported on ``column``.

    The decorated classmethod takes the table and returns a boolean Series, True for a
    good row. Missing cells are passed to it as they are (``ignore_na=False``).

    Parameters
    ----------
    column : str
        The column each failing row's problem names (its value is quoted).
    error : str
        What is wrong, as the user reads it.
    """
    ROW_CHECK_COLUMNS[error] = column
    return pa.dataframe_check(error=error, ignore_na=False)


def _whole(values: pd.Series, low: float, high: float) -> pd.Series:
    return (values >= low) & (values <= high) & (values % 1 == 0)


def _text(values: pd.Series) -> pd.Series:
    """Missing cells as '' so that string methods give a boolean for every row."""
    return values.fillna("").astype(str)


def _number(values: pd.Series) -> pd.Series:
    """Decimal text as numbers (NaN where not a decimal); exact enough for bound checks,
    since no price of at most 6 decimals rounds across a bound."""
    return pd.to_numeric(values.where(is_decimal_text(values)))


def _dates(values: pd.Series) -> pd.Series:
    """YYYY-MM-DD text as dates, NaT where it is not one."""
    # [0-9], not \d: a date of other scripts' digits is not YYYY-MM-DD
    shaped = values.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fillna(False).astype(bool)
    return pd.to_datetime(values.where(shaped), format="%Y-%m-%d", errors="coerce")


def misnamed_specs(table: pd.DataFrame) -> pd.Series:
    """True for a general spec not named ``ecs.*`` or a Lingjun spec not named ``ml.*``."""
    spec = _text(table["spec"])
    misnamed = np.zeros(len(table), dtype=bool)
    for resource_type, prefix in SPEC_PREFIXES.items():  # vectorized: a catalog may be big
        of_type = (table["resource_type"] == resource_type).to_numpy(dtype=bool, na_value=False)
        misnamed |= of_type & ~spec.str.startswith(prefix).to_numpy(dtype=bool)
    return pd.Series(misnamed, index=table.index)


#: Words of a catalog's stock columns: in stock, out of stock, or not known (a fetched spec
#: without ``IsAvailable``).
STOCK_TRUE = ("true", "yes", "1")
STOCK_FALSE = ("false", "no", "0")
STOCK_UNKNOWN = "unknown"
STOCK_WORDS = (*STOCK_TRUE, *STOCK_FALSE, STOCK_UNKNOWN)


class CatalogSchema(pa.DataFrameModel):
    """A price catalog: one row per offer (columns in :mod:`pai_model.data.catalog`)."""

    region_id: Series[str] = pa.Field(description="region id such as cn-shanghai")
    region_name: Series[str] | None = pa.Field(nullable=True)
    resource_type: Series[str]
    spec: Series[str]
    hardware: Series[str] | None = pa.Field(nullable=True, description="defaults to spec")
    vcpu: Series[float] | None = pa.Field(nullable=True)
    memory_gib: Series[float] | None = pa.Field(nullable=True)
    gpu_model: Series[str] | None = pa.Field(nullable=True)
    gpu_count: Series[float] | None = pa.Field(nullable=True)
    subscription_price_per_month: Series[str] | None = pa.Field(nullable=True)
    subscription_price_per_year: Series[str] | None = pa.Field(nullable=True)
    payg_price_per_minute: Series[str] | None = pa.Field(nullable=True)
    payg_price_per_hour: Series[str] | None = pa.Field(nullable=True)
    currency: Series[str]
    in_stock: Series[str] | None = pa.Field(nullable=True)
    subscription_in_stock: Series[str] | None = pa.Field(nullable=True)
    payg_in_stock: Series[str] | None = pa.Field(nullable=True)
    #: False where a stock is unknown (a loaded catalog written back keeps saying so).
    stock_known: Series[pd.BooleanDtype] | None = pa.Field(nullable=True)
    source: Series[str]
    as_of: Series[str]
    note: Series[str] | None = pa.Field(nullable=True)

    @pa.dataframe_parser
    def _hardware_defaults_to_spec(cls, df: pd.DataFrame) -> pd.DataFrame:
        df["hardware"] = df["hardware"].fillna(df["spec"])
        return df

    @pa.check("region_id", error="not a region id such as cn-shanghai")
    def _region(cls, values: pd.Series) -> pd.Series:
        return values.str.fullmatch(r"[a-z]{2,}(-[a-z0-9]+)+")

    @pa.check(
        "resource_type",
        error=f"not a known resource type ({', '.join(RESOURCE_TYPES[:-1])} or"
        f" {RESOURCE_TYPES[-1]})",
    )
    def _resource_type(cls, values: pd.Series) -> pd.Series:
        return values.isin(RESOURCE_TYPES)

    @pa.check("vcpu", "gpu_count", error="not a whole number of at least 0")
    def _count(cls, values: pd.Series) -> pd.Series:
        return _whole(values, 0, np.inf)

    @pa.check("memory_gib", error="not a number of at least 0")
    def _memory(cls, values: pd.Series) -> pd.Series:
        return values >= 0

    @pa.check(*PRICES, error=f"not a decimal number ({DECIMAL_WORDS})")
    def _price_is_decimal(cls, values: pd.Series) -> pd.Series:
        return is_decimal_text(values)

    @pa.check(*PRICES, error="must be greater than 0")
    def _price_is_positive(cls, values: pd.Series) -> pd.Series:
        return ~(_number(values) <= 0)

    @pa.check(
        *PRICES,
        error=f"more than {PRICE_DECIMALS} decimal places",
    )
    def _price_precision(cls, values: pd.Series) -> pd.Series:
        return ~values.str.fullmatch(rf"[0-9]*\.[0-9]{{{PRICE_DECIMALS + 1},}}")

    @pa.check(*_UNIT_PRICES, error=f"above the supported maximum of {MAX_UNIT_PRICE:,}")
    def _price_bound(cls, values: pd.Series) -> pd.Series:
        return ~(_number(values) > MAX_UNIT_PRICE)

    @pa.check(
        "subscription_price_per_year",
        error=f"above the supported maximum of {MAX_YEAR_PRICE:,} a year",
    )
    def _year_price_bound(cls, values: pd.Series) -> pd.Series:
        return ~(_number(values) > MAX_YEAR_PRICE)

    @pa.check(
        "in_stock",
        "subscription_in_stock",
        "payg_in_stock",
        error="not a boolean (use true or false) nor unknown (stock not known)",
    )
    def _stock(cls, values: pd.Series) -> pd.Series:
        return values.astype("str").str.lower().isin(STOCK_WORDS)

    @pa.check("currency", error="not an ISO 4217 currency code such as USD")
    def _currency(cls, values: pd.Series) -> pd.Series:
        return values.str.fullmatch(r"[A-Z]{3}")

    @pa.check("as_of", error="not a date (YYYY-MM-DD)")
    def _date(cls, values: pd.Series) -> pd.Series:
        return _dates(values).notna()

    @pa.check("as_of", error="a date in the future: give the date the price was read")
    def _date_not_future(cls, values: pd.Series) -> pd.Series:
        today = pd.Timestamp.now(tz="UTC").tz_localize(None).normalize()
        return ~(_dates(values) > today + pd.Timedelta(days=AS_OF_GRACE_DAYS))

    @row_check(
        "subscription_price_per_month",
        "no price: give a subscription or a pay-as-you-go price (or both)",
    )
    def _has_price(cls, df: pd.DataFrame) -> pd.Series:
        priced = ("subscription_price_per_month", "payg_price_per_minute", "payg_price_per_hour")
        return df[list(priced)].notna().any(axis=1) | df["subscription_price_per_year"].notna()

    @row_check(
        "subscription_price_per_year",
        "a year price without a month price: give subscription_price_per_month too (a year"
        " term is sold beside the monthly one)",
    )
    def _year_beside_month(cls, df: pd.DataFrame) -> pd.Series:
        return ~(
            df["subscription_price_per_year"].notna() & df["subscription_price_per_month"].isna()
        )

    @row_check(
        "payg_price_per_hour",
        "an hourly price on a dedicated (general or lingjun) row; hourly prices are for"
        " public resources (resource_type public)",
    )
    def _hourly_is_public(cls, df: pd.DataFrame) -> pd.Series:
        return ~((df["resource_type"] != "public") & df["payg_price_per_hour"].notna())

    @row_check(
        "resource_type",
        "a public-resource row needs payg_price_per_hour and no other price (DLC and DSW"
        " public resources are pay-as-you-go, priced per hour)",
    )
    def _public_is_hourly(cls, df: pd.DataFrame) -> pd.Series:
        others = ["subscription_price_per_month", "subscription_price_per_year"]
        others.append("payg_price_per_minute")
        only_hourly = df["payg_price_per_hour"].notna() & df[others].isna().all(axis=1)
        return (df["resource_type"] != "public") | only_hourly

    @row_check(
        "region_id",
        "Lingjun resources are not sold in this region (it offers general computing only,"
        " per PAI's Regions and zones page): use a Lingjun region or resource_type general",
    )
    def _lingjun_region(cls, df: pd.DataFrame) -> pd.Series:
        return ~((df["resource_type"] == "lingjun") & df["region_id"].isin(GENERAL_ONLY_REGIONS))

    @row_check(
        "spec",
        "not named as its resource type's specs are (general: ecs.*, lingjun: ml.*); fix the"
        " spec or resource_type, or say in the note why the name is right",
    )
    def _spec_name(cls, df: pd.DataFrame) -> pd.Series:
        return ~misnamed_specs(df) | _text(df["note"]).str.strip().ne("")

    @row_check(
        "payg_price_per_minute",
        "pay-as-you-go price on a general computing spec; general resources are sold by"
        " subscription only",
    )
    def _general_is_subscription_only(cls, df: pd.DataFrame) -> pd.Series:
        return ~((df["resource_type"] == "general") & df["payg_price_per_minute"].notna())

    @row_check(
        "currency",
        "mixed currencies within one (region_id, hardware): use one currency per region and"
        " hardware",
    )
    def _one_currency(cls, df: pd.DataFrame) -> pd.Series:
        keys = [_text(df["region_id"]), _text(df["hardware"])]
        return df.groupby(keys)["currency"].transform("nunique") <= 1

    class Config:
        unique = ("region_id", "spec")


class OrderSchema(pa.DataFrameModel):
    """Orders to price: ``quantity`` nodes of a spec, for ``months`` or ``minutes``."""

    region_id: Series[str]
    spec: Series[str]
    quantity: Series[float]
    billing_method: Series[str]
    months: Series[float] | None = pa.Field(nullable=True)
    minutes: Series[float] | None = pa.Field(nullable=True)

    @pa.check("quantity", error=methods.QUANTITY)
    def _quantity(cls, values: pd.Series) -> pd.Series:
        return _whole(values, 1, MAX_QUANTITY)

    @pa.check("billing_method", error=methods.METHOD)
    def _method(cls, values: pd.Series) -> pd.Series:
        return values.isin(methods.BILLING_METHODS)

    @row_check("months", methods.MONTHS)
    def _months(cls, df: pd.DataFrame) -> pd.Series:
        subscription = df["billing_method"] == methods.SUBSCRIPTION
        return ~subscription | _whole(df["months"], 1, MAX_MONTHS)

    @row_check("minutes", methods.MINUTES)
    def _minutes(cls, df: pd.DataFrame) -> pd.Series:
        minutes = df["minutes"]
        return (df["billing_method"] != methods.PAYG) | ((minutes > 0) & (minutes <= MAX_MINUTES))

    @row_check("minutes", methods.MINUTE_PLACES)
    def _minutes_precision(cls, df: pd.DataFrame) -> pd.Series:
        minutes = df["minutes"]
        return (
            (df["billing_method"] != methods.PAYG)
            | ~((minutes > 0) & (minutes <= MAX_MINUTES))
            | (minutes.round(MINUTE_DECIMALS) == minutes)
        )


class FleetSchema(pa.DataFrameModel):
    """Node groups of a fleet: ``quantity`` nodes used ``usage_hours_per_day`` for ``months``."""

    region_id: Series[str]
    hardware: Series[str] | None = pa.Field(nullable=True)
    spec: Series[str] | None = pa.Field(nullable=True)
    quantity: Series[float]
    usage_hours_per_day: Series[float]
    months: Series[float]

    @pa.check("quantity", error=f"not a whole number of nodes from 1 to {MAX_QUANTITY:,}")
    def _quantity(cls, values: pd.Series) -> pd.Series:
        return _whole(values, 1, MAX_QUANTITY)

    @pa.check("usage_hours_per_day", error="not a number of hours per day from 0 to 24")
    def _usage(cls, values: pd.Series) -> pd.Series:
        return (values >= 0) & (values <= 24)

    @pa.check("months", error=f"not a whole number of months from 1 to {MAX_MONTHS}")
    def _months(cls, values: pd.Series) -> pd.Series:
        return _whole(values, 1, MAX_MONTHS)

    @row_check("hardware", "empty and so is spec; give the hardware key or a spec of the catalog")
    def _hardware_or_spec(cls, df: pd.DataFrame) -> pd.Series:
        return df["hardware"].notna() | df["spec"].notna()

    class Config:
        #: Groups of columns of which a table needs at least one.
        metadata: ClassVar = {"one_of": [("hardware", "spec")]}


class HeldSchema(pa.DataFrameModel):
    """Nodes held by subscription: ``nodes`` of a ``hardware`` (or ``spec``) until ``expiry``.

    ``region_id``, ``spec`` (or a ``hardware`` key standing for it), ``nodes`` and
    ``expiry`` are enough. The file ``pai-cost subscriptions --format csv`` writes is read
    as it is: its other columns (machine group, payment type, status, the catalog price
    ``--catalog`` adds) are optional here, and the planner keeps only the prepaid groups
    not ended (:mod:`pai_model.decisions.planning.held`); an empty ``expiry`` is allowed
    for the rows it leaves out (a pay-as-you-go group has none).
    """

    region_id: Series[str]
    hardware: Series[str] | None = pa.Field(nullable=True)
    spec: Series[str] | None = pa.Field(nullable=True)
    nodes: Series[float]
    expiry: Series[pd.Timestamp] = pa.Field(nullable=True)
    resource_group_id: Series[str] | None = pa.Field(nullable=True)
    resource_group: Series[str] | None = pa.Field(nullable=True)
    resource_type: Series[str] | None = pa.Field(nullable=True)
    machine_group_id: Series[str] | None = pa.Field(nullable=True)
    payment_type: Series[str] | None = pa.Field(nullable=True)
    payment_duration: Series[str] | None = pa.Field(nullable=True)
    payment_duration_unit: Series[str] | None = pa.Field(nullable=True)
    start: Series[pd.Timestamp] | None = pa.Field(nullable=True)
    status: Series[str] | None = pa.Field(nullable=True)
    order_instance_id: Series[str] | None = pa.Field(nullable=True)
    subscription_price_per_month: Series[str] | None = pa.Field(nullable=True)
    currency: Series[str] | None = pa.Field(nullable=True)

    @pa.check("nodes", error=f"not a whole number of nodes from 1 to {MAX_JOB_NODES:,}")
    def _nodes(cls, values: pd.Series) -> pd.Series:
        return _whole(values, 1, MAX_JOB_NODES)

    @row_check("hardware", "empty and so is spec; give the hardware key or a spec of the catalog")
    def _hardware_or_spec(cls, df: pd.DataFrame) -> pd.Series:
        return df["hardware"].notna() | df["spec"].notna()


class JobSchema(pa.DataFrameModel):
    """Job records: ``nodes`` of a ``hardware`` in a region from ``start`` to ``end``.

    Times are ISO 8601; a time with a UTC offset is converted to UTC, a naive time is
    taken as it is.
    """

    start: Series[pd.Timestamp]
    end: Series[pd.Timestamp]
    region_id: Series[str]
    hardware: Series[str]
    nodes: Series[float]

    @pa.check("nodes", error=f"not a whole number of nodes from 1 to {MAX_JOB_NODES:,}")
    def _nodes(cls, values: pd.Series) -> pd.Series:
        return _whole(values, 1, MAX_JOB_NODES)

    @row_check("end", "before start; a job ends at or after its start")
    def _ordered(cls, df: pd.DataFrame) -> pd.Series:
        return ~(df["end"] < df["start"])


class DemandSampleSchema(pa.DataFrameModel):
    """Samples of the nodes in use of each (region, hardware) at a ``time``."""

    region_id: Series[str]
    hardware: Series[str]
    time: Series[pd.Timestamp]
    nodes: Series[float]

    @pa.check("nodes", error="not a whole number of at least 0")
    def _nodes(cls, values: pd.Series) -> pd.Series:
        return _whole(values, 0, MAX_JOB_NODES)

    @row_check("time", "repeats within its region and hardware; give one sample per time")
    def _one_sample_per_time(cls, df: pd.DataFrame) -> pd.Series:
        keys = pd.DataFrame({"r": _text(df["region_id"]), "h": _text(df["hardware"])})
        keys["t"] = df["time"]
        return ~(keys.duplicated(keep=False) & df["time"].notna())
