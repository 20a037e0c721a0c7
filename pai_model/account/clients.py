"""The official SDK clients, their endpoints and the credentials they sign with.

Credentials come only from Alibaba's default credential chain (``alibabacloud-credentials``):
environment variables, an OIDC role, a ``~/.aliyun/config.json`` profile, a
``~/.alibabacloud/credentials.ini`` profile, the ECS RAM role, a credentials URI. The kit
never reads them itself, never prints, logs or writes them, and never takes them on the
command line; ``profile`` only names a ``~/.aliyun/config.json`` profile.

Services and their SDKs:

=======  ==============================================  ======================
service  SDK (PyPI)                                      API version
=======  ==============================================  ======================
bss      alibabacloud-bssopenapi20171214                 BssOpenApi 2017-12-14
dlc      alibabacloud-pai-dlc20201203                    PAI-DLC 2020-12-03
dsw      alibabacloud-pai-dsw20220101                    PAI-DSW 2022-01-01
pai      alibabacloud-paistudio20220112                  PaiStudio 2022-01-12
=======  ==============================================  ======================

An endpoint override (``--endpoint SERVICE=HOST:PORT``) replaces the SDK's endpoint map;
one on 127.0.0.1 or localhost is spoken to in plain HTTP (a local test server), every
other one in HTTPS.

:func:`session` is the one way the kit opens a session: the commands (with their
options) and the readers of the account (with the defaults) all get their clients,
credential and :class:`~pai_model.account.calls.Caller` from it.
"""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pai_model.errors import AccountError, CredentialsError

SERVICES = ("bss", "dlc", "dsw", "pai")
_SDK = {
    "bss": "alibabacloud_bssopenapi20171214",
    "dlc": "alibabacloud_pai_dlc20201203",
    "dsw": "alibabacloud_pai_dsw20220101",
    "pai": "alibabacloud_paistudio20220112",
}
#: BssOpenApi endpoint of each site (SDK endpoint map; Alibaba's "select Singapore for the
#: international site").
BSS_ENDPOINTS = {"cn": "business.aliyuncs.com", "intl": "business.ap-southeast-1.aliyuncs.com"}
SITE_NAMES = {"cn": "China site", "intl": "international site"}
_LOCAL_HOSTS = ("127.0.0.1", "localhost")

#: Where the default chain looks, in its order, for the missing-credentials message.
CHAIN_SOURCES = (
    "the environment variables ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET"
    " (with ALIBABA_CLOUD_SECURITY_TOKEN for STS)",
    "an OIDC role (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN,"
    " ALIBABA_CLOUD_OIDC_TOKEN_FILE)",
    "a profile in ~/.aliyun/config.json (ALIBABA_CLOUD_PROFILE or --profile, else 'current')",
    "a profile in ~/.alibabacloud/credentials.ini (or ALIBABA_CLOUD_CREDENTIALS_FILE)",
    "the RAM role of this ECS instance (instance metadata)",
    "ALIBABA_CLOUD_CREDENTIALS_URI",
)


@dataclass(frozen=True)
class RamAction:
    """The RAM action one API the kit calls needs, with where that is written.

    ``confirmed`` is True when ``source`` is the API's own "RAM authorization" table (or
    the product's RAM page listing it); otherwise the action is UNCONFIRMED and
    ``source`` says what it was read from instead.
    """

    service: str
    api: str
    action: str
    source: str
    confirmed: bool

    @property
    def api_name(self) -> str:
        """The API with its product, e.g. ``PAI-DLC ListEcsSpecs``."""
        return f"{_PRODUCTS[self.service]} {self.api}"


_PRODUCTS = {"bss": "BssOpenApi", "dlc": "PAI-DLC", "dsw": "PAI-DSW", "pai": "PaiStudio"}


_BSS_RAM = (
    "Alibaba Cloud help, Expenses and Costs: RAM authorization (BssOpenApi 2017-12-14),"
    " https://www.alibabacloud.com/help/en/user-center/developer-reference/"
    "api-bssopenapi-2017-12-14-ram"
)
_BSS_CALLS = (
    "Alibaba Cloud help, BssOpenApi: API调用授权 (authorization for API calls),"
    " https://help.aliyun.com/document_detail/139650.html"
)
#: Every API the kit calls and the RAM action it needs, from each API's own "RAM
#: authorization" table; never derived from the API's name. The README's RAM policy and
#: ``pai-cost policy`` are built from it (docs/alibaba_rules.md, "RAM actions").
RAM_ACTIONS = (
    RamAction("bss", "QueryProductList", "bss:QueryProductList", _BSS_RAM, True),
    RamAction("bss", "DescribePricingModule", "bssapi:DescribePricingModule", _BSS_RAM, True),
    RamAction(
        "bss", "GetSubscriptionPrice", "bss:DescribePrice", f"{_BSS_RAM}; {_BSS_CALLS}", True
    ),
    RamAction("bss", "GetPayAsYouGoPrice", "bss:DescribePrice", f"{_BSS_RAM}; {_BSS_CALLS}", True),
    RamAction(
        "bss",
        "DescribeInstanceBill",
        "bss:DescribeBillList",
        "the action of bill queries (QueryInstanceBill's own table,"
        " https://www.alibabacloud.com/help/tc/user-center/developer-reference/"
        "api-bssopenapi-2017-12-14-queryinstancebill); DescribeInstanceBill's own table"
        " was not read",
        False,
    ),
    RamAction(
        "dlc",
        "ListEcsSpecs",
        "paidlc:ListEcsSpecs",
        "the paidlc: code of PAI-DLC's ListJobs table; ListEcsSpecs' own table was not read",
        False,
    ),
    RamAction(
        "dlc",
        "ListJobs",
        "paidlc:ListJobs",
        "Alibaba Cloud help, PAI-DLC ListJobs, RAM authorization,"
        " https://www.alibabacloud.com/help/en/pai/developer-reference/"
        "api-pai-dlc-2020-12-03-listjobs",
        True,
    ),
    RamAction(
        "dsw",
        "ListEcsSpecs",
        "paidsw:ListEcsSpecs",
        "Alibaba Cloud help, PAI-DSW ListEcsSpecs, 授权信息 (RAM authorization),"
        " https://help.aliyun.com/zh/pai/developer-reference/api-pai-dsw-2022-01-01-listecsspecs",
        True,
    ),
    RamAction(
        "pai",
        "ListResourceGroups",
        "pai:ListResourceGroups",
        "the pai: code of PaiStudio's ListResourceGroupMachineGroups table;"
        " ListResourceGroups' own table was not read",
        False,
    ),
    RamAction(
        "pai",
        "ListResourceGroupMachineGroups",
        "pai:ListResourceGroupMachineGroups",
        "Alibaba Cloud help, PaiStudio ListResourceGroupMachineGroups, 授权信息 (RAM"
        " authorization), https://help.aliyun.com/zh/pai/developer-reference/"
        "api-paistudio-2022-01-12-listresourcegroupmachinegroups",
        True,
    ),
)
#: The read-only RAM actions the kit needs, each once, in the order of :data:`RAM_ACTIONS`.
READ_ONLY_ACTIONS = tuple(dict.fromkeys(a.action for a in RAM_ACTIONS))


def ram_policy() -> dict[str, Any]:
    """The least-privilege RAM policy (version 1) that allows every call the kit makes.

    Examples
    --------
    >>> policy = ram_policy()
    >>> policy["Version"], policy["Statement"][0]["Action"][:2]
    ('1', ['bss:QueryProductList', 'bssapi:DescribePricingModule'])
    """
    statement = {"Effect": "Allow", "Action": list(READ_ONLY_ACTIONS), "Resource": "*"}
    return {"Version": "1", "Statement": [statement]}


def unconfirmed_actions() -> list[RamAction]:
    """The actions of :data:`RAM_ACTIONS` not read from a documented RAM table, each once."""
    confirmed = {a.action for a in RAM_ACTIONS if a.confirmed}
    seen: dict[str, RamAction] = {}
    for entry in RAM_ACTIONS:
        if entry.action not in confirmed:
            seen.setdefault(entry.action, entry)
    return list(seen.values())


def parse_endpoints(values: Iterable[str] | None) -> dict[str, str]:
    """Read ``SERVICE[@REGION]=HOST[:PORT]`` overrides.

    Parameters
    ----------
    values : iterable of str, optional
        E.g. ``["bss=127.0.0.1:8080", "dlc=127.0.0.1:8080"]``. ``dlc@cn-beijing=...``
        overrides one region only (and wins over ``dlc=...`` there).

    Returns
    -------
    dict
        ``service`` or ``service@region`` -> host (and port).

    Raises
    ------
    AccountError
        For an unknown service, a malformed host or a service given twice.

    Examples
    --------
    >>> parse_endpoints(["bss=127.0.0.1:8080", "dlc@cn-beijing=127.0.0.1:8081"])
    {'bss': '127.0.0.1:8080', 'dlc@cn-beijing': '127.0.0.1:8081'}
    """
    endpoints: dict[str, str] = {}
    if isinstance(values, str | bytes):
        raise TypeError("endpoints: give a list of SERVICE=HOST:PORT strings, not one string")
    for value in values or ():
        if not isinstance(value, str):
            raise TypeError(f"endpoints: each is a string; got {type(value).__name__}")
        service, sep, host = value.partition("=")
        service, host = service.strip().lower(), host.strip()
        name, at, region = service.partition("@")
        if not sep or name not in SERVICES or (at and not _REGION.fullmatch(region)):
            raise AccountError(
                f"--endpoint {value!r}: give SERVICE=HOST:PORT (or SERVICE@REGION=HOST:PORT,"
                f" REGION such as cn-beijing) with SERVICE one of {', '.join(SERVICES)}"
            )
        if not _valid_host(host):
            raise AccountError(
                f"--endpoint {value!r}: {host!r} is not HOST or HOST:PORT (a host name or"
                " IPv4 address, a port from 1 to 65535; no scheme, no path)"
            )
        if service in endpoints:
            raise AccountError(f"--endpoint: {service} given twice")
        endpoints[service] = host
    return endpoints


#: A region id: ``cn-beijing``, ``ap-southeast-1``, ``cn-hangzhou-finance``.
_REGION = re.compile(r"[a-z]{2,}(-[a-z0-9]+)+")
#: One label of a host name (RFC 1123): letters, digits and inner hyphens, 63 at most.
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


def _valid_host(host: str) -> bool:
    """Whether ``host`` is ``NAME`` or ``NAME:PORT`` (a DNS name or IPv4, port 1..65535).

    Examples
    --------
    >>> [_valid_host(h) for h in ("127.0.0.1:8080", "business.aliyuncs.com", "a..b", "x:0")]
    [True, True, False, False]
    """
    name, colon, port = host.partition(":")
    if colon and not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        return False
    if not name.isascii() or len(name) > 253:
        return False
    labels = name.split(".")
    if all(label.isdigit() for label in labels):  # an IPv4 address, four numbers to 255
        return len(labels) == 4 and all(int(label) <= 255 for label in labels)
    return all(_LABEL.fullmatch(label) for label in labels)


def is_local(endpoint: str) -> bool:
    """Whether an endpoint is this machine (spoken to in plain HTTP).

    Examples
    --------
    >>> is_local("127.0.0.1:8080"), is_local("business.aliyuncs.com")
    (True, False)
    """
    return endpoint.split(":")[0] in _LOCAL_HOSTS


def _quiet_sdk_logs() -> None:
    """Keep the credential SDK's own log lines (and the tracebacks they may carry) off the
    terminal: its providers attach a stderr handler to the ``credentials`` logger at
    import. What the user needs, the kit says itself, in one line."""
    sdk = logging.getLogger("credentials")
    for handler in list(sdk.handlers):
        sdk.removeHandler(handler)
    sdk.addHandler(logging.NullHandler())
    sdk.propagate = False


def default_credential(profile: str | None = None) -> Any:
    """The credential provider of the default chain (or of one CLI profile), checked.

    Parameters
    ----------
    profile : str, optional
        A profile name of ``~/.aliyun/config.json``; None uses the whole default chain.

    Returns
    -------
    alibabacloud_credentials.client.Client
        A credential that has resolved once (so a missing one fails here, not mid-fetch).

    Raises
    ------
    CredentialsError
        Naming every source of the chain (never any value found in them).
    """
    from alibabacloud_credentials.client import Client
    from alibabacloud_credentials.provider.cli_profile import CLIProfileCredentialsProvider

    _quiet_sdk_logs()
    provider = CLIProfileCredentialsProvider(profile_name=profile) if profile else None
    credential = Client(provider=provider)
    try:
        found = credential.get_credential()
    except Exception:  # the chain raises CredentialException and, for bad files, others
        # The SDK's message lists what each provider found; it is not repeated (nothing
        # read from a credentials source is ever shown).
        where = (
            f"the profile {profile!r} of ~/.aliyun/config.json"
            if profile
            else "Alibaba Cloud's default credential chain: " + "; ".join(CHAIN_SOURCES)
        )
        raise CredentialsError(
            f"no Alibaba Cloud credentials found in {where}. Set them up in one of these"
            " (the kit never takes them on the command line)."
        ) from None
    _resolved.update(
        str(value)
        for value in (
            getattr(found, "access_key_id", None),
            getattr(found, "access_key_secret", None),
            getattr(found, "security_token", None),
        )
        if value
    )
    return credential


#: The credential values resolved in this process, kept only so that what the kit prints
#: can mask them (a server's error message may repeat the AccessKey ID).
_resolved: set[str] = set()


def resolved_credentials() -> set[str]:
    """The credential values the default chain resolved in this process (to mask them)."""
    return set(_resolved)


def session(
    *,
    profile: str | None = None,
    endpoints: Iterable[str] | None = None,
    timeout: float = 10.0,
    retries: int = 4,
    base_backoff: float = 0.5,
    max_rate: float | None = None,
    save_dir: Any = None,
    clients: Clients | None = None,
    caller: Any = None,
) -> tuple[Clients, Any]:
    """The SDK clients and the caller of one run: the kit's one way to open a session.

    Parameters
    ----------
    profile : str, optional
        A profile of ``~/.aliyun/config.json``; None: the whole default credential chain.
    endpoints : iterable of str, optional
        ``SERVICE[@REGION]=HOST[:PORT]`` overrides (:func:`parse_endpoints`).
    timeout : float, default 10
        Connect and read timeout of every request. [s]
    retries, base_backoff, max_rate, save_dir
        Of the :class:`~pai_model.account.calls.Caller` (``max_rate`` None: its default).
    clients, caller : optional
        Given ones are used as they are (the other is made from the options).

    Returns
    -------
    (Clients, Caller)

    Raises
    ------
    CredentialsError
        When clients are to be made and the chain has no credentials (checked first).
    AccountError
        For a malformed endpoint override.
    InputError
        For a retry count, backoff, rate or timeout beyond the bounds of
        :func:`~pai_model.account.calls.check_call_options`.
    """
    from pai_model.account.calls import DEFAULT_MAX_RATE, Caller, check_call_options

    max_rate = DEFAULT_MAX_RATE if max_rate is None else max_rate
    check_call_options(
        retries=retries, base_backoff=base_backoff, max_rate=max_rate, timeout=timeout
    )
    if caller is None:
        caller = Caller(
            retries=retries, base_backoff=base_backoff, max_rate=max_rate, save_dir=save_dir
        )
    if clients is None:
        overrides = parse_endpoints(endpoints)
        clients = Clients(default_credential(profile), overrides, timeout=timeout)
    return clients, caller


@dataclass
class Clients:
    """One SDK client per service and site, made on first use with the same credential.

    Parameters
    ----------
    credential : alibabacloud_credentials.client.Client
        From :func:`default_credential`.
    endpoints : mapping, optional
        Overrides from :func:`parse_endpoints`.
    timeout : float, default 10
        Connect and read timeout of every request. [s]
    """

    credential: Any
    endpoints: Mapping[str, str] = field(default_factory=dict)
    timeout: float = 10.0
    _made: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)

    def endpoint(self, service: str, region: str) -> str | None:
        """The endpoint used for a service: an override, a BSS site's, or None (SDK map)."""
        for key in (f"{service}@{region}", service):
            if key in self.endpoints:
                return self.endpoints[key]
        if service == "bss":
            return BSS_ENDPOINTS[region]
        return None

    def get(self, service: str, region: str) -> Any:
        """The client of ``service`` for ``region`` (for ``bss``, ``region`` is a site)."""
        key = (service, region)
        if key not in self._made:
            self._made[key] = self._make(service, region)
        return self._made[key]

    def _make(self, service: str, region: str) -> Any:
        from alibabacloud_tea_openapi.utils_models import Config

        client_class = importlib.import_module(f"{_SDK[service]}.client").Client
        endpoint = self.endpoint(service, region)
        if service == "bss":  # a site, named by a region of its endpoint map
            region = "cn-hangzhou" if region == "cn" else "ap-southeast-1"
        config = Config(
            credential=self.credential,
            region_id=region,
            read_timeout=int(self.timeout * 1000),
            connect_timeout=int(self.timeout * 1000),
        )
        if endpoint is not None:
            config.endpoint = endpoint
            if is_local(endpoint):
                config.protocol = "http"
        return client_class(config)
