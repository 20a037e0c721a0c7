"""A fake Alibaba Cloud OpenAPI server for the account tests: real HTTP on 127.0.0.1.

The official SDK clients talk to it as to Alibaba (``--endpoint SERVICE=127.0.0.1:PORT``,
plain HTTP): every request carries ``x-acs-action`` and ``x-acs-version`` headers (which
tell the API) and an ``ACS3-HMAC-SHA256`` authorization whose ``Credential=`` must be the
fake access key id. Bodies use the API's PascalCase field names exactly as the SDK model
classes read them (``test_account_fake.py`` checks every kind through the models).

Faults are scripted per API, consumed one per request: ``throttle`` (HTTP 400
``Throttling.User``), ``throttle200`` (HTTP 200 ``Success: false``, code ``Throttling``),
``unavailable`` (HTTP 503 ``ServiceUnavailable``), ``hang`` (no answer until the server
stops), ``malformed`` (HTTP 200 with a body that is not JSON), ``denied`` (HTTP 403
``Forbidden.RAM``), ``hostile`` (HTTP 403 whose Message repeats the access key id and
the security token and carries terminal escape sequences: :data:`HOSTILE_MESSAGE`). ``china_site=False`` makes every BssOpenApi call with a ``*_cn``
product type answer ``NotApplicable``, as an international account does.

BssOpenApi ``DescribeInstanceBill`` serves :attr:`FakeAlibaba.bill_items` by BillingDate,
``NextToken`` paged (at most :data:`MAX_PAGE_SIZE` items a page), filtered by ProductCode
and SubscriptionType, and refuses what Alibaba refuses: a DAILY request without a
BillingDate or with one outside its BillingCycle, and a BillingCycle older than
:attr:`FakeAlibaba.oldest_cycle` (``InvalidParameter``). ``bill_token_loops`` makes every
page hand back the same token. PAI-DLC ``ListJobs`` serves :attr:`FakeAlibaba.dlc_jobs`
created from StartTime to EndTime, by GmtCreateTime, PageNumber paged, and answers an
EndTime before StartTime or a time it cannot read with ``InvalidParameter``.

The server runs in a thread; :meth:`FakeAlibaba.stop` releases any hanging request and
shuts the thread down.
"""

from __future__ import annotations

import json
import re
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

ACCESS_KEY_ID = "LTAIfakeKeyId4tests0001"
ACCESS_KEY_SECRET = "fakeSecret0fTheTests9876543210xyz"
#: An STS security token of the tests (a fake one, in the form of Alibaba's: ``CAIS...``).
SECURITY_TOKEN = "CAISfakeSecurityToken0fTheTests0123456789abcdef"
#: The Message of the ``hostile`` fault: the key id, a token, a screen clear, an OSC 8
#: hyperlink, a bidi override, a DEL and a C1 CSI, as a hostile or careless server sends.
HOSTILE_MESSAGE = (
    f"AccessKeyId {ACCESS_KEY_ID} token {SECURITY_TOKEN} is not allowed\x1b[2J\x1b[H"
    "\x1b]8;;https://evil.example/\x1b\\click here\x1b]8;;\x1b\\ \u202egnp.exe\x7f\x9b31m"
)
VERSIONS = {"2017-12-14": "bss", "2020-12-03": "dlc", "2022-01-01": "dsw", "2022-01-12": "pai"}


class FakeAlibaba:
    """The server and what it serves; see the module docstring."""

    def __init__(self) -> None:
        #: DLC ListEcsSpecs items (EcsSpec maps), by ResourceType.
        self.dlc_specs: dict[str, list[dict[str, Any]]] = defaultdict(list)
        #: DSW ListEcsSpecs items, by AcceleratorType.
        self.dsw_specs: dict[str, list[dict[str, Any]]] = defaultdict(list)
        #: GetSubscriptionPrice Data, by (ProductType, Region, spec, ServicePeriodUnit).
        self.subscription: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        #: GetPayAsYouGoPrice Data, by (ProductType, Region, spec).
        self.payg: dict[tuple[str, str, str], dict[str, Any]] = {}
        #: DescribePricingModule Data, by (ProductCode, ProductType, SubscriptionType).
        self.modules: dict[tuple[str, str, str], dict[str, Any]] = {}
        #: QueryProductList products.
        self.products: list[dict[str, Any]] = []
        #: PaiStudio resource groups, and machine groups by ResourceGroupID.
        self.resource_groups: list[dict[str, Any]] = []
        self.machine_groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        #: DescribeInstanceBill items by BillingDate, the account of their Data, and the
        #: oldest BillingCycle served ("YYYY-MM"; None: any).
        self.bill_items: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.bill_account = {"AccountID": "1234567890123456", "AccountName": "fake-account"}
        self.oldest_cycle: str | None = None
        self.bill_token_loops = False
        #: PAI-DLC ListJobs items (JobItem maps).
        self.dlc_jobs: list[dict[str, Any]] = []
        #: Scripted faults by "service:Action".
        self.faults: dict[str, list[str]] = defaultdict(list)
        self.china_site = True
        #: Every request seen: service, action, method, path, query (first values).
        self.requests: list[dict[str, Any]] = []
        self._release = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        """``127.0.0.1:PORT``."""
        return f"127.0.0.1:{self._server.server_address[1]}"

    def endpoint_args(self, services: tuple[str, ...] = ("bss", "dlc", "dsw", "pai")) -> list[str]:
        """``--endpoint`` arguments pointing every service here."""
        return [f"--endpoint={s}={self.endpoint}" for s in services]

    def catalog_fetch_args(self, out: Path) -> list[str]:
        """``catalog fetch`` of the test account's region (``REGION``) from here into ``out``,
        quickly (``FAST``)."""
        return [
            "catalog",
            "fetch",
            "--region",
            REGION,
            "--out",
            str(out),
            *FAST,
            *self.endpoint_args(),
        ]

    def usage_args(self, action: str, *options: str, out: Path) -> list[str]:
        """``usage ACTION OPTIONS --out OUT`` from the service here that answers it (``bills``:
        bss, ``jobs``: dlc), quickly (``FAST``)."""
        service = {"bills": "bss", "jobs": "dlc"}[action]
        endpoint = f"--endpoint={service}={self.endpoint}"
        return ["usage", action, *options, "--out", str(out), *FAST, endpoint]

    def start(self) -> FakeAlibaba:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def calls(self, action: str, service: str | None = None) -> list[dict[str, Any]]:
        """The requests of one API seen so far."""
        return [
            r
            for r in self.requests
            if r["action"] == action and (service is None or r["service"] == service)
        ]

    # --- answers ----------------------------------------------------------------------------

    def answer(
        self, service: str, action: str, path: str, query: dict[str, str]
    ) -> tuple[int, Any]:
        """(HTTP status, JSON body) of one request."""
        if service == "bss":
            product_type = query.get("ProductType", "")
            if not self.china_site and product_type.endswith("_cn"):
                return 400, _error("NotApplicable", "This API is not applicable for caller.")
            return self._bss(action, query)
        if service in ("dlc", "dsw") and action == "ListEcsSpecs":
            specs = (
                self.dlc_specs[query.get("ResourceType", "ECS")]
                if service == "dlc"
                else self.dsw_specs[query.get("AcceleratorType", "")]
            )
            page, total = _page(specs, query)
            body = {"RequestId": "req-specs", "TotalCount": total, "EcsSpecs": page}
            if service == "dsw":
                body.update(Success=True, Code="", Message="", HttpStatusCode=200)
            return 200, body
        if service == "dlc" and action == "ListJobs":
            return self._jobs(query)
        if service == "pai" and action == "ListResourceGroups":
            page, total = _page(self.resource_groups, query)
            return 200, {"RequestId": "req-rg", "TotalCount": total, "ResourceGroups": page}
        match = re.fullmatch(r"/api/v1/resources/([^/]+)/machinegroups", path)
        if service == "pai" and action == "ListResourceGroupMachineGroups" and match:
            page, total = _page(self.machine_groups[match.group(1)], query)
            return 200, {"RequestId": "req-mg", "TotalCount": str(total), "MachineGroups": page}
        return 404, _error("InvalidAction.NotFound", f"{service} {action} is not served")

    def _bss(self, action: str, query: dict[str, str]) -> tuple[int, Any]:
        product_type = query.get("ProductType", "")
        region = query.get("Region", "")
        config = dict(
            p.split(":", 1) for p in query.get("ModuleList.1.Config", "").split(",") if ":" in p
        )
        spec = config.get("ComputingServer") or config.get("InstanceType", "")
        if action == "DescribePricingModule":
            key = (query.get("ProductCode", ""), product_type, query.get("SubscriptionType", ""))
            if key not in self.modules:
                return 400, _error("InvalidParameter", f"no product {key}")
            return 200, _ok(self.modules[key])
        if action == "GetSubscriptionPrice":
            key = (product_type, region, spec, query.get("ServicePeriodUnit", ""))
            if key not in self.subscription:
                return 400, _error("PRICE.PRICING_PLAN_RESULT_NOT_FOUND", "no pricing plan")
            return 200, _ok(self.subscription[key])
        if action == "GetPayAsYouGoPrice":
            key = (product_type, region, spec)
            if key not in self.payg:
                return 400, _error("PRICE.PRICING_PLAN_RESULT_NOT_FOUND", "no pricing plan")
            return 200, _ok(self.payg[key])
        if action == "DescribeInstanceBill":
            return self._bills(query)
        if action == "QueryProductList":
            number = int(query.get("PageNum", 1))
            size = min(int(query.get("PageSize", 20)), MAX_PAGE_SIZE)
            page = self.products[(number - 1) * size : number * size]
            data = {
                "PageNum": number,
                "PageSize": size,
                "TotalCount": len(self.products),
                "ProductList": {"Product": page},
            }
            return 200, _ok(data)
        return 404, _error("InvalidAction.NotFound", f"bss {action} is not served")

    def _bills(self, query: dict[str, str]) -> tuple[int, Any]:
        cycle, day = query.get("BillingCycle", ""), query.get("BillingDate", "")
        if not re.fullmatch(r"\d{4}-\d{2}", cycle):
            return 400, _error("InvalidParameter", f"BillingCycle {cycle!r} is invalid")
        if self.oldest_cycle and cycle < self.oldest_cycle:
            return 400, _error("InvalidParameter", f"BillingCycle {cycle} is out of range")
        if query.get("Granularity") == "DAILY" and not day.startswith(cycle + "-"):
            return 400, _error("InvalidParameter", f"BillingDate {day!r} is not in {cycle}")
        items = [
            item
            for item in self.bill_items.get(day, [])
            if query.get("ProductCode", item.get("ProductCode")) == item.get("ProductCode")
            and query.get("SubscriptionType", item.get("SubscriptionType"))
            == item.get("SubscriptionType")
        ]
        token = query.get("NextToken", "")
        offset = int(token.rsplit("-", 1)[1]) if token else 0
        size = min(int(query.get("MaxResults", 20)), MAX_PAGE_SIZE)
        rest = offset + size < len(items)
        next_token = f"tok-{day}-{offset + size}" if rest else ""
        if self.bill_token_loops:
            next_token = f"tok-{day}-0"
        data = {
            **self.bill_account,
            "BillingCycle": cycle,
            "MaxResults": size,
            "NextToken": next_token,
            "TotalCount": len(items),
            "Items": items[offset : offset + size],
        }
        return 200, _ok(data)

    def _jobs(self, query: dict[str, str]) -> tuple[int, Any]:
        start, end = query.get("StartTime", ""), query.get("EndTime", "")
        pattern = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"
        if not (re.fullmatch(pattern, start) and re.fullmatch(pattern, end)) or end < start:
            return 400, _error("InvalidParameter", f"invalid time range {start!r} to {end!r}")
        jobs = sorted(
            (j for j in self.dlc_jobs if start <= str(j.get("GmtCreateTime")) < end),
            key=lambda j: str(j.get("GmtCreateTime")),
        )
        page, total = _page(jobs, query)
        return 200, {"RequestId": "req-jobs", "TotalCount": total, "Jobs": page}


def _ok(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "Code": "Success",
        "Message": "Successful!",
        "RequestId": "req-bss",
        "Success": True,
        "Data": data,
    }


def _error(code: str, message: str) -> dict[str, Any]:
    return {"Code": code, "Message": message, "RequestId": "req-error", "HostId": "fake"}


#: The fake serves at most this many items a page, whatever the client asks (as real
#: servers cap PageSize), so a listing of more takes several pages.
MAX_PAGE_SIZE = 10


def _page(items: list[Any], query: dict[str, str]) -> tuple[list[Any], int]:
    number = int(query.get("PageNumber", 1))
    size = min(int(query.get("PageSize", MAX_PAGE_SIZE)), MAX_PAGE_SIZE)
    return items[(number - 1) * size : number * size], len(items)


def _handler(fake: FakeAlibaba) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _serve(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
            length = int(self.headers.get("content-length") or 0)
            if length:
                self.rfile.read(length)
            service = VERSIONS.get(self.headers.get("x-acs-version", ""), "?")
            action = self.headers.get("x-acs-action", "")
            fake.requests.append(
                {
                    "service": service,
                    "action": action,
                    "method": self.command,
                    "path": url.path,
                    "query": query,
                }
            )
            if f"Credential={ACCESS_KEY_ID}," not in (self.headers.get("authorization") or ""):
                return self._send(
                    400, _error("InvalidAccessKeyId.NotFound", "Specified access key is not found.")
                )
            faults = fake.faults[f"{service}:{action}"]
            fault = faults.pop(0) if faults else None
            if fault == "hang":
                fake._release.wait(60)
                return None
            if fault == "malformed":
                return self._send(200, b"<html>not json{", raw=True)
            if fault == "throttle":
                return self._send(
                    400, _error("Throttling.User", "Request was denied due to user flow control.")
                )
            if fault == "throttle200":
                return self._send(
                    200,
                    {
                        "Code": "Throttling",
                        "Message": "too fast",
                        "Success": False,
                        "RequestId": "r",
                    },
                )
            if fault == "unavailable":
                return self._send(
                    503,
                    _error(
                        "ServiceUnavailable",
                        "The request has failed due to a temporary failure of the server.",
                    ),
                )
            if fault == "hostile":
                return self._send(403, _error("Forbidden.RAM", HOSTILE_MESSAGE))
            if fault == "denied":
                return self._send(
                    403,
                    _error(
                        "Forbidden.RAM", "User not authorized to operate on the specified resource."
                    ),
                )
            status, body = fake.answer(service, action, url.path, query)
            return self._send(status, body)

        def _send(self, status: int, body: Any, raw: bool = False) -> None:
            data = body if raw else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json;charset=utf-8")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            try:
                self.wfile.write(data)
            except OSError:  # the client gave up (a timeout test)
                pass

    return Handler


# --- the served account of the tests ---------------------------------------------------------

#: Call options that keep a command quick against the fake: a short backoff, no rate limit.
FAST = ("--backoff", "0.01", "--max-rate", "1000")
LINGJUN = "ml.gu7xf.8xlarge-gu108"
GENERAL = "ecs.g7.xlarge-4c16g"
REGION = "cn-wulanchabu"


def served_account(
    fake: FakeAlibaba, site: str = "cn", region: str = REGION, extra_lingjun: int = 0
) -> None:
    """Serve one Lingjun and one general spec with the billing page's prices as trade prices.

    Trade prices (what billing uses): Lingjun 23,932.70 per month and 43.80 per hour
    (= 0.73 per minute, the billing page's 32.85-for-45-minutes example); general 78.94 per
    month. List prices: 25,000.00, 48.00 per hour (0.80 per minute), 80.00. One year:
    250,000.00 (list 300,000.00) and 900.00 (list 960.00). ``extra_lingjun`` adds more
    Lingjun specs (``ml.test.N``) priced 100 + N per month and 6.00 per hour, for paging.
    """
    currency = "CNY" if site == "cn" else "USD"
    fake.dlc_specs["Lingjun"] = [
        {
            "InstanceType": LINGJUN,
            "AcceleratorType": "GPU",
            "Cpu": 128,
            "Memory": 1024,
            "Gpu": 8,
            "GpuType": "GU108",
            "GpuMemory": 96,
            "IsAvailable": True,
            "ResourceType": "Lingjun",
            "PaymentTypes": ["PostPaid", "Spot"],
            "SpotStockStatus": "WithStock",
            "NonProtectSpotDiscount": 0.1,
            "DefaultGPUDriver": "535.54.03",
            "SupportedGPUDrivers": ["535.54.03"],
        },
    ] + [
        {
            "InstanceType": f"ml.test.{n}",
            "AcceleratorType": "GPU",
            "Cpu": 8,
            "Memory": 64,
            "Gpu": 1,
            "GpuType": "GU30",
            "IsAvailable": n % 2 == 0,
            "ResourceType": "Lingjun",
            "PaymentTypes": ["PostPaid"],
        }
        for n in range(extra_lingjun)
    ]
    fake.dlc_specs["ECS"] = [
        {
            "InstanceType": GENERAL,
            "AcceleratorType": "CPU",
            "Cpu": 4,
            "Memory": 16,
            "Gpu": 0,
            "IsAvailable": True,
            "ResourceType": "ECS",
            "PaymentTypes": ["PostPaid"],
        },
    ]
    fake.dsw_specs["CPU"] = [
        {
            "InstanceType": GENERAL,
            "AcceleratorType": "CPU",
            "CPU": 4,
            "GPU": 0,
            "Memory": 16.0,
            "Price": 1.234,
            "Currency": currency,
            "IsAvailable": True,
            "SpotStockStatus": "WithStock",
            "Labels": [{"Key": "SupportResourcePackDeduction", "Value": "true"}],
        },
    ]
    lingjun_sub = f"bccluster_eflocomputing_public_{site}"
    lingjun_payg = f"bccluster_computinginstance_public_{site}"
    general_sub = f"learn_eflocomputing_public_{site}"
    for code, product_type, kind, module in (
        ("bccluster", lingjun_sub, "Subscription", "ComputingServer"),
        ("bccluster", lingjun_payg, "PayAsYouGo", "ComputingServer"),
        ("learn", general_sub, "Subscription", "InstanceType"),
    ):
        fake.modules[(code, product_type, kind)] = {
            "ModuleList": {
                "Module": [
                    {
                        "ModuleCode": module,
                        "ModuleName": "Compute node",
                        "Currency": currency,
                        "PriceType": "Hour" if kind == "PayAsYouGo" else "Month",
                        "ConfigList": {"ConfigList": [module, "Region"]},
                    }
                ]
            },
            "AttributeList": {
                "Attribute": [
                    {
                        "Code": module,
                        "Name": "Node spec",
                        "Unit": "",
                        "Values": {
                            "AttributeValue": [
                                {
                                    "Type": "single_string",
                                    "Value": LINGJUN,
                                    "Name": LINGJUN,
                                    "Remark": "",
                                }
                            ]
                        },
                    }
                ]
            },
        }

    def module_details(listed: float, trade: float) -> dict[str, Any]:
        """The computing module of a price: the list price, the discount, the trade price."""
        return {
            "ModuleDetail": [
                {
                    "ModuleCode": "ComputingServer",
                    "OriginalCost": listed,
                    "InvoiceDiscount": round(listed - trade, 2),
                    "CostAfterDiscount": trade,
                    "UnitPrice": listed,
                }
            ]
        }

    def subscription(product_type: str, spec: str, unit: str, listed: float, trade: float) -> None:
        fake.subscription[(product_type, region, spec, unit)] = {
            "OriginalPrice": listed,
            "DiscountPrice": round(listed - trade, 2),
            "TradePrice": trade,
            "Currency": currency,
            "Quantity": 1,
            "ModuleDetails": module_details(listed, trade),
            "PromotionDetails": {
                "PromotionDetail": [
                    {"PromotionId": 1, "PromotionName": "contract", "PromotionDesc": "negotiated"}
                ]
            },
        }

    def payg(spec: str, listed: float, trade: float) -> None:
        fake.payg[(lingjun_payg, region, spec)] = {
            "Currency": currency,
            "ModuleDetails": module_details(listed, trade),
            "PromotionDetails": {"PromotionDetail": []},
        }

    subscription(lingjun_sub, LINGJUN, "Month", 25000.0, 23932.7)
    subscription(lingjun_sub, LINGJUN, "Year", 300000.0, 250000.0)
    payg(LINGJUN, 48.0, 43.8)
    subscription(general_sub, GENERAL, "Month", 80.0, 78.94)
    subscription(general_sub, GENERAL, "Year", 960.0, 900.0)
    for n in range(extra_lingjun):
        subscription(lingjun_sub, f"ml.test.{n}", "Month", 100.0 + n, 100.0 + n)
        subscription(lingjun_sub, f"ml.test.{n}", "Year", 1200.0, 1200.0)
        payg(f"ml.test.{n}", 6.0, 6.0)
    fake.products = [
        {
            "ProductCode": "bccluster",
            "ProductName": "Lingjun AI Computing Service",
            "ProductType": lingjun_sub,
            "SubscriptionType": "Subscription",
        },
        {
            "ProductCode": "bccluster",
            "ProductName": "Lingjun AI Computing Service",
            "ProductType": lingjun_payg,
            "SubscriptionType": "PayAsYouGo",
        },
        {
            "ProductCode": "learn",
            "ProductName": "Platform for AI",
            "ProductType": general_sub,
            "SubscriptionType": "Subscription",
        },
    ] + [
        {
            "ProductCode": f"other{n}",
            "ProductName": f"Other product {n}",
            "ProductType": "",
            "SubscriptionType": "PayAsYouGo",
        }
        for n in range(12)
    ]
    fake.resource_groups = [
        {
            "ResourceGroupID": f"rg{n}",
            "Name": f"group {n}",
            "ResourceType": "Lingjun",
            "Status": "Ready",
            "NodeCount": 3,
            "WorkspaceID": "ws1",
            "CreatorID": "u1",
            "GmtCreatedTime": "2026-01-01T00:00:00Z",
            "GmtModifiedTime": "2026-01-01T00:00:00Z",
        }
        for n in range(12)
    ]
    fake.machine_groups["rg0"] = [
        {
            "MachineGroupID": f"mg{n}",
            "ResourceGroupID": "rg0",
            "EcsSpec": LINGJUN,
            "EcsCount": 2,
            "PaymentType": "PREPAY",
            "PaymentDuration": "2",
            "PaymentDurationUnit": "Month",
            "GmtStartedTime": "2026-06-22T00:00:00Z",
            "GmtExpiredTime": "2026-08-22T00:00:00Z",
            "Status": "Ready",
            "ResourceType": "Lingjun",
            "OrderInstanceId": f"order{n}",
            "Cpu": 128,
            "Gpu": 8,
        }
        for n in range(11)
    ]
    fake.machine_groups["rg1"] = [
        {
            "MachineGroupID": "mg-old",
            "ResourceGroupID": "rg1",
            "EcsSpec": GENERAL,
            "EcsCount": 1,
            "PaymentType": "PREPAY",
            "PaymentDuration": "1",
            "PaymentDurationUnit": "Month",
            "GmtStartedTime": "2026-01-01T00:00:00Z",
            "GmtExpiredTime": "2026-02-01T00:00:00Z",
            "Status": "Expired",
            "ResourceType": "ECS",
            "OrderInstanceId": "order-old",
        },
    ]


def bill_item(**fields: Any) -> dict[str, Any]:
    """A DescribeInstanceBill item: pay-as-you-go Lingjun of 2026-03-01, the billing page's
    example (45 minutes at 0.73 USD/minute = 32.85 USD); ``fields`` added or changed."""
    base = {
        "BillingDate": "2026-03-01",
        "InstanceID": "i-1",
        "InstanceSpec": LINGJUN,
        "Region": "China (Ulanqab)",
        "ProductCode": "bccluster",
        "ProductName": "Lingjun",
        "SubscriptionType": "PayAsYouGo",
        "Item": "PayAsYouGoBill",
        "ListPrice": "0.73",
        "ListPriceUnit": "USD/Minute",
        "Usage": "45",
        "UsageUnit": "Minute",
        "PretaxGrossAmount": 32.85,
        "AfterDiscountAmount": 32.85,
        "PretaxAmount": 32.85,
        "Currency": "USD",
    }
    return {**base, **fields}


def dlc_job(number, created, running, finished, pods=1, spec=LINGJUN, **fields) -> dict[str, Any]:
    """A PAI-DLC ListJobs job ``dlc-NNNN`` that succeeded, of ``pods`` workers of ``spec``
    (``fields`` added or changed)."""
    return {
        "JobId": f"dlc-{number:04d}",
        "JobType": "PyTorchJob",
        "Status": "Succeeded",
        "GmtCreateTime": created,
        "GmtRunningTime": running,
        "GmtFinishTime": finished,
        "JobSpecs": [{"Type": "Worker", "PodCount": pods, "EcsSpec": spec}],
        **fields,
    }


def use_test_credentials(monkeypatch: Any) -> None:
    """The default credential chain's environment credentials, set to the test keys.

    ``alibabacloud_credentials`` reads the environment once, at import; in-process tests
    set the values it read (subprocess tests set real environment variables).
    """
    from alibabacloud_credentials.utils import auth_util

    monkeypatch.setattr(auth_util, "environment_access_key_id", ACCESS_KEY_ID)
    monkeypatch.setattr(auth_util, "environment_access_key_secret", ACCESS_KEY_SECRET)
    monkeypatch.setattr(auth_util, "environment_security_token", None)


#: Every variable the default credential chain reads.
CREDENTIAL_VARIABLES = (
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALIBABA_CLOUD_PROFILE",
    "ALIBABA_CLOUD_CREDENTIALS_FILE",
    "ALIBABA_CLOUD_CREDENTIALS_URI",
    "ALIBABA_CLOUD_ECS_METADATA",
    "ALIBABA_CLOUD_ROLE_ARN",
    "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
    "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
)


def use_no_credentials(monkeypatch: Any, home: Path) -> None:
    """No credentials from anywhere: the default chain must fail, saying where it looked.

    Clears the variables, the values ``alibabacloud_credentials`` read from them at import
    (an earlier test may have imported it with test keys set), the profile files (``HOME``
    is ``home``) and the ECS metadata lookup.
    """
    from alibabacloud_credentials.utils import auth_util

    for variable in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
    read_at_import = {
        "environment_access_key_id": None,
        "environment_access_key_secret": None,
        "environment_security_token": None,
        "environment_ECSMeta_data": None,
        "environment_ecs_metadata": None,
        "environment_ecs_metadata_disabled": "true",
        "environment_credentials_file": None,
        "environment_profile_name": None,
        "environment_oidc_token_file": None,
        "environment_role_arn": None,
        "environment_oidc_provider_arn": None,
        "environment_credentials_uri": None,
        "enable_oidc_credential": False,
    }
    for name, value in read_at_import.items():
        monkeypatch.setattr(auth_util, name, value, raising=False)


@contextmanager
def running_fake(*, account: bool = False) -> Iterator[FakeAlibaba]:
    """A started fake server (serving the test account's prices when ``account``), stopped
    on exit."""
    server = FakeAlibaba().start()
    try:
        if account:
            served_account(server)
        yield server
    finally:
        server.stop()
