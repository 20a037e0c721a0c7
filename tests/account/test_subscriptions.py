"""``pai-cost subscriptions``, ``catalog discover`` and ``catalog diff``, and the call layer.

Against the fake OpenAPI server of tests/fake_alibaba.py (real HTTP, the official SDKs).
"""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime

import pandas as pd
import pytest
from cli_runs import argv, run_main
from fake_alibaba import (
    FAST,
    GENERAL,
    LINGJUN,
    REGION,
)

from pai_model import paths
from pai_model.account import bills as account_bills
from pai_model.account.calls import Caller
from pai_model.account.subscriptions import committed_nodes
from pai_model.cli import main
from pai_model.data.catalog import read_catalog
from pai_model.data.catalog_diff import diff_catalogs
from pai_model.data.freshness import stale_prices

pytestmark = [pytest.mark.usefixtures("credentials"), pytest.mark.served_account]


# --- subscriptions ----------------------------------------------------------------------------


def test_subscriptions_lists_every_machine_group_of_every_group(fake, capsys):
    status, out, err = run_main(
        capsys,
        *argv(f"subscriptions --region {REGION} --format json"),
        *FAST,
        *fake.endpoint_args(),
    )
    assert status == 0, err
    rows = json.loads(out)
    # 12 resource groups (2 pages of 10), rg0 holds 11 machine groups (2 pages), rg1 one
    assert len(rows) == 12
    assert len(fake.calls("ListResourceGroups")) == 2
    assert len(fake.calls("ListResourceGroupMachineGroups")) == 12 + 1
    first = rows[0]
    assert (first["spec"], first["nodes"], first["payment_type"], first["status"]) == (
        LINGJUN,
        2,
        "PREPAY",
        "Ready",
    )
    assert first["start"].startswith("2026-06-22T00:00:00") and first["expiry"].startswith(
        "2026-08-22T00:00:00"
    )


def test_subscriptions_table_and_stale_catalog_price(fake, capsys, tmp_path):
    catalog = tmp_path / "old.csv"
    catalog.write_text(
        "region_id,resource_type,spec,subscription_price_per_month,payg_price_per_minute,currency,source,as_of\n"
        f"{REGION},lingjun,{LINGJUN},23932.70,0.73,USD,console,2020-01-01\n"
    )
    status, out, err = run_main(
        capsys,
        "subscriptions",
        "--region",
        REGION,
        "--catalog",
        str(catalog),
        *FAST,
        *fake.endpoint_args(),
    )
    assert status == 0, err
    assert "mg0" in out and "2026-08-22" in out and "23,932.70" in out
    assert "1 price in " in err and "is older than 30 days (oldest 2020-01-01" in err


def test_subscriptions_failure_is_named_and_partial_shows_the_rest(fake, capsys):
    fake.faults["pai:ListResourceGroupMachineGroups"] = ["denied"]
    status, _, err = run_main(
        capsys, "subscriptions", "--region", REGION, *FAST, *fake.endpoint_args()
    )
    assert status == 2
    assert (
        "ListResourceGroupMachineGroups rg0: ListResourceGroupMachineGroups: Forbidden.RAM" in err
    )
    fake.faults["pai:ListResourceGroupMachineGroups"] = ["denied"]
    status, out, err = run_main(
        capsys,
        *argv(f"subscriptions --region {REGION} --format csv --partial"),
        *FAST,
        *fake.endpoint_args(),
    )
    assert status == 0
    assert pd.read_csv(__import__("io").StringIO(out))["machine_group_id"].tolist() == ["mg-old"]
    assert "not listed (--partial)" in err


def test_committed_nodes_keep_only_held_subscriptions(fake, capsys):
    from pai_model.account.clients import Clients, default_credential
    from pai_model.account.subscriptions import list_subscriptions

    clients = Clients(default_credential(), {"pai": fake.endpoint})
    held = list_subscriptions([REGION], clients, Caller(max_rate=1000))
    committed = committed_nodes(held.table, now=datetime(2026, 7, 1, tzinfo=UTC))
    # 11 Ready 2-node groups of rg0; rg1's group expired on 2026-02-01
    assert committed["nodes"].tolist() == [2] * 11
    assert set(committed["hardware"]) == {LINGJUN}


# --- discover ---------------------------------------------------------------------------------


def test_discover_lists_products_over_pages_and_the_pai_modules(fake, capsys):
    status, out, err = run_main(
        capsys, "catalog", "discover", "--format", "json", *FAST, *fake.endpoint_args(("bss",))
    )
    assert status == 0, err
    modules = json.loads(out)
    assert len(fake.calls("QueryProductList")) == 2  # 15 products, 10 a page
    found = {(m["product_code"], m["subscription_type"], m["module_code"]) for m in modules}
    assert found == {
        ("bccluster", "Subscription", "ComputingServer"),
        ("bccluster", "PayAsYouGo", "ComputingServer"),
        ("learn", "Subscription", "InstanceType"),
    }
    lingjun = next(
        m
        for m in modules
        if m["product_code"] == "bccluster" and m["subscription_type"] == "Subscription"
    )
    assert lingjun["config_attributes"] == "ComputingServer,Region"
    assert LINGJUN in lingjun["attribute_values"]


def test_discover_table_shows_every_product(fake, capsys):
    status, out, _ = run_main(
        capsys, "catalog", "discover", "--product", "other3", *FAST, *fake.endpoint_args(("bss",))
    )
    assert status == 0
    assert "Products the account sees (15)" in out and "Other product 11" in out
    assert "DescribePricingModule: InvalidParameter" in out  # other3 has no modules served


# --- diff -------------------------------------------------------------------------------------

OLD = """region_id,resource_type,spec,subscription_price_per_month,payg_price_per_minute,currency,in_stock,source,as_of
cn-wulanchabu,lingjun,ml.a,23932.70,0.73,USD,true,console,2026-03-01
cn-wulanchabu,lingjun,ml.b,100.00,,USD,true,console,2026-03-01
cn-shanghai,general,ecs.c,78.94,,USD,true,console,2026-03-01
"""
NEW = """region_id,resource_type,spec,subscription_price_per_month,payg_price_per_minute,currency,in_stock,source,as_of
cn-wulanchabu,lingjun,ml.a,22000.00,0.75,USD,true,console,2026-04-01
cn-shanghai,general,ecs.c,78.94,,USD,false,console,2026-04-01
cn-shanghai,general,ecs.d,50.00,,USD,true,console,2026-04-01
"""


def test_diff_lists_price_stock_and_spec_changes_exactly(tmp_path):
    (tmp_path / "old.csv").write_text(OLD)
    (tmp_path / "new.csv").write_text(NEW)
    old, new = read_catalog(tmp_path / "old.csv"), read_catalog(tmp_path / "new.csv")
    diff = diff_catalogs(old, new, today=date(2026, 4, 10))
    rows = diff.changes[
        ["change", "spec", "column", "old", "new", "difference", "percent"]
    ].values.tolist()
    assert rows == [
        # 22000 - 23932.70 = -1932.70; / 23932.70 = -8.0755...% -> -8.08
        ["stock", "ecs.c", "in_stock", "true", "false", "", ""],
        ["added", "ecs.d", "", "", "subscription 50 USD", "", ""],
        ["price", "ml.a", "subscription_price_per_month", "23932.7", "22000", "-1932.7", "-8.08"],
        # 0.75 - 0.73 = 0.02; 0.02 / 0.73 = 2.7397...% -> 2.74
        ["price", "ml.a", "payg_price_per_minute", "0.73", "0.75", "0.02", "2.74"],
        ["removed", "ml.b", "", "subscription 100 USD", "", "", ""],
    ]
    # OLD is 40 days old on 2026-04-10, NEW 9 days
    assert diff.notes == [
        "3 prices in OLD are older than 30 days (oldest 2026-03-01, 40 days): refresh them"
        " with `pai-cost catalog fetch` before deciding"
    ]


def test_diff_command(tmp_path, capsys):
    (tmp_path / "old.csv").write_text(OLD)
    (tmp_path / "new.csv").write_text(NEW)
    status, out, err = run_main(
        capsys, "catalog", "diff", str(tmp_path / "old.csv"), str(tmp_path / "new.csv")
    )
    assert status == 0
    assert out.startswith("5 changes: 2 price, 1 added, 1 removed, 1 stock, 0 currency.")
    assert "older than 30 days" in err  # both are, today
    status, _, err = run_main(capsys, "catalog", "diff", str(tmp_path / "old.csv"), "no/such.csv")
    assert status == 2 and "no/such.csv: no such file" in err


def test_stale_prices_of_the_documented_catalog():
    documented = read_catalog(paths.DOCUMENTED_CATALOG)  # as_of 2026-03-24
    assert stale_prices(documented, 10, today=date(2026, 4, 3)).empty  # 10 days
    assert len(stale_prices(documented, 10, today=date(2026, 4, 4))) == 3  # 11 days


# --- the call layer ---------------------------------------------------------------------------


def test_backoff_is_bounded_exponential_with_jitter():
    caller = Caller(base_backoff=0.5, max_backoff=8.0, rng=random.Random(7))
    waits = [[caller.backoff(n) for _ in range(200)] for n in range(8)]
    caps = [0.5, 1, 2, 4, 8, 8, 8, 8]  # min(8, 0.5 x 2^n)
    for wait, cap in zip(waits, caps, strict=True):
        assert 0 <= min(wait) and max(wait) <= cap
        assert max(wait) > 0.8 * cap  # jitter spreads over the whole range
    assert len({round(w, 9) for w in waits[3]}) > 150


def test_rate_limit_spaces_requests():
    now = [100.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    caller = Caller(max_rate=4.0, sleep=sleep, clock=lambda: now[0])

    class Answer:
        body = type("Body", (), {"success": True, "to_map": lambda self: {}})()

    for _ in range(3):
        caller.call("bss", "X", lambda: Answer())
    assert slept == [0.25, 0.25]  # 1 / 4 requests per second


def test_fake_bodies_are_shaped_like_the_sdk_models(fake):
    """Every body the fake serves reads into the SDK's model and back unchanged."""
    from alibabacloud_bssopenapi20171214 import models as bss
    from alibabacloud_pai_dlc20201203 import models as dlc
    from alibabacloud_pai_dsw20220101 import models as dsw
    from alibabacloud_paistudio20220112 import models as pai

    cases = [
        (
            dlc.ListEcsSpecsResponseBody,
            fake.answer("dlc", "ListEcsSpecs", "/", {"ResourceType": "Lingjun"}),
        ),
        (
            dsw.ListEcsSpecsResponseBody,
            fake.answer("dsw", "ListEcsSpecs", "/", {"AcceleratorType": "CPU"}),
        ),
        (pai.ListResourceGroupsResponseBody, fake.answer("pai", "ListResourceGroups", "/", {})),
        (
            pai.ListResourceGroupMachineGroupsResponseBody,
            fake.answer(
                "pai", "ListResourceGroupMachineGroups", "/api/v1/resources/rg0/machinegroups", {}
            ),
        ),
        (
            bss.DescribePricingModuleResponseBody,
            fake.answer(
                "bss",
                "DescribePricingModule",
                "/",
                {
                    "ProductCode": "bccluster",
                    "ProductType": "bccluster_eflocomputing_public_cn",
                    "SubscriptionType": "Subscription",
                },
            ),
        ),
        (
            bss.GetSubscriptionPriceResponseBody,
            fake.answer(
                "bss",
                "GetSubscriptionPrice",
                "/",
                {
                    "ProductType": "bccluster_eflocomputing_public_cn",
                    "Region": REGION,
                    "ServicePeriodUnit": "Month",
                    "ModuleList.1.Config": f"ComputingServer:{LINGJUN},Region:{REGION}",
                },
            ),
        ),
        (
            bss.GetPayAsYouGoPriceResponseBody,
            fake.answer(
                "bss",
                "GetPayAsYouGoPrice",
                "/",
                {
                    "ProductType": "bccluster_computinginstance_public_cn",
                    "Region": REGION,
                    "ModuleList.1.Config": f"ComputingServer:{LINGJUN},Region:{REGION}",
                },
            ),
        ),
        (
            bss.QueryProductListResponseBody,
            fake.answer("bss", "QueryProductList", "/", {"PageNum": "1"}),
        ),
    ]
    for model, (status, body) in cases:
        assert status == 200, body
        assert model().from_map(body).to_map() == body, model.__name__
    assert GENERAL in json.dumps(cases[1][1])


def test_the_documented_policy_lists_exactly_the_actions_the_kit_calls(
    fake, capsys, tmp_path, frozen_clock
):
    import re

    from pai_model.account.clients import READ_ONLY_ACTIONS

    guide = (paths.PACKAGE.parent / "docs" / "account.md").read_text()
    policy = json.loads(
        re.search(r"\*\*RAM policy\.\*\*.*?```json\n(.*?)```", guide, re.S).group(1)
    )
    assert tuple(policy["Statement"][0]["Action"]) == READ_ONLY_ACTIONS
    out = tmp_path / "p.csv"
    assert main(fake.catalog_fetch_args(out)) == 0
    assert main(["catalog", "discover", *FAST, *fake.endpoint_args()]) == 0
    assert main(["subscriptions", "--region", REGION, *FAST, *fake.endpoint_args()]) == 0
    frozen_clock(account_bills)  # the billing cycles are counted from 2026-04-15
    this_month = "2026-04"  # one of the last 18 cycles
    assert main(fake.usage_args("bills", "--start", this_month, out=tmp_path / "b.csv")) == 0
    window = ["--region", REGION, "--start", "2026-03-01", "--end", "2026-03-02"]
    assert main(fake.usage_args("jobs", *window, out=tmp_path / "j.csv")) == 0
    # each API called needs the action of its RAM table, and the policy holds no other
    from pai_model.account.clients import RAM_ACTIONS

    needs = {(a.service, a.api): a.action for a in RAM_ACTIONS}
    called = {(r["service"], r["action"]) for r in fake.requests}
    assert called == set(needs)
    assert {needs[c] for c in called} == set(READ_ONLY_ACTIONS)
