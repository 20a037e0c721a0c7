"""``pai-cost catalog fetch``: a price catalog from the account's own prices.

Per region: the node specs from PAI-DLC ``ListEcsSpecs`` (one listing per resource type of
the mapping: ``Lingjun`` and ``ECS``), the public-resource prices from PAI-DSW
``ListEcsSpecs``, then per spec the BssOpenApi inquiries the mapping names:
``GetSubscriptionPrice`` for one month and one year (``NewOrder``, one node) and, for
Lingjun nodes, ``GetPayAsYouGoPrice``. ``DescribePricingModule`` first tells each
product's modules and the attributes their Config needs.

Prices kept apart (BssOpenApi names):

==========================================  ===========================================
catalog column                              from
==========================================  ===========================================
``subscription_price_per_month``            ``Data.TradePrice`` (1 Month), after discounts
``x_list_subscription_price_per_month``     ``Data.OriginalPrice`` (1 Month), list price
``subscription_price_per_year``             ``Data.TradePrice`` (1 Year)
``x_list_subscription_price_per_year``      ``Data.OriginalPrice`` (1 Year)
``payg_price_per_minute``                   sum of ``ModuleDetail.CostAfterDiscount`` per
                                            minute (an hourly amount / 60)
``x_list_payg_price_per_minute``            the same of ``ModuleDetail.OriginalCost``
``x_payg_price_per_hour``                   the amount as returned, when it is per hour
``x_dsw_public_price_per_hour``             DSW ``Price`` of the same instance type
==========================================  ===========================================

The trade price is what billing uses; the list price is shown beside it. A per-minute price
that is not exact at 6 decimal places (e.g. 2.02 / 60) is rounded half up, and the row's
note says so (the hourly amount stays exact in ``x_payg_price_per_hour``). Every row names
the APIs and the site in ``source``, the fetch date in ``as_of`` and the time in
``x_fetched_at``; rows priced through an UNCONFIRMED mapping value say so in ``note``.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from pai_model.account.bss import Bss
from pai_model.account.calls import Caller
from pai_model.account.clients import Clients
from pai_model.account.mapping import AccountError, Mapping, Pricing
from pai_model.data.catalog import NODE_COLUMNS, SOURCE_COLUMNS, read_catalog
from pai_model.data.files import write_text
from pai_model.data.schemas import STOCK_UNKNOWN
from pai_model.errors import ApiError, FetchError, InputError, PaiModelError
from pai_model.formulas.arguments import to_decimal

#: Columns of a fetched catalog: the catalog's own, then the ``x_`` extras.
COLUMNS = (
    *NODE_COLUMNS,
    "subscription_price_per_month",
    "subscription_price_per_year",
    "payg_price_per_minute",
    "currency",
    "in_stock",
    *SOURCE_COLUMNS,
    "x_list_subscription_price_per_month",
    "x_list_subscription_price_per_year",
    "x_list_payg_price_per_minute",
    "x_payg_price_per_hour",
    "x_list_payg_price_per_hour",
    "x_dsw_public_price_per_hour",
    "x_dsw_public_currency",
    "x_dlc_payment_types",
    "x_spot_stock_status",
    "x_fetched_at",
)
_DECIMALS = 6
#: GetSubscriptionPrice's ServicePeriodUnit -> (trade price column, list price column).
_SUBSCRIPTION_COLUMNS = {
    "Month": ("subscription_price_per_month", "x_list_subscription_price_per_month"),
    "Year": ("subscription_price_per_year", "x_list_subscription_price_per_year"),
}
_REGION = re.compile(r"^[a-z]{2,}(-[a-z0-9]+)+$")


@dataclass(frozen=True)
class Failure:
    """One offer (or listing) that could not be fetched, with the error."""

    region_id: str
    spec: str
    step: str
    error: str

    def __str__(self) -> str:
        return f"{self.region_id} {self.spec}: {self.step}: {self.error}"


@dataclass
class FetchResult:
    """Result of :func:`fetch_catalog`."""

    #: The catalog, every cell text, columns :data:`COLUMNS`.
    table: pd.DataFrame
    #: Offers (or listings) that failed; their rows are absent from ``table``.
    failures: list[Failure]
    #: The BssOpenApi site the prices came from: "cn" or "intl".
    site: str
    #: What a reader must know (site fallback, rounding, unconfirmed mapping values).
    notes: list[str] = field(default_factory=list)


def fetch_catalog(
    regions: Iterable[str],
    clients: Clients,
    caller: Caller,
    mapping: Mapping,
    *,
    site: str = "auto",
    now: datetime | None = None,
    progress: bool | None = None,
) -> FetchResult:
    """Fetch the account's prices of every PAI node spec in ``regions``.

    Parameters
    ----------
    regions : iterable of str
        Region ids, e.g. ``["cn-wulanchabu", "ap-southeast-1"]``.
    clients : Clients
        The SDK clients (:class:`~pai_model.account.clients.Clients`).
    caller : Caller
        Retries, rate limit, kept responses (:class:`~pai_model.account.calls.Caller`).
    mapping : Mapping
        The product mapping (:func:`~pai_model.account.mapping.load_mapping`).
    site : {"auto", "cn", "intl"}, default "auto"
        The BssOpenApi site: "auto" asks the China site and moves to the international one
        when the answer is ``NotApplicable``.
    now : datetime, optional
        The fetch time (UTC); default now. ``as_of`` is its date.
    progress : bool, optional
        Show a tqdm progress bar on stderr; None shows it on a terminal only.

    Returns
    -------
    FetchResult
        The table and the failures (write it with :func:`write_catalog`).
    """
    regions = list(dict.fromkeys(regions))
    bad = [r for r in regions if not _REGION.match(r)]
    if not regions or bad:
        raise PaiModelError(
            f"--region {', '.join(map(repr, bad)) or '(none)'}: give region ids such as"
            " cn-wulanchabu or ap-southeast-1"
        )
    run = _Run(clients, caller, mapping, site, (now or datetime.now(UTC)).astimezone(UTC))
    work = [(region, spec) for region in regions for spec in run.specs(region)]
    from tqdm import tqdm

    rows = []
    bar = tqdm(work, desc="prices", unit="spec", disable=None if progress is None else not progress)
    for region, spec in bar:
        row = run.price(region, spec)
        if row is not None:
            rows.append(row)
    table = pd.DataFrame(rows, columns=list(COLUMNS), dtype=object).fillna("")
    return FetchResult(table, run.failures, run.bss.site, run.notes)


def write_catalog(
    result: FetchResult, path: str | os.PathLike[str], *, partial: bool = False
) -> pd.DataFrame:
    """Write a fetched catalog atomically, after checking it with ``read_catalog``.

    Parameters
    ----------
    result : FetchResult
        From :func:`fetch_catalog`.
    path : path-like
        The CSV to write (replaced in one rename; never left half-written).
    partial : bool, default False
        Write even when some offers failed: their rows are absent and every row's note
        says how many and which.

    Returns
    -------
    pandas.DataFrame
        The written file as :func:`~pai_model.data.catalog.read_catalog` reads it.

    Raises
    ------
    FetchError
        When offers failed and ``partial`` is False (nothing is written).
    """
    if result.failures and not partial:
        raise FetchError(result.failures)
    table = result.table.copy()
    if table.empty:
        raise PaiModelError("no offer could be fetched; nothing was written")
    if result.failures:
        absent = "; ".join(f"{f.region_id} {f.spec}" for f in result.failures)
        line = f"PARTIAL FETCH: {len(result.failures)} offer(s) failed and are absent: {absent}"
        table["note"] = [f"{n} | {line}" if n else line for n in table["note"]]
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, lineterminator="\n")
    write_text(path, buffer.getvalue(), check=read_catalog, option="path")
    return read_catalog(path)


class _Run:
    """The state of one fetch: the site in use, the modules learnt, the failures."""

    def __init__(
        self, clients: Clients, caller: Caller, mapping: Mapping, site: str, now: datetime
    ) -> None:
        self.clients, self.caller, self.mapping, self.now = clients, caller, mapping, now
        self.bss = Bss(clients, caller, site)
        self.failures: list[Failure] = []
        self.notes = self.bss.notes
        self._modules: dict[tuple[str, str, str, str], Any] = {}
        self._dsw: dict[str, dict[str, Any]] = {}

    # --- listings -------------------------------------------------------------------------

    def specs(self, region: str) -> list[dict[str, Any]]:
        """The DLC specs of every mapped resource type in a region (failures recorded)."""
        from alibabacloud_pai_dlc20201203 import models

        found = []
        client = self.clients.get("dlc", region)
        for resource_type, dlc_type in self.mapping.dlc_resource_types.items():

            def page(number: int, size: int, dlc_type: str = dlc_type) -> Any:
                request = models.ListEcsSpecsRequest(
                    resource_type=dlc_type, page_number=number, page_size=size
                )
                return client.list_ecs_specs(request)

            try:
                items = list(self.caller.pages("dlc", "ListEcsSpecs", page, _ecs_specs))
            except ApiError as error:
                step = f"DLC ListEcsSpecs {dlc_type}"
                self.failures.append(Failure(region, "*", step, str(error)))
                continue
            found += [{"resource_type": resource_type, "spec": item} for item in items]
        self._dsw[region] = self._dsw_prices(region) if found else {}
        return found

    def _dsw_prices(self, region: str) -> dict[str, Any]:
        from alibabacloud_pai_dsw20220101 import models

        client = self.clients.get("dsw", region)
        prices: dict[str, Any] = {}
        for accelerator in ("CPU", "GPU"):

            def page(number: int, size: int, accelerator: str = accelerator) -> Any:
                request = models.ListEcsSpecsRequest(
                    accelerator_type=accelerator, page_number=number, page_size=size
                )
                return client.list_ecs_specs(request)

            try:
                for item in self.caller.pages("dsw", "ListEcsSpecs", page, _ecs_specs):
                    prices[item.instance_type] = item
            except ApiError as error:
                self.notes.append(
                    f"{region}: DSW public-resource prices ({accelerator}) not read: {error}"
                )
        return prices

    # --- one spec -------------------------------------------------------------------------

    def price(self, region: str, found: dict[str, Any]) -> dict[str, str] | None:
        """The catalog row of one spec, or None (with the failure recorded)."""
        spec, resource_type = found["spec"], found["resource_type"]
        name = spec.instance_type or "(no InstanceType)"
        notes: list[str] = []
        currencies: set[str] = set()
        actions = []
        try:
            if not spec.instance_type:
                raise _Bad("DLC ListEcsSpecs returned a spec without InstanceType")
            row = _hardware_row(region, resource_type, spec, self.mapping.dlc_memory_unit)
            block = self.mapping.pricing(resource_type, "subscription")
            if block is not None:
                actions.append("GetSubscriptionPrice")
                for unit, (trade_column, list_column) in _SUBSCRIPTION_COLUMNS.items():
                    trade, listed, currency = self._subscription(region, name, block, unit)
                    currencies.add(currency)
                    row[trade_column] = _price(trade, f"TradePrice (1 {unit})", notes)
                    row[list_column] = _text(listed)
                notes.append(f"subscription: {block.describe()}")
            block = self.mapping.pricing(resource_type, "payg")
            if block is not None:
                actions.append("GetPayAsYouGoPrice")
                trade, listed, currency = self._payg(region, name, block)
                currencies.add(currency)
                _per_minute(row, trade, listed, block, notes)
                notes.append(f"pay-as-you-go: {block.describe()}")
            if len(currencies) > 1:
                raise _Bad(f"the inquiries answered in several currencies: {sorted(currencies)}")
        except (ApiError, AccountError, _Bad) as error:
            self.failures.append(Failure(region, name, "price", str(error)))
            return None
        row["currency"] = currencies.pop()
        dsw = self._dsw.get(region, {}).get(name)
        if dsw is not None and dsw.price is not None:
            row["x_dsw_public_price_per_hour"] = _text(_decimal(dsw.price, "DSW Price"))
            row["x_dsw_public_currency"] = dsw.currency or ""
        row["source"] = (
            f"BssOpenApi {' and '.join(actions)}, {self.bss.site_name}; specs: PAI-DLC ListEcsSpecs"
        )
        row["as_of"] = self.now.strftime("%Y-%m-%d")
        row["x_fetched_at"] = self.now.strftime("%Y-%m-%dT%H:%M:%SZ")
        row["note"] = "; ".join(notes)
        return row

    def _subscription(
        self, region: str, spec: str, block: Pricing, unit: str
    ) -> tuple[Decimal, Decimal, str]:
        from alibabacloud_bssopenapi20171214 import models

        module = self._module(block, region, spec)

        def request(site: str) -> Any:
            return models.GetSubscriptionPriceRequest(
                product_code=block.product_code,
                product_type=block.product_type[site],
                subscription_type="Subscription",
                order_type="NewOrder",
                service_period_quantity=1,
                service_period_unit=unit,
                quantity=1,
                region=region,
                module_list=[
                    models.GetSubscriptionPriceRequestModuleList(
                        module_code=block.module_code,
                        config=block.config_string(module.attributes, region, spec),
                    )
                ],
            )

        body = self.bss.call(
            "GetSubscriptionPrice", request, lambda c, r: c.get_subscription_price(r)
        )
        data = body.data
        if data is None or data.trade_price is None or data.original_price is None:
            raise _Bad("GetSubscriptionPrice: the answer has no Data.TradePrice/OriginalPrice")
        return (
            _decimal(data.trade_price, "TradePrice"),
            _decimal(data.original_price, "OriginalPrice"),
            _currency(data.currency),
        )

    def _payg(self, region: str, spec: str, block: Pricing) -> tuple[Decimal, Decimal, str]:
        from alibabacloud_bssopenapi20171214 import models

        module = self._module(block, region, spec)

        def request(site: str) -> Any:
            return models.GetPayAsYouGoPriceRequest(
                product_code=block.product_code,
                product_type=block.product_type[site],
                subscription_type="PayAsYouGo",
                region=region,
                module_list=[
                    models.GetPayAsYouGoPriceRequestModuleList(
                        module_code=block.module_code,
                        config=block.config_string(module.attributes, region, spec),
                        price_type=block.price_type or module.price_type,
                    )
                ],
            )

        body = self.bss.call(
            "GetPayAsYouGoPrice", request, lambda c, r: c.get_pay_as_you_go_price(r)
        )
        details = getattr(getattr(body.data, "module_details", None), "module_detail", None)
        if not details:
            raise _Bad("GetPayAsYouGoPrice: the answer has no Data.ModuleDetails.ModuleDetail")
        mine = [d for d in details if d.module_code == block.module_code] or details
        trade = sum((_decimal(d.cost_after_discount, "CostAfterDiscount") for d in mine), Decimal())
        listed = sum((_decimal(d.original_cost, "OriginalCost") for d in mine), Decimal())
        return trade, listed, _currency(body.data.currency)

    def _module(self, block: Pricing, region: str, spec: str) -> _Module:
        """The pricing module of a block (DescribePricingModule, once per product)."""
        from alibabacloud_bssopenapi20171214 import models

        if self._module_key(block) not in self._modules:

            def request(site: str) -> Any:
                return models.DescribePricingModuleRequest(
                    product_code=block.product_code,
                    product_type=block.product_type[site],
                    subscription_type=block.subscription_type,
                )

            found: _Module | Exception
            try:
                body = self.bss.call(
                    "DescribePricingModule", request, lambda c, r: c.describe_pricing_module(r)
                )
                found = _find_module(body, block, self.bss.site)
            except (ApiError, _Bad) as error:
                found = error
            self._modules[self._module_key(block)] = found  # the site may have moved
        found = self._modules[self._module_key(block)]
        if isinstance(found, Exception):
            raise found
        return found

    def _module_key(self, block: Pricing) -> tuple[str, str, str, str]:
        return (self.bss.site, block.product_code, block.product_type[self.bss.site], block.method)


@dataclass(frozen=True)
class _Module:
    attributes: list[str]
    price_type: str


class _Bad(Exception):
    """An answer that parsed but lacks what the catalog needs."""


def _find_module(body: Any, block: Pricing, site: str) -> _Module:
    modules = getattr(getattr(body.data, "module_list", None), "module", None) or []
    for module in modules:
        if module.module_code == block.module_code:
            configs = getattr(module.config_list, "config_list", None) or []
            return _Module([str(c) for c in configs], module.price_type or "")
    codes = ", ".join(sorted(str(m.module_code) for m in modules)) or "none"
    raise _Bad(
        f"DescribePricingModule of {block.product_code}/{block.product_type[site]} lists no module"
        f" {block.module_code!r} (it lists: {codes}); fix module_code of"
        f" {block.resource_type}.{block.method} in the mapping"
    )


def _ecs_specs(body: Any) -> list[Any] | None:
    return body.ecs_specs


def _hardware_row(region: str, resource_type: str, spec: Any, memory_unit: str) -> dict[str, str]:
    try:
        memory = ""
        if spec.memory is not None:
            memory = _text(_decimal(spec.memory, "Memory") / (1024 if memory_unit == "MiB" else 1))
        return {
            "region_id": region,
            "resource_type": resource_type,
            "spec": spec.instance_type,
            "hardware": spec.instance_type,
            "vcpu": "" if spec.cpu is None else str(int(spec.cpu)),
            "memory_gib": memory,
            "gpu_model": spec.gpu_type or "",
            "gpu_count": "" if spec.gpu is None else str(int(spec.gpu)),
            # no IsAvailable: the stock is not known, never written as in stock
            "in_stock": {True: "true", False: "false"}.get(spec.is_available, STOCK_UNKNOWN),
            "x_dlc_payment_types": " ".join(map(str, spec.payment_types or [])),
            "x_spot_stock_status": spec.spot_stock_status or "",
        }
    except (TypeError, ValueError) as error:
        raise _Bad(f"DLC ListEcsSpecs returned a malformed spec ({error})") from None


def _per_minute(
    row: dict[str, str], trade: Decimal, listed: Decimal, block: Pricing, notes: list[str]
) -> None:
    minutes = block.minutes_per_amount
    what = f"CostAfterDiscount per minute ({_text(trade)} per {block.amount_per})"
    row["payg_price_per_minute"] = _price(trade / minutes, what, notes)
    row["x_list_payg_price_per_minute"] = _text(_rounded(listed / minutes)[0])
    if minutes == 60:
        row["x_payg_price_per_hour"] = _text(trade)
        row["x_list_payg_price_per_hour"] = _text(listed)


def _price(value: Decimal, what: str, notes: list[str]) -> str:
    """A billing price as catalog text: above 0, rounded half up to 6 decimals (noted)."""
    if value <= 0:
        raise _Bad(f"{what} is {_text(value)}: not a price the catalog can bill with")
    rounded, exact = _rounded(value)
    if rounded == 0:
        smallest = _text(Decimal(1).scaleb(-_DECIMALS))
        raise _Bad(f"{what} is below {smallest}: 0 at {_DECIMALS} decimals, not a price to bill")
    if not exact:
        notes.append(f"{what} rounded half up to {_DECIMALS} decimals")
    return _text(rounded)


def _rounded(value: Decimal) -> tuple[Decimal, bool]:
    rounded = value.quantize(Decimal(1).scaleb(-_DECIMALS), rounding=ROUND_HALF_UP)
    return rounded, rounded == value


#: Whole digits of the largest amount an answer may hold: far above any price (the
#: catalog's bounds refuse much less), and within what ``decimal`` rounds to 6 decimals.
_MAX_DIGITS = 15


def _decimal(value: Any, name: str) -> Decimal:
    """The decimal a JSON number stands for (a float's shortest repr, as the JSON text)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _Bad(f"{name} = {value!r} is not a number")
    try:
        number = to_decimal(value, name)
    except InputError:
        raise _Bad(f"{name} = {value!r} is not a number") from None
    if not number.is_finite() or number < 0:
        raise _Bad(f"{name} = {value!r} is not a price")
    if number.adjusted() >= _MAX_DIGITS:  # 1e300 would overflow the rounding to 6 decimals
        raise _Bad(f"{name} = {value!r} is not a price (more than {_MAX_DIGITS} whole digits)")
    return number


def _currency(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{3}", value):
        raise _Bad(f"Currency = {value!r} is not an ISO 4217 code")
    return value


def _text(value: Decimal) -> str:
    """A decimal as plain text without exponent or trailing zeros (``23932.70`` -> 23932.7)."""
    return format(value.normalize(), "f")
