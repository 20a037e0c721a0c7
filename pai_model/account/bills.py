"""BssOpenApi ``DescribeInstanceBill``: the account's bill lines, read as FOCUS rows.

:func:`fetch_instance_bills` asks for every day of every billing cycle from ``start`` to
``end`` (``Granularity=DAILY``, ``IsBillingItem=true``: one line per instance, billing
item and day), follows ``NextToken`` to the last page, and turns each item into the FOCUS
row Alibaba's FOCUS export would hold, read through the same door as
:func:`~pai_model.data.focus.read_focus` (:class:`~pai_model.data.focus_schema.AlibabaFocusSchema`),
so :func:`~pai_model.bills.reconcile.reconcile` and the backtest take them as they take an
export. How an item becomes a row:

======================  ====================================================================
FOCUS column            DescribeInstanceBill item
======================  ====================================================================
ListCost                PretaxGrossAmount (the list amount)
ContractedCost          AfterDiscountAmount (list less discount, coupons not deducted)
BilledCost              PretaxAmount (payable); EffectiveCost the same
ListUnitPrice           ListPrice, when ListPriceUnit is per the UsageUnit (else empty)
PricingQuantity / Unit  Usage / UsageUnit (else ServicePeriod / ServicePeriodUnit)
ChargePeriodStart/End   BillingDate, 00:00 to 24:00 in ``bill_timezone``, in UTC
BillingPeriodStart/End  the billing cycle's month in ``bill_timezone``, in UTC
ChargeCategory          Item: PayAsYouGoBill Usage, SubscriptionOrder Purchase, Refund
                        Credit, Adjustment Adjustment
PricingCategory         SubscriptionType: Subscription Committed, PayAsYouGo Standard
SkuId                   InstanceSpec (the node spec, as reconcile reads it)
RegionId / RegionName   Region's display name read as a region id / the display name
ResourceId / Name       InstanceID / NickName
Tags                    Tag (``key:k value:v; ...``) as a JSON object
======================  ====================================================================

Other fields are kept as ``x_`` columns (``x_BillingItemCode``, ``x_InstanceID``, the
coupon deductions, ...). Amounts arrive through the SDK as floats; each is written as
the shortest decimal that reads back as the same float, which is the JSON's own text for
any amount of up to 15 significant digits, so cents stay exact.

UNCONFIRMED, and parameters: the time zone of a billing day (``bill_timezone``, default
``Asia/Shanghai``, UTC+8, the time zone of Alibaba's billing) and that the current cycle
is one of the 18 cycles DescribeInstanceBill keeps.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from pai_model.account.clients import session
from pai_model.bills.usage import map_specs
from pai_model.data.focus import note_deviations, read_focus_table
from pai_model.data.focus_schema import UNIT_PATTERN, FocusSchema
from pai_model.data.focus_scope import is_pai_code
from pai_model.data.regions import region_id_of
from pai_model.errors import InputError, Problem, UsageError
from pai_model.formulas.arguments import is_decimal

ACTION = "DescribeInstanceBill"
#: Billing cycles DescribeInstanceBill keeps (the current one included: UNCONFIRMED).
MAX_CYCLES = 18
#: The time zone of a BillingDate and a billing cycle (UNCONFIRMED; Alibaba bills in
#: Beijing time on the China site).
BILL_TIMEZONE = "Asia/Shanghai"
#: Items per page: the API's maximum (MaxResults, default 20).
MAX_RESULTS = 300
SUBSCRIPTION_TYPES = ("Subscription", "PayAsYouGo")
_CATEGORY = {
    "PayAsYouGoBill": "Usage",
    "SubscriptionOrder": "Purchase",
    "Refund": "Credit",
    "Adjustment": "Adjustment",
}
_FREQUENCY = {"Usage": "Usage-Based", "Purchase": "One-Time", "Credit": "One-Time"}
_UNITS = {
    "second": "Seconds",
    "秒": "Seconds",
    "minute": "Minutes",
    "分钟": "Minutes",
    "hour": "Hours",
    "小时": "Hours",
    "day": "Days",
    "天": "Days",
    "month": "Months",
    "月": "Months",
    "个月": "Months",
    "year": "Years",
    "年": "Years",
}
_CYCLE = re.compile(r"(\d{4})-(\d{2})")
_KEPT = {
    "x_BillingItemCode": "BillingItemCode",
    "x_BillingItemName": "BillingItem",
    "x_CommodityCode": "CommodityCode",
    "x_InstanceID": "InstanceID",
    "x_ProductCode": "ProductCode",
    "x_ProductType": "ProductType",
    "x_SubscriptionType": "SubscriptionType",
    "x_Item": "Item",
    "x_BillingDate": "BillingDate",
    "x_Zone": "Zone",
    "x_InstanceConfig": "InstanceConfig",
    "x_ListPrice": "ListPrice",
    "x_ListPriceUnit": "ListPriceUnit",
    "x_Usage": "Usage",
    "x_UsageUnit": "UsageUnit",
    "x_ResourceGroup": "ResourceGroup",
    "x_CostUnit": "CostUnit",
}
_KEPT_AMOUNTS = (
    "InvoiceDiscount",
    "DeductedByCoupons",
    "DeductedByCashCoupons",
    "DeductedByPrepaidCard",
    "DeductedByResourcePackage",
    "PaymentAmount",
    "OutstandingAmount",
)


def billing_cycles(
    start: str, end: str, *, today: date | None = None, timezone: str = BILL_TIMEZONE
) -> list[str]:
    """The billing cycles from ``start`` to ``end`` (``YYYY-MM``, both included), checked.

    Raises
    ------
    InputError
        For a cycle not written ``YYYY-MM``, an ``end`` before ``start``, a cycle after
        the current one, or one more than :data:`MAX_CYCLES` cycles back (the API keeps
        no older bills).

    Examples
    --------
    >>> billing_cycles("2026-11", "2027-01", today=date(2027, 1, 15))
    ['2026-11', '2026-12', '2027-01']
    >>> billing_cycles("2025-07", "2025-07", today=date(2027, 1, 15))
    Traceback (most recent call last):
    ...
    pai_model.errors.InputError: start: 2025-07 is more than 18 billing cycles back; \
DescribeInstanceBill keeps the last 18 (2025-08 to 2027-01)
    """
    first, last = _cycle("start", start), _cycle("end", end)
    now = today or datetime.now(_zone(timezone)).date()
    current = now.year * 12 + now.month - 1
    earliest = current - MAX_CYCLES + 1
    if last < first:
        raise InputError("end", f"{end} is before the start {start}")
    if last > current:
        raise InputError("end", f"{end} is after the current billing cycle {_name(current)}")
    if first < earliest:
        raise InputError(
            "start",
            f"{start} is more than {MAX_CYCLES} billing cycles back; {ACTION} keeps the last"
            f" {MAX_CYCLES} ({_name(earliest)} to {_name(current)})",
        )
    return [_name(m) for m in range(first, last + 1)]


def fetch_instance_bills(
    start: str,
    end: str,
    *,
    clients: Any = None,
    caller: Any = None,
    site: str = "auto",
    regions: Iterable[str] | None = None,
    product_codes: Iterable[str] | None = None,
    subscription_type: str | None = None,
    catalog: pd.DataFrame | None = None,
    bill_timezone: str = BILL_TIMEZONE,
    today: date | None = None,
) -> pd.DataFrame:
    """Read the account's daily bill lines (BssOpenApi DescribeInstanceBill) as FOCUS rows.

    Parameters
    ----------
    start, end : str
        The first and last billing cycle, ``YYYY-MM`` (at most :data:`MAX_CYCLES` back).
    clients, caller : optional
        :class:`~pai_model.account.clients.Clients` and :class:`~pai_model.account.calls.Caller`;
        default: the default credential chain, 5 requests per second, 4 retries.
    site : {"auto", "cn", "intl"}, default "auto"
        BssOpenApi site (:class:`~pai_model.account.bss.Bss`).
    regions : iterable of str, optional
        Keep the lines of these region ids only (lines whose region name is not known are
        kept, and noted).
    product_codes : iterable of str, optional
        Ask for these ProductCodes only (one listing each); default every product.
    subscription_type : {"Subscription", "PayAsYouGo"}, optional
        Ask for one subscription type only.
    catalog : pandas.DataFrame, optional
        Map each line's spec to the catalog's hardware: the lines it cannot map are listed
        in ``attrs["unmapped"]`` (and kept). Its ``region_name`` values are region names
        too.
    bill_timezone : str, default "Asia/Shanghai"
        Time zone of a billing day (UNCONFIRMED).
    today : date, optional
        Today in ``bill_timezone`` (for the cycle check and the days asked for).

    Returns
    -------
    pandas.DataFrame
        FOCUS rows as :func:`~pai_model.data.focus.read_focus` returns them (text decimals, UTC
        times, ``x_`` columns). ``attrs``: ``source``, ``parts``, ``deviations``,
        ``notes`` (what a reader must know), ``requests`` and, with a catalog,
        ``unmapped`` (records of :data:`~pai_model.bills.usage.UNMAPPED_COLUMNS`).

    Raises
    ------
    InputError
        For a bad cycle (see :func:`billing_cycles`), time zone or subscription type.
    ApiError
        When a request fails for good (after its retries).
    UsageError
        Listing every malformed item (a missing or non-numeric amount, a bad date, an
        unknown Item), each with its day and position.
    """
    from pai_model.account.bss import Bss

    zone = _zone(bill_timezone)
    cycles = billing_cycles(start, end, today=today, timezone=bill_timezone)
    if subscription_type is not None and subscription_type not in SUBSCRIPTION_TYPES:
        raise InputError(
            "subscription_type", f"{subscription_type!r}: use Subscription or PayAsYouGo"
        )
    clients, caller = session(clients=clients, caller=caller)
    bss = Bss(clients, caller, site)
    now = today or datetime.now(zone).date()
    codes = list(dict.fromkeys(product_codes or [None]))
    names = {}
    if catalog is not None and "region_name" in catalog:
        names = dict(zip(catalog["region_name"].astype(str), catalog["region_id"], strict=True))
    raw: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = []
    pages: list[str] = []
    for cycle in cycles:
        for day in _days(cycle, now):
            for code in codes:
                for head, item in _items(bss, cycle, day, code, subscription_type, pages):
                    raw.append((cycle, day, head, item))
    source = f"{ACTION} {cycles[0]}..{cycles[-1]}"
    rows, problems, counts = _rows(raw, zone, names)
    if problems:
        raise UsageError(problems, source)
    table = read_focus_table(rows, source)
    keep = _in_regions(table, regions)
    if keep is not None:
        counts["outside"] = int((~keep).sum())
        table = table[keep.to_numpy()].reset_index(drop=True)
    table = note_deviations(table, f"{source} ({bss.site_name})", [source])
    table.attrs["notes"] = [*bss.notes, *_notes(counts, bill_timezone)]
    table.attrs["requests"] = len(pages)
    if catalog is not None:
        table.attrs["unmapped"] = map_specs(table, catalog).unmapped.to_dict("records")
    return table


def _items(
    bss: Any,
    cycle: str,
    day: str,
    code: str | None,
    subscription_type: str | None,
    pages: list[str],
) -> Iterable[tuple[dict[str, Any], dict[str, Any]]]:
    """(Data without Items, item) of every page of one day's listing, as the API's maps;
    each page's day is appended to ``pages``."""
    from alibabacloud_bssopenapi20171214 import models

    from pai_model.errors import ApiError

    def fetch(token: str | None) -> Any:
        def request(site: str) -> Any:
            return models.DescribeInstanceBillRequest(
                billing_cycle=cycle,
                billing_date=day,
                granularity="DAILY",
                is_billing_item=True,
                max_results=MAX_RESULTS,
                next_token=token,
                product_code=code,
                subscription_type=subscription_type,
            )

        body = bss.call(ACTION, request, lambda client, r: client.describe_instance_bill(r))
        pages.append(day)
        if body.data is None:
            raise ApiError(ACTION, "MalformedResponse", f"{day}: the response has no Data", 200, 1)
        return body.data

    def items_of(data: Any) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        head = data.to_map()
        head.pop("Items", None)
        return [(head, item.to_map()) for item in data.items or []]

    return bss.caller.token_pages(ACTION, fetch, items_of, lambda data: data.next_token)


def _rows(
    raw: list[tuple[str, str, dict[str, Any], dict[str, Any]]],
    zone: ZoneInfo,
    names: dict[str, str],
) -> tuple[pd.DataFrame, list[Problem], dict[str, Any]]:
    """FOCUS rows (text cells, as a CSV holds them) of the items; the problems found."""
    problems: list[Problem] = []
    out: list[dict[str, Any]] = []
    counts: dict[str, Any] = {"unknown_regions": {}, "price_units": 0, "days": set()}
    position: dict[str, int] = {}
    for cycle, day, head, item in raw:
        position[day] = position.get(day, 0) + 1
        where = f"{ACTION} {day} item {position[day]}"
        counts["days"].add(day)
        row = _row(cycle, day, head, item, zone, names, problems, where, counts)
        if row is not None:
            out.append(row)
    return pd.DataFrame(out, columns=_COLUMNS), problems, counts


def _row(
    cycle: str,
    day: str,
    head: dict[str, Any],
    item: dict[str, Any],
    zone: ZoneInfo,
    names: dict[str, str],
    problems: list[Problem],
    where: str,
    counts: dict[str, Any],
) -> dict[str, Any] | None:
    before = len(problems)

    def problem(column: str, message: str) -> None:
        problems.append(Problem(where, message, column=column, value=item.get(column)))

    listed = _amount(item, "PretaxGrossAmount", problem, required=True)
    billed = _amount(item, "PretaxAmount", problem, required=True)
    contracted = _amount(item, "AfterDiscountAmount", problem, required=False)
    kept = {f"x_{name}": _amount(item, name, problem, required=False) for name in _KEPT_AMOUNTS}
    billing_day = item.get("BillingDate") or day
    if not (isinstance(billing_day, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", billing_day)):
        problem("BillingDate", "not a date YYYY-MM-DD")
    elif _calendar_date(billing_day) is None:
        problem("BillingDate", "not a day of the calendar (YYYY-MM-DD)")
    category = _CATEGORY.get(_text(item.get("Item")))
    if category is None:
        problem("Item", f"not an Item the kit knows ({', '.join(_CATEGORY)})")
    currency = item.get("Currency")
    if not (isinstance(currency, str) and re.fullmatch(r"[A-Z]{3}", currency)):
        problem("Currency", "not a currency code such as CNY or USD")
    account = head.get("AccountID") or item.get("BillAccountID")
    if not account:
        problem("BillAccountID", "no account id (neither Data.AccountID nor BillAccountID)")
    service = item.get("ProductName") or item.get("ProductCode")
    if not service:
        problem("ProductCode", "no product (neither ProductName nor ProductCode)")
    quantity, unit = _quantity(item, category, problem)
    if len(problems) > before:
        return None
    billed_on = date.fromisoformat(billing_day)
    year, month = int(cycle[:4]), int(cycle[5:])
    spec = item.get("InstanceSpec") or None
    region_name = item.get("Region") or None
    region = region_id_of(region_name, names)
    if region_name and region is None:
        counts["unknown_regions"][region_name] = counts["unknown_regions"].get(region_name, 0) + 1
    price = _unit_price(item, unit, counts)
    committed = item.get("SubscriptionType") == "Subscription"
    pricing = {"Subscription": "Committed", "PayAsYouGo": "Standard"}.get(
        _text(item.get("SubscriptionType"))
    )
    commitment = f"subscription/{item.get('InstanceID') or spec or 'unknown'}"
    usage = category == "Usage"
    row = {
        "BilledCost": billed,
        "EffectiveCost": billed,
        "ListCost": listed,
        "ContractedCost": contracted,
        "ListUnitPrice": price,
        "ContractedUnitPrice": None,
        "PricingQuantity": quantity,
        "PricingUnit": unit,
        "ConsumedQuantity": quantity if usage else None,
        "ConsumedUnit": unit if usage else None,
        "ChargePeriodStart": _utc(billed_on, zone),
        "ChargePeriodEnd": _utc(date.fromordinal(billed_on.toordinal() + 1), zone),
        "BillingPeriodStart": _utc(date(year, month, 1), zone),
        "BillingPeriodEnd": _utc(date(year + month // 12, month % 12 + 1, 1), zone),
        "ChargeCategory": category,
        "ChargeClass": None,
        "ChargeFrequency": _FREQUENCY.get(category),
        "PricingCategory": pricing,
        "CommitmentDiscountId": commitment if committed else None,
        "CommitmentDiscountName": commitment if committed else None,
        "CommitmentDiscountType": "Subscription" if committed else None,
        "CommitmentDiscountCategory": "Usage" if committed else None,
        "CommitmentDiscountStatus": "Used" if committed else None,
        "ResourceId": item.get("InstanceID") or None,
        "ResourceName": item.get("NickName") or None,
        "ResourceType": item.get("ProductDetail") or item.get("ProductName") or None,
        "SkuId": spec,
        "SkuPriceId": None,
        "RegionId": region,
        "RegionName": region_name,
        "AvailabilityZone": None,
        "ServiceName": service,
        "ServiceCategory": "AI and Machine Learning"
        if is_pai_code(item.get("ProductCode"))  # PAI's and Lingjun's product codes
        else "Other",
        "ProviderName": "Alibaba Cloud",
        "PublisherName": "Alibaba Cloud",
        "InvoiceIssuerName": "Alibaba Cloud",
        "BillingAccountId": str(account),
        "BillingAccountName": head.get("AccountName") or item.get("BillAccountName") or None,
        "SubAccountId": item.get("OwnerID") or None,
        "SubAccountName": None,
        "BillingCurrency": currency,
        "Tags": _tags(item.get("Tag")),
        "ChargeDescription": None,
    }
    for column, field in _KEPT.items():
        value = item.get(field)
        row[column] = None if value in (None, "") else str(value)
    row.update(kept)
    row["x_Source"] = ACTION
    return row


#: The FOCUS columns in the spec's order, then the kept fields.
_COLUMNS = [
    *FocusSchema.to_schema().columns,
    *_KEPT,
    *(f"x_{name}" for name in _KEPT_AMOUNTS),
    "x_Source",
]


def _amount(item: dict[str, Any], field: str, problem: Any, *, required: bool) -> str | None:
    """An amount as exact decimal text: a JSON number (a float through the SDK) or text."""
    value = item.get(field)
    if value is None or value == "":
        if required:
            problem(field, "missing")
        return None
    if isinstance(value, bool):
        problem(field, "not a number")
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not np.isfinite(value):
            problem(field, "not a finite number")
            return None
        # the shortest decimal that reads back as this float: the JSON's text
        return np.format_float_positional(value, trim="-")
    if is_decimal(value):
        return value.strip()
    problem(field, "not a number")
    return None


def focus_unit(text: Any) -> str | None:
    """A FOCUS unit for one of Alibaba's (``Hour``, ``小时``, ``Second``, ``GB``), or None.

    >>> [focus_unit(u) for u in ("Hour", "小时", "seconds", "GB", "次", None)]
    ['Hours', 'Hours', 'Seconds', 'GB', None, None]
    """
    if not isinstance(text, str) or not text.strip():
        return None
    key = text.strip().lower()
    found = _UNITS.get(key) or _UNITS.get(key.removesuffix("s"))
    if found:
        return found
    return text.strip() if re.fullmatch(UNIT_PATTERN, text.strip()) else None


def _quantity(item: dict[str, Any], category: str | None, problem: Any) -> tuple[Any, Any]:
    """PricingQuantity and PricingUnit: Usage and UsageUnit, else the service period."""
    for amount, unit in (("Usage", "UsageUnit"), ("ServicePeriod", "ServicePeriodUnit")):
        value = item.get(amount)
        if value not in (None, ""):
            text = str(value).strip()
            if not is_decimal(text) or isinstance(value, bool):
                problem(amount, "not a number")
                return None, None
            return text, focus_unit(item.get(unit))
    if category in ("Usage", "Purchase"):
        problem("Usage", "missing, and no ServicePeriod either: the quantity billed is unknown")
    return None, None


def _unit_price(item: dict[str, Any], unit: str | None, counts: dict[str, Any]) -> str | None:
    """ListPrice as the price of one PricingUnit, or None when its unit is another one.

    A ListPriceUnit such as ``USD/Hour`` names the unit it is per; one without a ``/``
    (``CNY``, as the API's example) is taken as per the UsageUnit.
    """
    price = str(item.get("ListPrice") or "").strip()
    if not is_decimal(price) or price.startswith("-"):
        return None
    per = str(item.get("ListPriceUnit") or "")
    if "/" in per and focus_unit(per.rsplit("/", 1)[1]) != unit:
        counts["price_units"] += 1
        return None
    return price


def _tags(text: Any) -> str | None:
    """``key:k value:v; key:k1 value:v1`` as a FOCUS Tags JSON object (None if not so).

    >>> _tags("key:team value:nlp; key:env value:prod")
    '{"team": "nlp", "env": "prod"}'
    """
    if not isinstance(text, str) or not text.strip():
        return None
    pairs = re.findall(r"key:\s*([^;]*?)\s+value:\s*([^;]*?)\s*(?:;|$)", text)
    if not pairs:
        return None
    return json.dumps(dict(pairs), ensure_ascii=False)


def _in_regions(table: pd.DataFrame, regions: Iterable[str] | None) -> pd.Series | None:
    if regions is None:
        return None
    wanted = set(regions)
    unknown = table["RegionId"].isna() & table["RegionName"].notna()
    return table["RegionId"].isin(wanted) | unknown


def _notes(counts: dict[str, Any], timezone: str) -> list[str]:
    notes = [
        f"billing days are read as days in {timezone} (UNCONFIRMED; --bill-timezone changes"
        " it): a line's charge period is that day's 00:00 to 24:00 there, in UTC",
    ]
    unknown = counts["unknown_regions"]
    if unknown:
        listed = ", ".join(f"{name!r} ({n:,} lines)" for name, n in sorted(unknown.items()))
        notes.append(
            f"region names the kit does not know, so RegionId is empty (kept, listed"
            f" unmapped): {listed}"
        )
    if counts["price_units"]:
        notes.append(
            f"{counts['price_units']:,} lines have a ListPrice per another unit than their"
            " usage: their ListUnitPrice is empty (kept in x_ListPrice, x_ListPriceUnit)"
        )
    if counts.get("outside"):
        notes.append(f"{counts['outside']:,} lines of other regions left out (--region)")
    return notes


def _text(value: Any) -> str:
    """A field as text to look up (a list or map an API sent by mistake matches nothing)."""
    return value if isinstance(value, str) else ""


def _calendar_date(text: str) -> date | None:
    """The day ``text`` names, or None for one the calendar lacks (2026-13-45, 2026-02-30)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _cycle(argument: str, text: str) -> int:
    match = _CYCLE.fullmatch(str(text).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InputError(argument, f"{text!r} is not a billing cycle YYYY-MM (e.g. 2026-01)")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def _name(months: int) -> str:
    return f"{months // 12:04d}-{months % 12 + 1:02d}"


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            "bill_timezone", f"unknown time zone {name!r} (e.g. Asia/Shanghai)"
        ) from None


def _days(cycle: str, today: date) -> list[str]:
    """The days of a cycle up to today."""
    year, month = int(cycle[:4]), int(cycle[5:])
    last = calendar.monthrange(year, month)[1]
    return [f"{cycle}-{d:02d}" for d in range(1, last + 1) if date(year, month, d) <= today]


def _utc(day: date, zone: ZoneInfo) -> str:
    """Midnight of ``day`` in ``zone`` as UTC text."""
    moment = pd.Timestamp(day.isoformat()).tz_localize(zone).tz_convert("UTC")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
