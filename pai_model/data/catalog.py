"""Price catalogs: one CSV row per offer (region, node spec), validated at load time.

Columns (``*`` required)::

    region_id*        Alibaba Cloud region id, e.g. cn-wulanchabu (one the kit does not
                      know is kept, with a warning: Alibaba adds regions)
    region_name       e.g. China (Ulanqab)
    resource_type*    general | lingjun | public (DLC/DSW public resources, pay-as-you-go
                      priced per hour)
    spec*             node specification, e.g. ml.gu7xf.8xlarge-gu108
    hardware          pairing key: offers of the same hardware in one region are compared
                      (defaults to spec)
    vcpu, memory_gib, gpu_model, gpu_count          hardware facts
    subscription_price_per_month, payg_price_per_minute
                      decimal strings, at least one per row; general rows have no
                      pay-as-you-go price (general resources are subscription only)
    subscription_price_per_year
                      a year term's price, beside a month price; never derived from it
    payg_price_per_hour
                      public rows only (and their only price): billed per minute at
                      hourly price / 60
    currency*         ISO 4217 code, one per (region_id, hardware)
    in_stock          true | false | unknown (default true); out-of-stock offers cannot be
                      purchased; unknown (a fetched spec without IsAvailable) is compared
                      as in stock and shown as unknown (``stock_known`` false)
    subscription_in_stock, payg_in_stock
                      true | false | unknown, stock of one billing method (default: in_stock), for a
                      row whose two methods differ
    source*           a URL, "console 2026-11-20", or "illustrative"
    as_of*            date the price was read, YYYY-MM-DD, not in the future
    note              free text, e.g. why two specs share a hardware key, or why a spec
                      is not named ecs.* (general) or ml.* (lingjun)

Prices are parsed exactly from their text (never through float) and kept as the float64
nearest to that decimal, which the billing formulas read back exactly. A catalog that
breaks any rule raises :class:`~pai_model.errors.CatalogError` listing every problem, each
with file, line, column and value. What is kept but worth knowing (a region id the kit
does not know, a spec name a note vouches for) is a :class:`CatalogWarning`, one per row.
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
import warnings
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from pai_model import paths
from pai_model.data.decimals import text_units
from pai_model.data.files import protocol, read_input
from pai_model.data.problems import row_problems
from pai_model.data.regions import KNOWN_REGIONS
from pai_model.data.schemas import PRICES as PRICE_COLUMNS
from pai_model.data.schemas import STOCK_FALSE, STOCK_UNKNOWN, CatalogSchema, misnamed_specs
from pai_model.data.tables import read_table
from pai_model.errors import CatalogError, CatalogWarning, TableError
from pai_model.formulas.arguments import PRICE_DECIMALS

#: Stock of each billing method, by the price column it goes with: a year price is a
#: subscription, an hourly price pay-as-you-go.
STOCK_COLUMNS = {
    "subscription_price_per_month": "subscription_in_stock",
    "subscription_price_per_year": "subscription_in_stock",
    "payg_price_per_minute": "payg_in_stock",
    "payg_price_per_hour": "payg_in_stock",
}


#: The first columns of every catalog (a file, a fetched one, a loaded one): the offer's
#: region and node.
NODE_COLUMNS = (
    "region_id",
    "region_name",
    "resource_type",
    "spec",
    "hardware",
    "vcpu",
    "memory_gib",
    "gpu_model",
    "gpu_count",
)
#: Where a catalog's prices come from: the columns after its prices and stock.
SOURCE_COLUMNS = ("source", "as_of", "note")
#: Columns of a catalog file, in the order the kit writes them.
FILE_COLUMNS = (*NODE_COLUMNS, *PRICE_COLUMNS, "currency", "in_stock", *SOURCE_COLUMNS)

#: Column order of a loaded catalog.
COLUMNS = (
    *NODE_COLUMNS,
    *PRICE_COLUMNS,
    "currency",
    "in_stock",
    "subscription_in_stock",
    "payg_in_stock",
    "stock_known",
    *SOURCE_COLUMNS,
    "provenance",
)
ILLUSTRATIVE = "illustrative"
#: Provenance of prices fetched from the user's account (``pai-cost catalog fetch``).
ACCOUNT = "account"
#: The start of the ``source`` of every price ``pai-cost catalog fetch`` writes.
ACCOUNT_SOURCE = "BssOpenApi"
#: Every provenance of a price, in the order the kit lists them.
PROVENANCES = ("documented", ACCOUNT, ILLUSTRATIVE)


def provenance_of(source: Any) -> Any:
    """Where a price comes from, by its ``source``: "illustrative" (made up), "account"
    (fetched from the user's account: its source starts with "BssOpenApi"), or
    "documented" (a public page, a console reading). A str for a str, else an array.

    >>> provenance_of("illustrative"), provenance_of("BssOpenApi GetSubscriptionPrice, intl")
    ('illustrative', 'account')
    >>> provenance_of(pd.Series(["https://www.alibabacloud.com/help", "illustrative"])).tolist()
    ['documented', 'illustrative']
    """
    if isinstance(source, str):
        return str(provenance_of(pd.Series([source]))[0])
    text = pd.Series(source, dtype=object).fillna("").astype(str)
    return np.select(
        [(text == ILLUSTRATIVE).to_numpy(), text.str.startswith(ACCOUNT_SOURCE).to_numpy()],
        [ILLUSTRATIVE, ACCOUNT],
        "documented",
    ).astype(object)


def combined_provenance(*provenances: pd.Series) -> np.ndarray:
    """The provenance of rows priced from several prices (missing where one is unused):
    "mixed" (illustrative beside real prices), "illustrative", "account" (no illustrative,
    some from the account), "documented", or "" when none is used.

    >>> combined_provenance(pd.Series(["documented", "illustrative", "account", None]),
    ...                     pd.Series(["documented", "documented", None, None])).tolist()
    ['documented', 'mixed', 'account', '']
    """
    used = [p.fillna("").to_numpy(dtype=object) for p in provenances]
    made_up = sum((u == ILLUSTRATIVE).astype(int) for u in used)
    real = sum(((u != ILLUSTRATIVE) & (u != "")).astype(int) for u in used)
    account = sum((u == ACCOUNT).astype(int) for u in used)
    return np.select(
        [(made_up > 0) & (real > 0), made_up > 0, account > 0, real > 0],
        ["mixed", ILLUSTRATIVE, ACCOUNT, "documented"],
        "",
    ).astype(object)


def read_catalog(
    path_or_df: pd.DataFrame | str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Read and validate a price catalog.

    Parameters
    ----------
    path_or_df : pandas.DataFrame, path-like or str, optional
        The catalog: a CSV or Parquet file, an fsspec URL of one, or a DataFrame with
        the catalog's columns, or an embedded catalog's name (``demo``, ``documented``).
        ``None`` loads the embedded default, ``demo``
        (the billing page's documented offers plus illustrative ones, labelled as such).

    Returns
    -------
    pandas.DataFrame
        One row per offer with the columns in :data:`COLUMNS`: prices as float64 (NaN
        where absent), ``in_stock`` and the stock of each method
        (``subscription_in_stock``, ``payg_in_stock``, defaulting to ``in_stock``) as
        bool, ``as_of`` as datetime64, and ``provenance`` ("documented", "account" for
        prices fetched from the account, or "illustrative"; from ``source``, see
        :func:`provenance_of`). ``attrs["path"]`` is the file (or "catalog"
        for a DataFrame).

    Raises
    ------
    CatalogError
        Listing every problem found, each naming file, line, column and value.

    Warns
    -----
    CatalogWarning
        For each row whose region id the kit does not know (Alibaba adds regions), and
        each spec not named as its resource type's are whose row's ``note`` vouches for
        it.

    Notes
    -----
    A local file is validated once per process and day: the result is kept by the file's
    name and the SHA-256 of its bytes (see :data:`MEMO_ENTRIES`), so a file that changes
    is read afresh; each read returns its own copy and warns as the first read did.

    See Also
    --------
    pai_model.data.tables.read_table : the reader of every table.
    describe_provenance : how many prices are documented.

    Examples
    --------
    >>> catalog = read_catalog(paths.DOCUMENTED_CATALOG)
    >>> catalog.loc[0, "spec"], float(catalog.loc[0, "subscription_price_per_month"])
    ('ecs.g7.xlarge-4c16g', 78.94)
    >>> read_catalog(catalog.assign(as_of="2026/03/24").drop(columns="provenance"))
    Traceback (most recent call last):
    ...
    pai_model.errors.CatalogError: 3 problems in catalog:
      - catalog: line 2: as_of = '2026/03/24': not a date (YYYY-MM-DD)
      - catalog: line 3: as_of = '2026/03/24': not a date (YYYY-MM-DD)
      - catalog: line 4: as_of = '2026/03/24': not a date (YYYY-MM-DD)
    """
    source = paths.DEFAULT_CATALOG if path_or_df is None else paths.catalog_path(path_or_df)
    key = _memo_key(source)
    if key is None:
        return _validated(source)
    with _MEMO_LOCK:
        kept = _MEMO.get(key)
        if kept is not None:
            _MEMO.move_to_end(key)
    if kept is None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            catalog = _validated(source)
        kept = (catalog, tuple(w.message for w in caught))
        if _memo_key(source) == key:  # the file did not change while it was read
            with _MEMO_LOCK:
                _MEMO[key] = kept
                while len(_MEMO) > MEMO_ENTRIES:
                    _MEMO.popitem(last=False)
    catalog, told = kept
    for message in told:
        warnings.warn(message, stacklevel=2)
    return catalog.copy(deep=True)


#: How many catalogs :func:`read_catalog` keeps validated in this process, and the largest
#: file it keeps (in bytes): the what-if widget, the reports and the commands read the
#: same small catalog again and again, and validating it costs far more than a copy.
MEMO_ENTRIES = 8
MEMO_BYTES = 4 * 2**20
_MEMO: OrderedDict[tuple[str, str, str], tuple[pd.DataFrame, tuple[Warning, ...]]]
_MEMO = OrderedDict()
_MEMO_LOCK = threading.Lock()


def _memo_key(source: Any) -> tuple[str, str, str] | None:
    """A local file's name, the SHA-256 of its bytes and today's UTC date (``as_of`` may
    not lie in the future); ``None`` (not kept) for a DataFrame, a URL, a special or large
    file, or one that cannot be read (the reader then says why)."""
    if isinstance(source, pd.DataFrame) or not isinstance(source, str | os.PathLike):
        return None
    text = os.fspath(source)
    try:
        if not isinstance(text, str) or protocol(text) is not None:
            return None
        facts = os.stat(text)
        if not stat.S_ISREG(facts.st_mode) or facts.st_size > MEMO_BYTES:
            return None
        digest = hashlib.sha256(read_input(text)).hexdigest()
    except (OSError, ValueError, TableError):
        return None
    return text, digest, datetime.now(UTC).date().isoformat()


def _validated(source: Any) -> pd.DataFrame:
    table = read_table(source, CatalogSchema, error=CatalogError, argument="path_or_df")
    _warn(table)
    return _typed(table, table.attrs["source"])


def _warn(table: pd.DataFrame) -> None:
    known = ", ".join(KNOWN_REGIONS)
    notes = row_problems(
        table,
        [
            (
                ~table["region_id"].isin(KNOWN_REGIONS).to_numpy(),
                "region_id",
                f"a region the kit does not know (it knows {known}); kept, since Alibaba adds"
                " regions: check the id",
            ),
            (
                misnamed_specs(table).to_numpy(),
                "spec",
                "not named as its resource type's specs are (general: ecs.*, lingjun: ml.*);"
                " kept, as its note vouches for it",
            ),
        ],
    )
    for note in notes:
        warnings.warn(CatalogWarning(str(note)), stacklevel=3)


def _typed(table: pd.DataFrame, name: str) -> pd.DataFrame:
    catalog = table[["region_id", "resource_type", "spec", "hardware"]].copy()
    for column in ("region_name", "gpu_model", "note"):
        catalog[column] = table[column].fillna("")
    for column in ("vcpu", "gpu_count"):
        catalog[column] = table[column].astype("Int64")
    catalog["memory_gib"] = table["memory_gib"].astype("Float64")
    for column in PRICE_COLUMNS:
        catalog[column] = _exact_prices(table[column])
    catalog["currency"] = table["currency"]
    words = {c: _stock_words(table[c]) for c in ("in_stock", *STOCK_COLUMNS.values())}
    stock = words["in_stock"].fillna("true")
    # known when the stock of every method is (a method's own column, else in_stock)
    known = pd.Series(True, index=table.index)
    # unknown stock is compared as in stock (the price is real; the order finds out) and
    # marked not known, so --in-stock leaves it out
    catalog["in_stock"] = ~stock.isin(STOCK_FALSE)
    for column in dict.fromkeys(STOCK_COLUMNS.values()):
        method = words[column].fillna(stock)
        catalog[column] = ~method.isin(STOCK_FALSE)
        known &= method != STOCK_UNKNOWN
    known &= table["stock_known"].fillna(True).astype(bool)
    catalog["stock_known"] = known.to_numpy(dtype=bool)
    catalog["source"] = table["source"]
    catalog["as_of"] = pd.to_datetime(table["as_of"], format="%Y-%m-%d")
    catalog["provenance"] = provenance_of(table["source"])
    catalog.attrs = {"path": name}
    return catalog[list(COLUMNS)]


def _stock_words(values: pd.Series) -> pd.Series:
    """A stock column's words in lower case (missing stays missing)."""
    return values.astype("str").str.lower().where(values.notna())


def _exact_prices(texts: pd.Series) -> np.ndarray:
    """The float64 nearest to each decimal price, via exact micro-units (never float parsing).

    A valid price is decimal text with at most
    :data:`~pai_model.formulas.arguments.PRICE_DECIMALS` decimals, read exactly by
    :func:`~pai_model.data.decimals.text_units` (with Arrow: a catalog's few prices need no
    compiled loop, and a quote's cold start loads none); its micro-units are a whole number below
    2**53, so dividing them by 10**6 rounds once, to the nearest double.
    """
    micro = text_units(texts, PRICE_DECIMALS, compiled=False)
    return np.where(texts.notna().to_numpy(), micro / float(10**PRICE_DECIMALS), np.nan)


def describe_provenance(catalog: pd.DataFrame) -> str:
    """One line telling how many offers are documented, from the account and illustrative.

    ``catalog`` is catalog rows: each row is one offer
    (:data:`~pai_model.data.vocabulary.OFFER_MEANING`), so a
    catalog, or the offers a table used (:func:`pai_model.data.offers.used_offers`), is
    counted the same way everywhere. Any output built on illustrative prices carries
    this line.

    Examples
    --------
    >>> describe_provenance(read_catalog(paths.DOCUMENTED_CATALOG))
    '3 offers: 3 documented, 0 illustrative.'
    """
    illustrative = int((catalog["provenance"] == ILLUSTRATIVE).sum())
    account = int((catalog["provenance"] == ACCOUNT).sum())
    documented = len(catalog) - illustrative - account
    fetched = f" {account} from the account," if account else ""
    line = f"{len(catalog)} offers: {documented} documented,{fetched} {illustrative} illustrative."
    if illustrative:
        line += (
            " WARNING: illustrative prices are made up for demonstration, not Alibaba Cloud"
            " prices; check the console before deciding."
        )
    return line


def catalog_table(catalog: Any, argument: str = "catalog") -> pd.DataFrame:
    """A catalog as the public functions take it: a table of :func:`read_catalog`, or read
    now from a path or an embedded catalog's name; anything else refused, naming
    ``argument`` (:class:`TypeError`), and a table without a catalog's columns refused with
    every problem (:class:`~pai_model.errors.CatalogError`).
    """
    if isinstance(catalog, str | os.PathLike):
        return read_catalog(catalog)
    if not isinstance(catalog, pd.DataFrame):
        raise TypeError(
            f"{argument} must be a DataFrame from read_catalog, a path or an embedded catalog's"
            f" name; got {type(catalog).__name__}"
        )
    required = [c for c, column in CatalogSchema.to_schema().columns.items() if column.required]
    if any(c not in catalog.columns for c in required):
        return read_catalog(catalog)  # not a catalog yet: every problem, as a CatalogError
    return catalog
