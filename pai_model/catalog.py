"""Price catalogs: one CSV row per offer (region, node spec), validated at load time.

Columns (``*`` required)::

    region_id*        Alibaba Cloud region id, e.g. cn-wulanchabu
    region_name       e.g. China (Ulanqab)
    resource_type*    general | lingjun
    spec*             node specification, e.g. ml.gu7xf.8xlarge-gu108
    hardware          pairing key: offers of the same hardware in one region are compared
                      (defaults to spec)
    vcpu, memory_gib, gpu_model, gpu_count          hardware facts
    subscription_price_per_month, payg_price_per_minute
                      decimal strings, at least one per row; general rows have no
                      pay-as-you-go price (general resources are subscription only)
    currency*         ISO 4217 code, one per (region_id, hardware)
    in_stock          true | false (default true); out-of-stock offers cannot be purchased
    subscription_in_stock, payg_in_stock
                      true | false, stock of one billing method (default: in_stock), for a
                      row whose two methods differ
    source*           a URL, "console 2026-11-20", or "illustrative"
    as_of*            date the price was read, YYYY-MM-DD
    note              free text, e.g. why two specs share a hardware key

Prices are parsed exactly from their text (never through float) and kept as the float64
nearest to that decimal, which the billing formulas read back exactly. A catalog that
breaks any rule raises :class:`~pai_model.errors.CatalogError` listing every problem, each
with file, line, column and value.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from . import paths
from .billing import MAX_UNIT_PRICE, PRICE_DECIMALS
from .errors import CatalogError

REQUIRED_COLUMNS = ("region_id", "resource_type", "spec", "currency", "source", "as_of")
PRICE_COLUMNS = ("subscription_price_per_month", "payg_price_per_minute")
#: Stock of each billing method, by the price column it goes with.
STOCK_COLUMNS = {
    "subscription_price_per_month": "subscription_in_stock",
    "payg_price_per_minute": "payg_in_stock",
}
OPTIONAL_COLUMNS = (
    "region_name",
    "hardware",
    "vcpu",
    "memory_gib",
    "gpu_model",
    "gpu_count",
    *PRICE_COLUMNS,
    "in_stock",
    *STOCK_COLUMNS.values(),
    "note",
)
#: Column order of a loaded catalog.
COLUMNS = (
    "region_id",
    "region_name",
    "resource_type",
    "spec",
    "hardware",
    "vcpu",
    "memory_gib",
    "gpu_model",
    "gpu_count",
    *PRICE_COLUMNS,
    "currency",
    "in_stock",
    *STOCK_COLUMNS.values(),
    "source",
    "as_of",
    "note",
    "provenance",
)
RESOURCE_TYPES = ("general", "lingjun")
ILLUSTRATIVE = "illustrative"
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


class RawCatalog(pa.DataFrameModel):
    """The contract of a raw catalog, every cell still text (see the module docstring)."""

    region_id: Series[str] = pa.Field(
        str_matches=r"^[a-z]{2,}(-[a-z0-9]+)+$", description="region id such as cn-shanghai"
    )
    region_name: Series[str] = pa.Field(nullable=True)
    resource_type: Series[str] = pa.Field(isin=list(RESOURCE_TYPES))
    spec: Series[str] = pa.Field(str_length={"min_value": 1})
    hardware: Series[str] = pa.Field(str_length={"min_value": 1})
    vcpu: Series[str] = pa.Field(str_matches=r"^(\d+)?$", nullable=True)
    memory_gib: Series[str] = pa.Field(str_matches=r"^(\d+(\.\d+)?)?$", nullable=True)
    gpu_model: Series[str] = pa.Field(nullable=True)
    gpu_count: Series[str] = pa.Field(str_matches=r"^(\d+)?$", nullable=True)
    subscription_price_per_month: Series[str] = pa.Field(nullable=True)
    payg_price_per_minute: Series[str] = pa.Field(nullable=True)
    currency: Series[str] = pa.Field(str_matches=r"^[A-Z]{3}$")
    in_stock: Series[str] = pa.Field(nullable=True)
    subscription_in_stock: Series[str] = pa.Field(nullable=True)
    payg_in_stock: Series[str] = pa.Field(nullable=True)
    source: Series[str] = pa.Field(str_length={"min_value": 1})
    as_of: Series[str] = pa.Field()
    note: Series[str] = pa.Field(nullable=True)

    @pa.check(*PRICE_COLUMNS, element_wise=True, name="price")
    def _price(cls, value: str) -> bool:
        return value == "" or _price_problem(value) is None

    @pa.check("in_stock", *STOCK_COLUMNS.values(), element_wise=True, name="boolean")
    def _boolean(cls, value: str) -> bool:
        return value == "" or value.lower() in _TRUE | _FALSE

    @pa.check("as_of", element_wise=True, name="date")
    def _date(cls, value: str) -> bool:
        return _date_problem(value) is None

    @pa.dataframe_check(name="no_price")
    def _has_price(cls, df: pd.DataFrame) -> pd.Series:
        return (df["subscription_price_per_month"] != "") | (df["payg_price_per_minute"] != "")

    @pa.dataframe_check(name="general_payg")
    def _general_subscription_only(cls, df: pd.DataFrame) -> pd.Series:
        return ~((df["resource_type"] == "general") & (df["payg_price_per_minute"] != ""))

    @pa.dataframe_check(name="mixed_currency")
    def _one_currency(cls, df: pd.DataFrame) -> pd.Series:
        per_pair = df.groupby(["region_id", "hardware"])["currency"].transform("nunique")
        return per_pair == 1

    class Config:
        unique = ("region_id", "spec")
        strict = False


def _price_problem(value: str) -> str | None:
    if not re.fullmatch(r"-?\d+(\.\d+)?", value):
        return "not a decimal number (digits with an optional decimal point, e.g. 23932.70)"
    number = Decimal(value)
    if number <= 0:
        return "must be greater than 0"
    if -number.as_tuple().exponent > PRICE_DECIMALS:
        return f"more than {PRICE_DECIMALS} decimal places"
    if number > MAX_UNIT_PRICE:
        return f"above the supported maximum of {MAX_UNIT_PRICE:,}"
    return None


def _date_problem(value: str) -> str | None:
    try:
        pd.Timestamp(value)
    except (ValueError, TypeError):
        return "not a date (YYYY-MM-DD)"
    if len(value) != 10:
        return "not a date (YYYY-MM-DD)"
    return None


#: How each pandera check becomes a sentence; for row-level checks, the column to name.
_MESSAGES: dict[str, tuple[str | None, str]] = {
    "no_price": (
        "subscription_price_per_month",
        "no price: give a subscription or a pay-as-you-go price (or both)",
    ),
    "general_payg": (
        "payg_price_per_minute",
        "pay-as-you-go price on a general computing spec; general resources are sold by"
        " subscription only",
    ),
    "mixed_currency": (
        "currency",
        "mixed currencies within one (region_id, hardware): use one currency per region"
        " and hardware",
    ),
    "multiple_fields_uniqueness": (
        "spec",
        "duplicate (region_id, spec): each offer may appear once",
    ),
    "boolean": (None, "not a boolean (use true or false)"),
    "date": (None, "not a date (YYYY-MM-DD)"),
    "isin": (None, f"not a known resource type ({' or '.join(RESOURCE_TYPES)})"),
}


def load_catalog(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Read and validate a price catalog CSV.

    Parameters
    ----------
    path : path-like, optional
        The CSV file. ``None`` loads the embedded default, ``catalogs/demo.csv`` (the
        billing page's documented offers plus illustrative ones, labelled as such).

    Returns
    -------
    pandas.DataFrame
        One row per offer with the columns in :data:`COLUMNS`: prices as float64 (NaN
        where absent), ``in_stock`` and the stock of each method
        (``subscription_in_stock``, ``payg_in_stock``, defaulting to ``in_stock``) as
        bool, ``as_of`` as datetime64, and ``provenance`` ("documented" or
        "illustrative", from ``source``). ``attrs["path"]`` is the file.

    Raises
    ------
    CatalogError
        Listing every problem found, each naming file, line, column and value.

    Examples
    --------
    >>> catalog = load_catalog(paths.DOCUMENTED_CATALOG)
    >>> catalog.loc[0, "spec"], float(catalog.loc[0, "subscription_price_per_month"])
    ('ecs.g7.xlarge-4c16g', 78.94)
    """
    file = Path(path) if path is not None else paths.DEFAULT_CATALOG
    name = str(file)
    raw = _read_text_table(file)
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise CatalogError(
            [f"{name}: line 1: missing required column '{c}'" for c in missing], name
        )
    for column in OPTIONAL_COLUMNS:
        if column not in raw.columns:
            raw[column] = ""
    raw["hardware"] = raw["hardware"].where(raw["hardware"] != "", raw["spec"])
    try:
        RawCatalog.validate(raw, lazy=True)
    except pa.errors.SchemaErrors as errors:
        raise CatalogError(_problems(errors.failure_cases, raw, name), name) from None
    return _typed(raw, name)


def _read_text_table(file: Path) -> pd.DataFrame:
    if not file.is_file():
        raise CatalogError([f"{file}: no such file"], str(file))
    try:
        raw = pd.read_csv(
            file, dtype=str, keep_default_na=False, na_filter=False, skip_blank_lines=False
        )
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
        raise CatalogError([f"{file}: not a readable CSV file ({error})"], str(file)) from None
    raw.columns = [str(c).strip() for c in raw.columns]
    return raw.apply(lambda column: column.str.strip())


def _problems(failures: pd.DataFrame, raw: pd.DataFrame, name: str) -> list[str]:
    problems: dict[tuple[Any, ...], str] = {}
    for failure in failures.itertuples(index=False):
        check = str(failure.check)
        if check == "column_in_dataframe":
            continue  # every column is present by now
        key_name = check.split("(")[0]
        column, message = _MESSAGES.get(key_name, (None, ""))
        column = column or str(failure.column)
        row = failure.index
        if row is None or pd.isna(row):
            problems[(0, check, column)] = f"{name}: {column}: {message or check}"
            continue
        row = int(row)
        value = raw.at[row, column]
        if not message:
            message = _cell_message(check, column, value)
        if key_name == "multiple_fields_uniqueness":
            twins = raw.index[
                (raw["region_id"] == raw.at[row, "region_id"]) & (raw["spec"] == value)
            ]
            others = ", ".join(str(i + 2) for i in twins if i != row)
            message = f"{message} (also on line {others})"
        problems[(row, key_name, column)] = (
            f"{name}: line {row + 2}: {column} = {value!r}: {message}"
        )
    return [problems[k] for k in sorted(problems, key=lambda k: (k[0], k[2], k[1]))]


def _cell_message(check: str, column: str, value: str) -> str:
    if check == "price":
        return _price_problem(value) or "not a valid price"
    if value == "":
        return "empty, but the column is required"
    if check.startswith("str_matches"):
        expected = {
            "region_id": "a region id such as cn-shanghai",
            "currency": "an ISO 4217 currency code such as USD",
            "vcpu": "a whole number",
            "gpu_count": "a whole number",
            "memory_gib": "a number",
        }.get(column, "the expected format")
        return f"not {expected}"
    return f"fails check {check}"


def _typed(raw: pd.DataFrame, name: str) -> pd.DataFrame:
    catalog = pd.DataFrame(index=raw.index)
    for column in ("region_id", "region_name", "resource_type", "spec", "hardware", "gpu_model"):
        catalog[column] = raw[column]
    for column in ("vcpu", "gpu_count"):
        catalog[column] = pd.to_numeric(raw[column].replace("", None)).astype("Int64")
    catalog["memory_gib"] = pd.to_numeric(raw["memory_gib"].replace("", None)).astype("Float64")
    for column in PRICE_COLUMNS:
        catalog[column] = _exact_prices(raw[column])
    catalog["currency"] = raw["currency"]
    catalog["in_stock"] = ~raw["in_stock"].str.lower().isin(_FALSE)
    for column in STOCK_COLUMNS.values():
        given = raw[column].str.lower()
        catalog[column] = np.where(given == "", catalog["in_stock"], ~given.isin(_FALSE))
    catalog["source"] = raw["source"]
    catalog["as_of"] = pd.to_datetime(raw["as_of"], format="%Y-%m-%d")
    catalog["note"] = raw["note"]
    catalog["provenance"] = np.where(raw["source"] == ILLUSTRATIVE, ILLUSTRATIVE, "documented")
    catalog.attrs["path"] = name
    return catalog[list(COLUMNS)]


def _exact_prices(texts: pd.Series) -> np.ndarray:
    """The float64 nearest to each decimal price, via exact micro-units (never float parsing)."""
    micro = [int(Decimal(t).scaleb(PRICE_DECIMALS)) if t else -1 for t in texts]
    units = np.array(micro, dtype=np.int64)
    return np.where(units >= 0, units / float(10**PRICE_DECIMALS), np.nan)


def describe_provenance(catalog: pd.DataFrame) -> str:
    """One line telling how many prices are documented and how many illustrative.

    Any output built on illustrative prices carries this line.

    Examples
    --------
    >>> describe_provenance(load_catalog(paths.DOCUMENTED_CATALOG))
    '3 offers: 3 documented, 0 illustrative.'
    """
    illustrative = int((catalog["provenance"] == ILLUSTRATIVE).sum())
    documented = len(catalog) - illustrative
    line = f"{len(catalog)} offers: {documented} documented, {illustrative} illustrative."
    if illustrative:
        line += (
            " WARNING: illustrative prices are made up for demonstration, not Alibaba Cloud"
            " prices; check the console before deciding."
        )
    return line
