"""``pai-cost catalog fetch`` against a real local HTTP server speaking Alibaba's OpenAPI.

The official SDK clients send real requests to the fake server (tests/fake_alibaba.py) on
127.0.0.1; nothing of the kit is mocked. Served prices (see ``served_account``) are the
billing page's worked examples, so the expected catalog values are that page's numbers:
23,932.70 USD/month and 0.73 USD/minute (Ulanqab Lingjun), 78.94 USD/month (general).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from cli_runs import pai_cost_process
from fake_alibaba import (
    ACCESS_KEY_ID,
    ACCESS_KEY_SECRET,
    GENERAL,
    LINGJUN,
    REGION,
    served_account,
)

from pai_model.account import fetch as account_fetch
from pai_model.cli import main
from pai_model.data.catalog import read_catalog
from pai_model.data.offer_list import list_offers
from pai_model.decisions.comparison import break_even_table
from pai_model.formulas.billing import payg_cost, subscription_cost

SECRETS = (ACCESS_KEY_ID, ACCESS_KEY_SECRET)

pytestmark = pytest.mark.served_account


def fetch(fake, tmp_path, capsys, *extra, out="prices.csv"):
    """Run ``pai-cost catalog fetch`` in-process: (status, stdout, stderr, out path)."""
    target = tmp_path / out
    status = main([*fake.catalog_fetch_args(target), *extra])
    captured = capsys.readouterr()
    assert_no_secret(captured.out, captured.err, tmp_path)
    return status, captured.out, captured.err, target


def assert_no_secret(*outputs: str | Path) -> None:
    """No credential in any output, nor in any file under the given folders."""
    texts = [o for o in outputs if isinstance(o, str)]
    for folder in (o for o in outputs if isinstance(o, Path)):
        texts += [p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file()]
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


def test_fetched_prices_equal_the_served_trade_prices(
    fake, tmp_path, capsys, credentials, frozen_clock
):
    frozen_clock(account_fetch)  # the prices are read on 2026-04-15
    status, out, err, target = fetch(fake, tmp_path, capsys)
    assert status == 0, err
    catalog = read_catalog(target)
    lingjun = catalog.set_index("spec").loc[LINGJUN]
    general = catalog.set_index("spec").loc[GENERAL]
    # trade prices (after discount) bill; 43.80 per hour / 60 = 0.73 per minute exactly
    assert lingjun.subscription_price_per_month == 23932.70
    assert lingjun.payg_price_per_minute == 0.73
    assert general.subscription_price_per_month == 78.94
    assert pd.isna(general.payg_price_per_minute)  # general: subscription only
    assert (lingjun.resource_type, general.resource_type) == ("lingjun", "general")
    assert (lingjun.vcpu, lingjun.memory_gib, lingjun.gpu_model, lingjun.gpu_count) == (
        128,
        1024,
        "GU108",
        8,
    )
    assert set(catalog["currency"]) == {"CNY"}  # from the responses (China site)
    assert "GetSubscriptionPrice and GetPayAsYouGoPrice, China site" in lingjun.source
    assert (catalog["as_of"] == pd.Timestamp("2026-04-15")).all()
    # the list prices are beside them, in x_ columns
    raw = pd.read_csv(target, dtype=str, keep_default_na=False).set_index("spec")
    assert raw.loc[LINGJUN, "x_list_subscription_price_per_month"] == "25000"
    assert raw.loc[LINGJUN, "x_list_payg_price_per_minute"] == "0.8"  # 48.00 / 60
    assert raw.loc[LINGJUN, "x_payg_price_per_hour"] == "43.8"
    assert raw.loc[LINGJUN, "subscription_price_per_year"] == "250000"
    assert raw.loc[GENERAL, "x_list_subscription_price_per_year"] == "960"
    assert raw.loc[GENERAL, "x_dsw_public_price_per_hour"] == "1.234"
    assert all(c.startswith("x_") for c in raw.columns if c not in read_catalog(target).columns)
    assert "UNCONFIRMED" in raw.loc[GENERAL, "note"]  # the general product code is a guess
    assert f"{target}: 2 offers in 1 region(s), CNY" in out


def test_a_fetched_catalog_bills_and_breaks_even_like_the_billing_page(
    fake, tmp_path, capsys, credentials
):
    status, _, err, target = fetch(fake, tmp_path, capsys)
    assert status == 0, err
    catalog = read_catalog(target)
    lingjun = catalog.set_index("spec").loc[LINGJUN]
    # billing page: 1 node x 0.73/minute x 45 minutes = 32.85; 2 x 23,932.70 x 1 = 47,865.40
    assert payg_cost(lingjun.payg_price_per_minute, 1, 45) == 32.85
    assert subscription_cost(lingjun.subscription_price_per_month, 2, 1) == 47865.40
    table = break_even_table(catalog)
    row = table.set_index("hardware").loc[LINGJUN]
    # 23,932.70 / (0.73 x 60 x 730) = 23,932.70 / 31,974 = 0.74850... of a 730-hour month
    assert round(float(row.break_even_utilization), 4) == 0.7485


@pytest.mark.slow
def test_the_report_renders_on_a_fetched_catalog(fake, tmp_path, capsys, credentials):
    status, _, err, target = fetch(fake, tmp_path, capsys)
    assert status == 0, err
    out = tmp_path / "reports"
    status = main(
        ["report", "breakeven_by_region", "-p", "catalog", str(target), "--out", str(out)]
    )
    assert status == 0
    html = next(out.glob("*.html")).read_text()
    assert LINGJUN in html and "23,932.70" in html


def test_several_pages_are_followed_to_the_end(fake, tmp_path, capsys, credentials):
    served_account(fake, extra_lingjun=24)  # 25 Lingjun specs; the server gives 10 a page
    status, _, err, target = fetch(fake, tmp_path, capsys)
    assert status == 0, err
    catalog = read_catalog(target)
    assert len(catalog) == 26
    pages = [
        r["query"]["PageNumber"]
        for r in fake.calls("ListEcsSpecs", "dlc")
        if r["query"]["ResourceType"] == "Lingjun"
    ]
    assert pages == ["1", "2", "3"]
    assert catalog.set_index("spec").loc["ml.test.23", "subscription_price_per_month"] == 123.0
    assert not catalog.set_index("spec").loc["ml.test.1", "in_stock"]  # IsAvailable false


def test_throttling_and_5xx_are_retried_until_the_call_succeeds(
    fake, tmp_path, capsys, credentials
):
    fake.faults["bss:GetSubscriptionPrice"] = ["throttle", "throttle200", "unavailable"]
    fake.faults["dlc:ListEcsSpecs"] = ["throttle"]
    status, _, err, target = fetch(fake, tmp_path, capsys)
    assert status == 0, err
    assert (
        read_catalog(target).set_index("spec").loc[LINGJUN, "subscription_price_per_month"]
        == 23932.70
    )
    # 4 inquiries (2 specs x month and year) + 3 refused attempts of the first
    assert len(fake.calls("GetSubscriptionPrice")) == 4 + 3


def test_retries_are_bounded_and_then_the_error_is_listed(fake, tmp_path, capsys, credentials):
    (tmp_path / "prices.csv").write_text("the previous file\n")
    fake.faults["bss:GetPayAsYouGoPrice"] = ["unavailable"] * 10
    status, _, err, target = fetch(fake, tmp_path, capsys, "--retries", "2")
    assert status == 2
    assert f"{REGION} {LINGJUN}: price: GetPayAsYouGoPrice: ServiceUnavailable HTTP 503" in err
    assert "(after 3 attempts)" in err and "nothing was written" in err
    assert len(fake.calls("GetPayAsYouGoPrice")) == 3
    assert target.read_text() == "the previous file\n"  # untouched
    assert "Traceback" not in err


def test_a_server_that_never_answers_times_out_and_is_listed(fake, tmp_path, capsys, credentials):
    fake.faults["dlc:ListEcsSpecs"] = ["hang"] * 10
    status, _, err, target = fetch(fake, tmp_path, capsys, "--timeout", "0.3", "--retries", "1")
    assert status == 2
    assert f"{REGION} *: DLC ListEcsSpecs Lingjun: ListEcsSpecs: Timeout" in err
    assert "(after 2 attempts)" in err
    assert not target.exists()


def test_a_timeout_then_an_answer_succeeds(fake, tmp_path, capsys, credentials):
    fake.faults["bss:DescribePricingModule"] = ["hang"]
    status, _, err, _ = fetch(fake, tmp_path, capsys, "--timeout", "0.3")
    assert status == 0, err


def test_a_malformed_body_fails_that_offer_and_partial_writes_the_rest(
    fake, tmp_path, capsys, credentials
):
    fake.faults["bss:GetPayAsYouGoPrice"] = ["malformed"]
    status, _, err, target = fetch(fake, tmp_path, capsys)
    assert status == 2
    assert f"{REGION} {LINGJUN}: price: GetPayAsYouGoPrice: MalformedResponse" in err
    assert len(fake.calls("GetPayAsYouGoPrice")) == 1  # a malformed body is not retried
    assert not target.exists()

    fake.faults["bss:GetPayAsYouGoPrice"] = ["malformed"]
    status, _, err, target = fetch(fake, tmp_path, capsys, "--partial")
    assert status == 0
    catalog = read_catalog(target)
    assert catalog["spec"].tolist() == [GENERAL]  # the failed row is absent
    assert (
        f"PARTIAL FETCH: 1 offer(s) failed and are absent: {REGION} {LINGJUN}"
        in catalog.loc[0, "note"]
    )
    assert "MalformedResponse" in err


def test_not_applicable_moves_to_the_international_site(fake, tmp_path, capsys, credentials):
    fake.china_site = False
    served_account(fake, site="intl")
    status, _, err, target = fetch(fake, tmp_path, capsys)
    assert status == 0, err
    catalog = read_catalog(target)
    assert set(catalog["currency"]) == {"USD"}
    assert catalog.set_index("spec").loc[LINGJUN, "subscription_price_per_month"] == 23932.70
    assert all("international site" in s for s in catalog["source"])
    assert "answered NotApplicable" in err
    described = [r["query"]["ProductType"] for r in fake.calls("DescribePricingModule")]
    assert described[:2] == [
        "bccluster_eflocomputing_public_cn",
        "bccluster_eflocomputing_public_intl",
    ]
    asked = {r["query"]["ProductType"] for r in fake.calls("GetSubscriptionPrice")}
    assert asked == {"bccluster_eflocomputing_public_intl", "learn_eflocomputing_public_intl"}


def test_an_access_denied_error_is_listed_not_retried(fake, tmp_path, capsys, credentials):
    fake.faults["bss:DescribePricingModule"] = ["denied"]
    status, _, err, _ = fetch(fake, tmp_path, capsys)
    assert status == 2
    assert "DescribePricingModule: Forbidden.RAM HTTP 403" in err
    # the Lingjun spec fails at its first product; the general product is described once
    assert len(fake.calls("DescribePricingModule")) == 2


def test_save_responses_keeps_every_raw_body_and_no_credential(fake, tmp_path, capsys, credentials):
    saved = tmp_path / "raw"
    status, _, err, _ = fetch(fake, tmp_path, capsys, "--save-responses", str(saved))
    assert status == 0, err
    files = sorted(saved.glob("*.json"))
    assert len(files) == len(fake.requests)
    prices = [
        json.loads(f.read_text()) for f in files if f.name.endswith("bss-GetSubscriptionPrice.json")
    ]
    assert {p["Data"]["TradePrice"] for p in prices} == {23932.7, 250000.0, 78.94, 900.0}
    assert_no_secret(saved)


def test_requests_are_signed_with_the_chain_credentials(fake, tmp_path, capsys, credentials):
    # the fake refuses any request not signed with the fake access key id
    status, _, err, _ = fetch(fake, tmp_path, capsys)
    assert status == 0, err
    assert {r["action"] for r in fake.requests} == {
        "ListEcsSpecs",
        "DescribePricingModule",
        "GetSubscriptionPrice",
        "GetPayAsYouGoPrice",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--endpoint", "ecs=127.0.0.1:1"], "--endpoint 'ecs=127.0.0.1:1': give SERVICE=HOST:PORT"),
        (["--endpoint", "bss=http://x/y"], "is not HOST or HOST:PORT"),
        (["--region", "Shanghai"], "--region 'Shanghai': give region ids"),
        (["--mapping", "no/such.yaml"], "no/such.yaml: not a readable YAML file"),
    ],
)
def test_bad_options_are_one_clear_line(tmp_path, capsys, credentials, args, message):
    argv = ["catalog", "fetch", "--region", REGION, "--out", str(tmp_path / "x.csv"), *args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


# --- as a user runs it: a subprocess with the real environment ------------------------------


def pai_cost(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # a new process: the SDK reads the credential chain from a clean environment
    return pai_cost_process(*args, env=env)


def clean_env(home: Path) -> dict[str, str]:
    """The environment without any Alibaba Cloud variable, HOME empty, no ECS metadata."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIBABA_CLOUD_")}
    env.update(HOME=str(home), ALIBABA_CLOUD_ECS_METADATA_DISABLED="true")
    return env


@pytest.mark.slow  # a new process: the credential chain of a clean environment
def test_environment_credentials_work_as_they_are(fake, tmp_path):
    env = clean_env(tmp_path)
    env.update(
        ALIBABA_CLOUD_ACCESS_KEY_ID=ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET=ACCESS_KEY_SECRET
    )
    target = tmp_path / "prices.csv"
    done = pai_cost(
        "catalog", "fetch", "--region", REGION, "--out", str(target), *fake.endpoint_args(), env=env
    )
    assert done.returncode == 0, done.stderr
    assert read_catalog(target).set_index("spec").loc[LINGJUN, "payg_price_per_minute"] == 0.73
    assert_no_secret(done.stdout, done.stderr, tmp_path)


@pytest.mark.slow  # a new process: the credential chain of a clean environment
def test_missing_credentials_name_the_chain_and_exit_2(fake, tmp_path):
    target = tmp_path / "prices.csv"
    done = pai_cost(
        "catalog",
        "fetch",
        "--region",
        REGION,
        "--out",
        str(target),
        *fake.endpoint_args(),
        env=clean_env(tmp_path),
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    for source in (
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "~/.aliyun/config.json",
        "credentials.ini",
        "ECS instance",
    ):
        assert source in done.stderr
    assert fake.requests == [] and not target.exists()


@pytest.mark.slow  # a new process: the credential chain of a clean environment
def test_an_unknown_profile_is_named(fake, tmp_path):
    done = pai_cost(
        "subscriptions",
        "--region",
        REGION,
        "--profile",
        "work",
        *fake.endpoint_args(),
        env=clean_env(tmp_path),
    )
    assert done.returncode == 2
    assert (
        "no Alibaba Cloud credentials found in the profile 'work' of ~/.aliyun/config.json"
        in done.stderr
    )


@pytest.mark.parametrize(
    ("trade", "message"),
    [
        (1e300, "TradePrice = 1e+300 is not a price (more than 15 whole digits)"),
        (10**39 + 7, f"TradePrice = {10**39 + 7} is not a price (more than 15 whole digits)"),
        (1e-300, "TradePrice (1 Month) is below 0.000001: 0 at 6 decimals, not a price to bill"),
    ],
)
def test_an_absurd_trade_price_is_one_line_naming_the_offer(
    credentials, fake, tmp_path, capsys, trade, message
):
    (key,) = [k for k in fake.subscription if k[2] == LINGJUN and k[3] == "Month"]
    fake.subscription[key]["TradePrice"] = trade
    status, _out, err, target = fetch(fake, tmp_path, capsys)
    assert status == 2
    assert "Traceback" not in err
    assert f"pai-cost: error: cn-wulanchabu {LINGJUN}: price: {message}" in err.splitlines()
    assert not target.exists()


def test_a_spec_without_is_available_is_stock_unknown(credentials, fake, tmp_path, capsys):
    served_account(fake, extra_lingjun=3)  # ml.test.0 and .2 available, .1 not
    del fake.dlc_specs["Lingjun"][3]["IsAvailable"]  # ml.test.2: the API says nothing
    target = tmp_path / "prices.csv"
    assert main(fake.catalog_fetch_args(target)) == 0, capsys.readouterr().err
    written = pd.read_csv(target, dtype=str, comment="#").set_index("spec")["in_stock"]
    assert written[["ml.test.0", "ml.test.1", "ml.test.2"]].tolist() == ["true", "false", "unknown"]
    catalog = read_catalog(target).set_index("spec")
    assert catalog.loc["ml.test.2", "stock_known"] == False  # noqa: E712 (numpy bool)
    assert catalog.loc["ml.test.0", "stock_known"] == True  # noqa: E712
    capsys.readouterr()

    # the offers table shows it as unknown; --in-stock leaves it out, with the known ones in
    assert main(["offers", "--catalog", str(target), "--gpu", "gu30"]) == 0
    out = capsys.readouterr().out
    shown = {line.split()[1]: line for line in out.splitlines() if "ml.test." in line}
    assert "unknown" in shown["ml.test.2"] and "unknown" not in shown["ml.test.0"]
    offers = list_offers(read_catalog(target), gpu="gu30", in_stock=True)
    assert sorted(offers["spec"]) == ["ml.test.0"]
    everything = list_offers(read_catalog(target), gpu="gu30").set_index("spec")
    assert everything.loc["ml.test.2", ["in_stock", "stock_known"]].tolist() == [True, False]
