"""The user's own Alibaba Cloud account: real prices and held subscriptions, via the SDKs.

One module per concern:

- :mod:`~pai_model.account.clients`: the official SDK clients, endpoints, the default
  credential chain (credentials are never printed, logged or written);
- :mod:`~pai_model.account.calls`: retries with backoff and jitter, the rate limit,
  paging, kept raw responses, atomic writes;
- :mod:`~pai_model.account.bss`: BssOpenApi on the China or the international site;
- :mod:`~pai_model.account.mapping`: which product and module prices which resource type
  (``catalogs/alibaba_products.yaml``);
- :mod:`~pai_model.account.fetch`: a validated price catalog (``pai-cost catalog fetch``);
- :mod:`~pai_model.account.discover`: the products and modules an account sees;
- :mod:`~pai_model.account.diff`: what changed between two catalogs;
- :mod:`~pai_model.account.subscriptions`: the nodes the account already holds;
- :mod:`~pai_model.account.freshness`: prices older than a limit.

Only read-only actions are called: BssOpenApi QueryProductList, DescribePricingModule,
GetSubscriptionPrice, GetPayAsYouGoPrice, DescribeInstanceBill; PAI-DLC ListEcsSpecs,
ListJobs; PAI-DSW ListEcsSpecs; PaiStudio ListResourceGroups, ListResourceGroupMachineGroups.
The usage readers built on these clients (``pai-cost usage``) live in
:mod:`pai_model.usage` (``bss_bills``, ``dlc_jobs``).
"""

from __future__ import annotations

from .calls import ApiError, Caller, atomic_write
from .clients import Clients, CredentialsError, default_credential, parse_endpoints
from .diff import CatalogDiff, diff_catalogs
from .discover import Discovery, discover_products
from .fetch import FetchError, FetchResult, fetch_catalog, write_catalog
from .freshness import MAX_AGE_DAYS, stale_note, stale_prices
from .mapping import DEFAULT_MAPPING, Mapping, MappingError, load_mapping
from .subscriptions import (
    SUBSCRIPTION_COLUMNS,
    Subscriptions,
    committed_nodes,
    list_subscriptions,
)

#: The read-only actions the kit calls, as RAM actions (the README's RAM policy).
#: ``bss:DescribePricingModule``, ``pai:ListResourceGroups`` and
#: ``pai:ListResourceGroupMachineGroups`` are seen in public RAM policies; the others
#: follow the same ``service:Action`` pattern of their API (``paidlc:`` and ``paidsw:``
#: are the prefixes of PAI-DLC and PAI-DSW actions in public policies).
READ_ONLY_ACTIONS = (
    "bss:QueryProductList", "bss:DescribePricingModule", "bss:GetSubscriptionPrice",
    "bss:GetPayAsYouGoPrice", "bss:DescribeInstanceBill", "paidlc:ListEcsSpecs",
    "paidlc:ListJobs", "paidsw:ListEcsSpecs", "pai:ListResourceGroups",
    "pai:ListResourceGroupMachineGroups",
)  # fmt: skip

__all__ = [
    "DEFAULT_MAPPING",
    "MAX_AGE_DAYS",
    "READ_ONLY_ACTIONS",
    "SUBSCRIPTION_COLUMNS",
    "ApiError",
    "Caller",
    "CatalogDiff",
    "Clients",
    "CredentialsError",
    "Discovery",
    "FetchError",
    "FetchResult",
    "Mapping",
    "MappingError",
    "Subscriptions",
    "atomic_write",
    "committed_nodes",
    "default_credential",
    "diff_catalogs",
    "discover_products",
    "fetch_catalog",
    "list_subscriptions",
    "load_mapping",
    "parse_endpoints",
    "stale_note",
    "stale_prices",
    "write_catalog",
]
