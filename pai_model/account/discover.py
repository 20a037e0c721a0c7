"""``pai-cost catalog discover``: the products and pricing modules an account sees.

``QueryProductList`` lists every product (code, name, type, subscription type) the
account can buy on its site; for the PAI-related ones (or those asked for),
``DescribePricingModule`` lists their modules (code, name, PriceType, currency) and the
attributes each module's Config needs, with their allowed values. That is what the
product mapping (``pai_model/data/catalogs/alibaba_products.yaml``) needs; no code changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pai_model.account.bss import Bss
from pai_model.account.calls import MAX_PAGES, Caller
from pai_model.account.clients import Clients
from pai_model.account.mapping import Mapping
from pai_model.errors import ApiError

PRODUCT_COLUMNS = ("product_code", "product_name", "product_type", "subscription_type")
MODULE_COLUMNS = (
    "product_code",
    "product_type",
    "subscription_type",
    "module_code",
    "module_name",
    "price_type",
    "currency",
    "config_attributes",
    "attribute_values",
    "error",
)
#: Products described by default: the mapping's codes and these words in code or name.
PAI_WORDS = re.compile(r"pai|lingjun|learn|eflo|bccluster|灵骏|人工智能", re.IGNORECASE)
_PAGE_SIZE = 100


@dataclass(frozen=True)
class Discovery:
    """Result of :func:`discover_products`."""

    #: Every product of the account's site: :data:`PRODUCT_COLUMNS`.
    products: pd.DataFrame
    #: One row per pricing module of each described product: :data:`MODULE_COLUMNS`
    #: (``error`` says why a product could not be described).
    modules: pd.DataFrame
    #: The site the answers came from, e.g. "international site (business....com)".
    site_name: str
    notes: list[str] = field(default_factory=list)


def discover_products(
    clients: Clients,
    caller: Caller,
    mapping: Mapping,
    *,
    products: Iterable[str] | None = None,
    site: str = "auto",
) -> Discovery:
    """List the account's products and the pricing modules of the PAI-related ones.

    Parameters
    ----------
    clients, caller
        As for :func:`~pai_model.account.fetch.fetch_catalog`.
    mapping : Mapping
        Its product codes are always described.
    products : iterable of str, optional
        Product codes to describe instead of the default (the mapping's codes and every
        product whose code or name matches :data:`PAI_WORDS`).
    site : {"auto", "cn", "intl"}, default "auto"
        As for :func:`~pai_model.account.fetch.fetch_catalog`.

    Returns
    -------
    Discovery

    Raises
    ------
    ApiError
        When the product list itself cannot be read.
    """
    from alibabacloud_bssopenapi20171214 import models

    bss = Bss(clients, caller, site)
    listed: list[Any] = []
    for number in range(1, MAX_PAGES + 1):
        request = _product_page(models, number)
        body = bss.call("QueryProductList", request, lambda c, r: c.query_product_list(r))
        page = getattr(getattr(body.data, "product_list", None), "product", None) or []
        listed += page
        total = getattr(body.data, "total_count", None)
        counted = isinstance(total, int)
        if not page or (len(listed) >= total if counted else len(page) < _PAGE_SIZE):
            break
    table = pd.DataFrame(
        [(p.product_code, p.product_name, p.product_type, p.subscription_type) for p in listed],
        columns=list(PRODUCT_COLUMNS),
    ).fillna("")
    wanted = set(products or ()) or {b.product_code for b in mapping.blocks.values()} | {
        code
        for code, name in zip(table["product_code"], table["product_name"], strict=True)
        if PAI_WORDS.search(code) or PAI_WORDS.search(name)
    }
    rows = []
    for product in table[table["product_code"].isin(wanted)].itertuples(index=False):
        for subscription_type in _subscription_types(product.subscription_type):
            rows += _modules(bss, models, product, subscription_type)
    missing = sorted(wanted - set(table["product_code"]))
    notes = list(bss.notes)
    if missing:
        notes.append(
            f"not in the account's product list: {', '.join(missing)} (a mapping value to check)"
        )
    modules = pd.DataFrame(rows, columns=list(MODULE_COLUMNS), dtype=object).fillna("")
    return Discovery(table, modules, bss.site_name, notes)


def _product_page(models: Any, number: int) -> Any:
    def request(site: str) -> Any:
        return models.QueryProductListRequest(
            page_num=number, page_size=_PAGE_SIZE, query_total_count=True
        )

    return request


def _subscription_types(given: str) -> list[str]:
    return [given] if given in ("Subscription", "PayAsYouGo") else ["Subscription", "PayAsYouGo"]


def _modules(bss: Bss, models: Any, product: Any, subscription_type: str) -> list[dict]:
    where = {
        "product_code": product.product_code,
        "product_type": product.product_type,
        "subscription_type": subscription_type,
    }

    def request(site: str) -> Any:
        return models.DescribePricingModuleRequest(
            product_code=product.product_code,
            product_type=product.product_type or None,
            subscription_type=subscription_type,
        )

    try:
        body = bss.call("DescribePricingModule", request, lambda c, r: c.describe_pricing_module(r))
    except ApiError as error:
        return [{**where, "error": str(error)}]
    data = body.data
    values = {
        a.code: ", ".join(
            str(v.value) for v in (getattr(a.values, "attribute_value", None) or [])[:8]
        )
        for a in (getattr(getattr(data, "attribute_list", None), "attribute", None) or [])
    }
    rows = []
    for module in getattr(getattr(data, "module_list", None), "module", None) or []:
        attributes = getattr(module.config_list, "config_list", None) or []
        rows.append(
            {
                **where,
                "module_code": module.module_code,
                "module_name": module.module_name,
                "price_type": module.price_type,
                "currency": module.currency,
                "config_attributes": ",".join(map(str, attributes)),
                "attribute_values": "; ".join(
                    f"{a}: {values[a]}" for a in attributes if values.get(a)
                ),
            }
        )
    return rows or [{**where, "error": "DescribePricingModule listed no module"}]
