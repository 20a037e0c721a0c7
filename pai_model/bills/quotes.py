"""A quote for one order, fast: the catalog is validated once, the bill is exact in ``decimal``.

A quote prices one order (region, spec, quantity, months, years or minutes) against a catalog, as
:func:`~pai_model.bills.orders.price_orders` does for many, with the same messages. It is meant
to answer in about the time Python takes to start, so it loads neither pandas, pandera
nor the compiled billing kernel once it has seen the catalog:

- The first quote on a catalog validates it fully (:func:`~pai_model.data.catalog.read_catalog`)
  and writes the offers it needs to a small JSON file in the cache folder (below). The
  file is named by the SHA-256 of the catalog's bytes and of the kit's source code, so
  an edited catalog, or a kit whose validation rules changed, is validated again (and
  the file of its earlier version removed: one file per catalog path).
- Later quotes read that file with :mod:`json` and bill with
  :func:`~pai_model.formulas.exact.exact_amount` (Python's ``decimal``; equal to the engine).

The cache folder is ``$PAI_COST_CACHE_DIR``, else ``$XDG_CACHE_HOME/pai-cost``, else
``~/.cache/pai-cost``. A cache file that cannot be read or does not hold what it should
is ignored and written again; a folder that cannot be written only costs speed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pai_model import paths
from pai_model.data.files import read_input, write_text
from pai_model.data.methods import (
    offer_problems,
    shown,
    size_problems,
    unknown_region,
    unknown_spec,
)
from pai_model.errors import CatalogError, InputError, OrderError, Problem
from pai_model.formulas.arguments import PRICE_DECIMALS, term_problem, to_decimal
from pai_model.formulas.arguments import buyable_months as buyable_months_of
from pai_model.formulas.exact import exact_amount
from pai_model.formulas.money_text import bill_decimals, format_formula

#: Version of the cache files' layout; part of their name (2: year and hourly prices).
CACHE_FORMAT = 2
_PACKAGE = Path(__file__).resolve().parent
_PRICE_STEP = Decimal(1).scaleb(-PRICE_DECIMALS)
_TEXT_FIELDS = (
    "region_id",
    "spec",
    "hardware",
    "resource_type",
    "currency",
    "source",
    "as_of",
    "provenance",
    "note",
)
#: Offer field -> the catalog column it comes from.
_PRICE_FIELDS = {
    "subscription_price": "subscription_price_per_month",
    "year_price": "subscription_price_per_year",
    "payg_price": "payg_price_per_minute",
    "hourly_price": "payg_price_per_hour",
}
_STOCK_FIELDS = ("subscription_in_stock", "payg_in_stock")


@dataclass(frozen=True)
class Offer:
    """One validated catalog row, as a quote needs it (prices exact, ``None`` if absent)."""

    region_id: str
    spec: str
    hardware: str
    resource_type: str
    currency: str
    subscription_price: Decimal | None
    year_price: Decimal | None
    payg_price: Decimal | None
    hourly_price: Decimal | None
    subscription_in_stock: bool
    payg_in_stock: bool
    source: str
    as_of: str
    provenance: str
    note: str


@dataclass(frozen=True)
class Quote:
    """The bill of one order: the amount, its formula written out, and the price's source.

    ``quantity`` [nodes], ``duration`` [month, year or minute, ``duration_unit``],
    ``unit_price`` [``price_unit``: currency per month, year, minute or hour; an hourly
    price is billed per minute at price / 60] and ``amount`` [``currency``] are exact
    decimals; ``decimals`` are the amount's places (2, the cent, for node specs; a
    public resource's sub-cent places, :func:`~pai_model.formulas.money_text.bill_decimals`).
    ``warning`` is the
    provenance line to show beside an illustrative price, else ``None``.
    """

    offer: Offer
    billing_method: str
    quantity: Decimal
    duration: Decimal
    duration_unit: str
    unit_price: Decimal
    price_unit: str
    amount: Decimal
    currency: str
    formula: str
    warning: str | None
    decimals: int = 2

    @property
    def price_source(self) -> str:
        """Where the unit price comes from: ``source (as_of, provenance)``."""
        offer = self.offer
        return f"{offer.source} ({offer.as_of}, {offer.provenance})"


class Offers:
    """The offers of one validated catalog, by (region_id, spec)."""

    def __init__(self, offers: list[Offer], warnings: dict[str, str]) -> None:
        self.by_key = {(o.region_id, o.spec): o for o in offers}
        #: Provenance -> the line to show beside a price of that provenance.
        self.warnings = warnings

    def to_json(self, key: str) -> dict[str, Any]:
        rows = []
        for offer in self.by_key.values():
            row = {name: getattr(offer, name) for name in (*_TEXT_FIELDS, *_STOCK_FIELDS)}
            for name in _PRICE_FIELDS:
                price = getattr(offer, name)
                row[name] = None if price is None else str(price)
            rows.append(row)
        return {"format": CACHE_FORMAT, "key": key, "warnings": self.warnings, "offers": rows}

    @classmethod
    def from_json(cls, data: Any, key: str) -> Offers:
        """Offers from a cache file's content; ``ValueError`` unless it is all there."""
        if data.get("format") != CACHE_FORMAT or data.get("key") != key:
            raise ValueError("a cache file of another catalog or layout")
        offers = [Offer(**_cached_fields(row)) for row in data["offers"]]
        warnings = data["warnings"]
        if not all(isinstance(v, str) for v in [*warnings, *warnings.values()]):
            raise ValueError("warnings must be text")
        return cls(offers, warnings)

    def find(self, region_id: str, spec: str) -> Offer | tuple[str, str]:
        """The offer, or what is wrong: (column, message) of an unknown region or spec."""
        offer = self.by_key.get((region_id, spec))
        if offer is not None:
            return offer
        regions = {r for r, _ in self.by_key}
        if region_id not in regions:
            return "region_id", unknown_region(region_id, regions)
        specs = [s for r, s in self.by_key if r == region_id]
        elsewhere = [r for r, s in self.by_key if s == spec]
        return "spec", unknown_spec(region_id, spec, specs, elsewhere)


def _cached_fields(row: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        if not isinstance(row[name], str):
            raise ValueError(f"{name} must be text")
        fields[name] = row[name]
    for name in _STOCK_FIELDS:
        if not isinstance(row[name], bool):
            raise ValueError(f"{name} must be true or false")
        fields[name] = row[name]
    for name in _PRICE_FIELDS:
        text = row[name]
        if text is None:
            fields[name] = None
            continue
        if not isinstance(text, str):
            raise ValueError(f"{name} must be a price")
        price = to_decimal(text, name)  # InputError (a ValueError) if not decimal text
        if not price > 0:
            raise ValueError(f"{name} must be a price")
        fields[name] = price
    return fields


def cache_dir() -> Path:
    """The folder of the quote cache (see the module docstring)."""
    configured = os.environ.get("PAI_COST_CACHE_DIR")
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "pai-cost"


def _code_digest() -> bytes:
    """SHA-256 of the kit's source: any change to how catalogs are validated voids the cache.

    The whole package rather than ``catalog.py`` alone, because validation draws on other
    modules too (bounds, schemas, errors); reading ~0.5 MB of source costs about 1 ms.
    """
    digest = hashlib.sha256(f"format {CACHE_FORMAT}".encode())
    for file in sorted(_PACKAGE.rglob("*.py")):
        digest.update(file.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        digest.update(file.read_bytes() + b"\0")
    return digest.digest()


def load_offers(
    catalog: str | os.PathLike[str] | None = None, *, cache: str | os.PathLike[str] | None = None
) -> Offers:
    """The offers of a validated catalog, from the cache when it has seen this catalog.

    Parameters
    ----------
    catalog : path-like, optional
        The catalog CSV, or an embedded catalog's name; ``None`` is the embedded default
        (``demo``).
    cache : path-like, optional
        The cache folder; ``None`` is :func:`cache_dir`.

    Returns
    -------
    Offers
        The offers by (region_id, spec) and the provenance warnings.

    Raises
    ------
    CatalogError
        When the catalog fails validation (every problem, as
        :func:`~pai_model.data.catalog.read_catalog` reports them).

    See Also
    --------
    quote : Price one order from these offers.
    pai_model.data.catalog.read_catalog : Read and validate a catalog into a DataFrame.
    """
    file = Path(paths.catalog_path(catalog)) if catalog is not None else paths.DEFAULT_CATALOG
    # opened as every input is: a FIFO or a device is refused, never waited on
    content = read_input(file, error=CatalogError)
    key = hashlib.sha256(_code_digest() + content).hexdigest()
    # one file per catalog path: the name starts with the path's hash, then the content's
    place = hashlib.sha256(str(file.resolve()).encode()).hexdigest()[:16]
    folder = Path(cache) if cache is not None else cache_dir()
    cached = folder / f"catalog-{place}-{key}.json"
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, AttributeError):
        return Offers.from_json(json.loads(cached.read_bytes()), key)
    offers = _validated(file)
    # a cache that cannot be written only costs speed
    with contextlib.suppress(OSError, InputError, CatalogError):
        if read_input(file, error=CatalogError) == content:  # not edited while validated
            folder.mkdir(parents=True, exist_ok=True)
            write_text(cached, json.dumps(offers.to_json(key)), option="cache")
            for stale in folder.glob(f"catalog-{place}-*.json"):  # earlier versions
                if stale != cached:
                    stale.unlink()
    return offers


def _validated(file: Path) -> Offers:
    """Validate the catalog in full (pandas, pandera) and keep what a quote needs."""
    import pandas as pd

    from pai_model.data.catalog import describe_provenance, read_catalog

    table = read_catalog(file)
    columns: dict[str, list[Any]] = {
        name: ["" if pd.isna(v) else str(v) for v in table[name]]
        for name in _TEXT_FIELDS
        if name != "as_of"
    }
    columns["as_of"] = list(table["as_of"].dt.strftime("%Y-%m-%d"))
    for name, column in _PRICE_FIELDS.items():
        # a catalog price is the float64 nearest to a decimal of at most 6 places: the
        # decimal it stands for, at the catalog's precision
        columns[name] = [
            None if pd.isna(p) else to_decimal(p, name).quantize(_PRICE_STEP) for p in table[column]
        ]
    for name in _STOCK_FIELDS:
        columns[name] = [bool(v) for v in table[name]]
    offers = [
        Offer(**dict(zip(columns, row, strict=True))) for row in zip(*columns.values(), strict=True)
    ]
    illustrative = table[table["provenance"] == "illustrative"]
    # the line a one-line bill on an illustrative price carries (as every output does)
    warnings = (
        {"illustrative": describe_provenance(illustrative.iloc[:1])} if len(illustrative) else {}
    )
    return Offers(offers, warnings)


#: How each kind of order is billed: (price field, price unit, duration unit, method).
_BILLS = {
    "months": ("subscription_price", "month", "month", "subscription"),
    "years": ("year_price", "year", "year", "subscription"),
    "minutes": ("payg_price", "minute", "minute", "payg"),
    "public": ("hourly_price", "hour", "minute", "payg"),
}


def price_order(
    region_id: str,
    spec: str,
    quantity: Any,
    *,
    months: Any = None,
    minutes: Any = None,
    years: Any = None,
    catalog: str | os.PathLike[str] | None = None,
    cache: str | os.PathLike[str] | None = None,
    buyable_months: Any = None,
    public_decimals: int | None = None,
) -> Quote:
    """Price one order exactly: unit price x quantity x duration, with its formula.

    Parameters
    ----------
    region_id : str
        Region of the offer, e.g. ``cn-wulanchabu``.
    spec : str
        Node specification, e.g. ``ml.gu7xf.8xlarge-gu108``.
    quantity : number
        Number of nodes, a whole number from 1 to 100,000. [nodes]
    months : number, optional
        Subscription duration, a whole number from 1 to 120. [month]
    minutes : number, optional
        Pay-as-you-go duration, above 0, at most 3 decimal places. [minute] A public
        resource (``resource_type`` public) is billed at its hourly price / 60 per
        minute, as one exact product, rounded to its currency's sub-cent places
        (``public_decimals``).
    years : number, optional
        Year-term subscription, a whole number from 1 to 10, at the catalog's
        ``subscription_price_per_year`` (never 12 month prices). [year]
        Give one of ``months``, ``years`` and ``minutes``.
    catalog : path-like, optional
        The catalog CSV, or an embedded catalog's name; ``None`` is the embedded default
        (``demo``).
    cache : path-like, optional
        The cache folder (see the module docstring); ``None`` is :func:`cache_dir`.
    buyable_months : iterable of int or str, optional
        The terms a subscription can be bought for [month]; ``None`` is
        :data:`~pai_model.formulas.arguments.BUYABLE_MONTHS` (1-9 months, 1-5 years:
        Alibaba's usual set, UNCONFIRMED for PAI). A subscription of any other length
        (``months=11``, ``years=7``) is refused, naming the nearest buyable terms.
    public_decimals : int, optional
        Decimal places of a public resource's bill, 2 to 6; ``None`` is the places of
        Alibaba's own examples (4 for USD, 3 for CNY:
        :data:`~pai_model.formulas.money_text.PUBLIC_DECIMALS`). Node-spec bills are to
        the cent.

    Returns
    -------
    Quote
        The amount, the formula line and the price's source.

    Raises
    ------
    OrderError
        Every problem of the order, in the words of
        :func:`~pai_model.bills.orders.price_orders`: an unknown region or spec (with the
        closest match and the valid ones), an offer out of stock for the billing method
        ("cannot be purchased"), pay-as-you-go on a general spec, no year price, a bad
        quantity or duration, a term that cannot be bought.
    CatalogError
        When the catalog fails validation.
    InputError
        When not exactly one of ``months``, ``years`` and ``minutes`` is given, or
        ``public_decimals`` is not a whole number from 2 to 6.

    See Also
    --------
    load_offers : The validated offers a quote reads.
    pai_model.bills.orders.price_orders : Price many orders at once, with exact totals.
    pai_model.formulas.exact.exact_amount : The bill in Python's ``decimal``.

    Examples
    --------
    The billing page's Lingjun examples (documented prices):

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     payg = price_order("cn-wulanchabu", "ml.gu7xf.8xlarge-gu108", 1, minutes=45,
    ...                  catalog=paths.DOCUMENTED_CATALOG, cache=folder)
    ...     subscription = price_order("cn-wulanchabu", "ml.gu7xf.c96m1600.8-gu108", 2, months=1,
    ...                          catalog=paths.DOCUMENTED_CATALOG, cache=folder)
    >>> payg.amount, payg.formula
    (Decimal('32.85'), '1 x 0.73 USD/minute x 45 minutes = 32.85 USD')
    >>> subscription.formula
    '2 x 23,932.70 USD/month x 1 month = 47,865.40 USD'
    """
    for argument, value in (("region_id", region_id), ("spec", spec)):
        if not isinstance(value, str):
            raise TypeError(
                f"{argument} must be text, e.g. 'cn-wulanchabu' or 'ml.gu7xf.8xlarge-gu108';"
                f" got {type(value).__name__}"
            )
    if catalog is not None and not isinstance(catalog, str | os.PathLike):
        raise TypeError(
            "catalog must be a path or an embedded catalog's name (str or os.PathLike);"
            f" got {type(catalog).__name__}"
        )
    bill_decimals("", "", public_decimals)  # checked before the catalog is read
    given = {"months": months, "years": years, "minutes": minutes}
    named = [name for name, value in given.items() if value is not None]
    if len(named) != 1:
        raise InputError(
            "months",
            "give months or years (a subscription) or minutes (pay-as-you-go), one of them",
        )
    kind = duration_name = named[0]
    offers = load_offers(catalog, cache=cache)
    found = offers.find(region_id, spec)
    offer = found if isinstance(found, Offer) else None
    if offer is not None and kind == "minutes" and offer.resource_type == "public":
        kind = "public"
    field, price_unit, unit, method = _BILLS[kind]
    if offer is None:
        problems = [found]
    else:
        in_stock = offer.payg_in_stock if method == "payg" else offer.subscription_in_stock
        has_price = getattr(offer, field) is not None
        problems = offer_problems(
            method, offer.resource_type, in_stock, has_price, years=kind == "years"
        )
    terms = buyable_months_of(buyable_months)
    sizes = size_problems(quantity, duration_name, given[duration_name])
    problems += sizes
    if duration_name != "minutes" and not any(c == duration_name for c, _ in sizes):
        length = int(to_decimal(given[duration_name], duration_name))
        unit = duration_name[:-1]
        wrong = term_problem(length * (12 if unit == "year" else 1), terms, unit=unit)
        if wrong:
            problems.append((duration_name, wrong))
    if offer is None or problems:
        values = {"region_id": region_id, "spec": spec, "quantity": quantity}
        values |= {"billing_method": method, duration_name: given[duration_name]}
        where = f"order 1 ({region_id}, {spec})"
        raise OrderError(
            sorted(
                (Problem(where, m, column=c, value=shown(values[c])) for c, m in problems),
                key=lambda p: (p.column, p.message),
            )
        )
    price = getattr(offer, field)
    # all checked above: whole numbers of nodes, months and years, minutes to 3 decimals
    count = to_decimal(quantity, "quantity").to_integral_value()
    duration = to_decimal(given[duration_name], duration_name)
    if unit != "minute":
        duration = duration.to_integral_value()
    places = bill_decimals(offer.resource_type, offer.currency, public_decimals)
    amount = exact_amount(price, count, duration, price_unit=price_unit, decimals=places)
    return Quote(
        offer=offer,
        billing_method=method,
        quantity=count,
        duration=duration,
        duration_unit=unit,
        unit_price=price,
        price_unit=f"{offer.currency}/{price_unit}",
        amount=amount,
        currency=offer.currency,
        formula=format_formula(
            count,
            price,
            f"{offer.currency}/{price_unit}",
            duration,
            unit,
            amount,
            offer.currency,
            per=60 if price_unit == "hour" else 1,
            decimals=places,
        ),
        warning=offers.warnings.get(offer.provenance),
        decimals=places,
    )
