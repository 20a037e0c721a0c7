"""The product mapping: which BssOpenApi product and module prices each PAI resource type.

The committed file is ``pai_model/data/catalogs/alibaba_products.yaml``; its comments
explain every key.
:func:`load_mapping` reads and checks it (or a user's edited copy) and says what to fix.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pai_model import paths
from pai_model.data.files import read_input
from pai_model.data.methods import BILLING_METHODS
from pai_model.data.yaml_text import load_yaml
from pai_model.errors import AccountError, TableError

#: The committed mapping file.
DEFAULT_MAPPING = paths.CATALOG_DIR / "alibaba_products.yaml"
_AMOUNT_PER_MINUTES = {"Minute": 1, "Hour": 60}


@dataclass(frozen=True)
class Pricing:
    """How one billing method of one resource type is priced (one block of the mapping)."""

    resource_type: str
    method: str
    product_code: str
    product_type: dict[str, str]
    confirmed: bool
    module_confirmed: bool
    source: str
    module_code: str
    config: dict[str, str]
    price_type: str = ""
    amount_per: str = "Hour"

    @property
    def subscription_type(self) -> str:
        """BssOpenApi's SubscriptionType of this method."""
        return "Subscription" if self.method == "subscription" else "PayAsYouGo"

    @property
    def minutes_per_amount(self) -> int:
        """Minutes one returned pay-as-you-go amount is for. [minute]"""
        return _AMOUNT_PER_MINUTES[self.amount_per]

    def config_string(self, attributes: list[str], region: str, spec: str) -> str:
        """The module's Config, ``"Code:value,Code:value"``, for the attributes it needs.

        Raises
        ------
        AccountError
            For an attribute the mapping does not give a value for.

        Examples
        --------
        >>> p = load_mapping().pricing("lingjun", "subscription")
        >>> p.config_string(["ComputingServer", "Region"], "cn-wulanchabu", "ml.gu7xf.8xlarge")
        'ComputingServer:ml.gu7xf.8xlarge,Region:cn-wulanchabu'
        """
        missing = [a for a in attributes if a not in self.config]
        if missing:
            raise AccountError(
                f"{self.product_code} module {self.module_code} needs attribute"
                f" {', '.join(missing)}, which the mapping's {self.resource_type}.{self.method}"
                " config does not give; add it (see `pai-cost catalog discover`)"
            )
        return ",".join(
            f"{a}:{self.config[a].format(region=region, spec=spec)}" for a in attributes
        )

    def describe(self) -> str:
        """Where a price of this block came from, with what is unconfirmed."""
        doubts = [
            name
            for name, ok in (("product code", self.confirmed), ("module", self.module_confirmed))
            if not ok
        ]
        text = f"{self.product_code}/{self.module_code}"
        if doubts:
            text += f" (UNCONFIRMED {' and '.join(doubts)}: check with `pai-cost catalog discover`)"
        return text


@dataclass(frozen=True)
class Mapping:
    """The whole mapping file."""

    path: str
    blocks: dict[tuple[str, str], Pricing]
    dlc_resource_types: dict[str, str]
    dlc_memory_unit: str
    dsw_price_per: str

    def pricing(self, resource_type: str, method: str) -> Pricing | None:
        """The block of a resource type and method, or None when the type has none."""
        return self.blocks.get((resource_type, method))


def load_mapping(path: str | os.PathLike[str] | None = None) -> Mapping:
    """Read and check a product mapping file.

    Parameters
    ----------
    path : path-like, optional
        The YAML file; default ``pai_model/data/catalogs/alibaba_products.yaml``.

    Returns
    -------
    Mapping

    Raises
    ------
    AccountError
        Naming the file and every missing or wrong key.

    Examples
    --------
    >>> mapping = load_mapping()
    >>> block = mapping.pricing("lingjun", "subscription")
    >>> block.product_code, block.product_type["intl"], block.confirmed
    ('bccluster', 'bccluster_eflocomputing_public_intl', True)
    >>> mapping.pricing("general", "payg") is None
    True
    """
    file = Path(path) if path is not None else DEFAULT_MAPPING
    try:
        data = load_yaml(read_input(file).decode("utf-8"))
    except TableError as error:
        message = f"{file}: not a readable YAML file ({error.problems[0].message})"
        raise AccountError(message) from None
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise AccountError(f"{file}: not a readable YAML file ({_first_line(error)})") from None
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("resource_types"), dict):
        raise AccountError(f"{file}: no 'resource_types' mapping at the top level")
    blocks: dict[tuple[str, str], Pricing] = {}
    dlc_types: dict[str, str] = {}
    for resource_type, entry in data["resource_types"].items():
        if resource_type not in ("general", "lingjun") or not isinstance(entry, dict):
            problems.append(f"resource_types.{resource_type}: not general or lingjun")
            continue
        dlc_types[resource_type] = str(entry.get("dlc_resource_type") or "")
        if not dlc_types[resource_type]:
            problems.append(f"resource_types.{resource_type}.dlc_resource_type: missing")
        for method in BILLING_METHODS:
            if method in entry:
                block = _block(resource_type, method, entry[method], problems)
                if block is not None:
                    blocks[(resource_type, method)] = block
    if ("general", "payg") in blocks:
        problems.append("resource_types.general.payg: general resources are subscription only")
    unit = data.get("dlc_memory_unit", "GiB")
    if unit not in ("GiB", "MiB"):
        problems.append(f"dlc_memory_unit: {unit!r} is not GiB or MiB")
    dsw_per = data.get("dsw_price_per", "Hour")
    if dsw_per != "Hour":
        problems.append(f"dsw_price_per: {dsw_per!r}: only Hour is supported")
    if problems:
        raise AccountError(f"{file}: " + "; ".join(problems))
    return Mapping(str(file), blocks, dlc_types, unit, dsw_per)


def _block(resource_type: str, method: str, entry: Any, problems: list[str]) -> Pricing | None:
    where = f"resource_types.{resource_type}.{method}"
    before = len(problems)
    if not isinstance(entry, dict):
        problems.append(f"{where}: not a mapping")
        return None
    missing = [k for k in ("product_code", "product_type", "module_code") if not entry.get(k)]
    types = entry.get("product_type")
    if isinstance(types, dict):
        missing += [f"product_type.{site}" for site in ("cn", "intl") if not types.get(site)]
    elif types:
        problems.append(f"{where}.product_type: give cn: and intl: values")
    config = entry.get("config") or {}
    if not isinstance(config, dict):
        problems.append(f"{where}.config: not a mapping of attribute code to value")
        config = {}
    amount_per = str(entry.get("amount_per", "Hour"))
    if method == "payg" and amount_per not in _AMOUNT_PER_MINUTES:
        problems.append(f"{where}.amount_per: {amount_per!r} is not Minute or Hour")
    if missing:
        problems.append(f"{where}: missing {', '.join(missing)}")
    if len(problems) > before:
        return None
    return Pricing(
        resource_type=resource_type,
        method=method,
        product_code=str(entry["product_code"]),
        product_type={site: str(types[site]) for site in ("cn", "intl")},
        confirmed=bool(entry.get("confirmed", False)),
        module_confirmed=bool(entry.get("module_confirmed", False)),
        source=str(entry.get("source", "")),
        module_code=str(entry["module_code"]),
        config={str(k): str(v) for k, v in config.items()},
        price_type=str(entry.get("price_type") or ""),
        amount_per=amount_per,
    )


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__
