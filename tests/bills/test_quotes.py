"""The fast quote: the billing page's examples, its messages, and its catalog cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from unittest import mock

import pandas as pd
import pytest
from cli_runs import LINGJUN_PAYG_QUOTE, Run, argv
from cli_runs import pai_cost as run_in_process

from pai_model import CatalogError, InputError, OrderError, paths, price_orders, read_catalog
from pai_model.bills import quotes
from pai_model.bills.quotes import load_offers, price_order

DOCUMENTED = str(paths.DOCUMENTED_CATALOG)
HEADER = (
    "region_id,resource_type,spec,subscription_price_per_month,payg_price_per_minute,"
    "currency,in_stock,subscription_in_stock,payg_in_stock,source,as_of"
)


@pytest.fixture
def cache(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    return folder


def pai_cost(cache, *args: str) -> Run:
    """``pai-cost ARGS`` in this process, with its quote cache in ``cache``."""
    with mock.patch.dict(os.environ, {"PAI_COST_CACHE_DIR": str(cache)}):
        return run_in_process(*args)


def write_catalog(path, *rows: str):
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return path


# ------------------------------------------------------------------ the command line


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            argv("--region cn-shanghai --spec ecs.g7.xlarge-4c16g --quantity 2 --months 1"),
            "2 x 78.94 USD/month x 1 month = 157.88 USD",
        ),
        (
            argv("--region cn-wulanchabu --spec ml.gu7xf.c96m1600.8-gu108 --quantity 2 --months 1"),
            "2 x 23,932.70 USD/month x 1 month = 47,865.40 USD",
        ),
        (
            argv("--region cn-wulanchabu --spec ml.gu7xf.8xlarge-gu108 --quantity 1 --minutes 45"),
            "1 x 0.73 USD/minute x 45 minutes = 32.85 USD",
        ),
    ],
    ids=["general", "lingjun-subscription", "lingjun-payg"],
)
def test_quote_billing_page_examples_cold_and_warm(cache, args, line):
    # the billing page's worked examples: 157.88, 47,865.40 and 32.85 USD
    for catalog in ([], ["--catalog", DOCUMENTED]):
        for _ in ("cold", "warm"):
            result = pai_cost(cache, "quote", *args, *catalog)
            assert result.returncode == 0, result.stderr
            first, second = result.stdout.splitlines()
            assert first == line
            assert second.startswith("price source: Alibaba Cloud help: Platform For AI")
            assert second.endswith("(2026-03-24, documented)")
            # the page's prices are of 2026-03-24: the only note says how old they are
            assert result.stderr.startswith("pai-cost: note: this price was read")
            assert result.stderr.count("\n") == 1
    assert len(list(cache.glob("catalog-*.json"))) == 2  # one per catalog


def test_quote_illustrative_price_is_flagged(cache):
    args = ["--region", "cn-beijing", "--spec", "ecs.g7.xlarge-4c16g", "--quantity", "1"]
    for _ in ("cold", "warm"):
        result = pai_cost(cache, "quote", *args, "--months", "1")
        assert result.returncode == 0
        assert (
            result.stdout.splitlines()[1] == "price source: illustrative (2026-11-26, illustrative)"
        )
        assert "WARNING: illustrative prices" in result.stderr


@pytest.mark.parametrize(
    ("args", "messages"),
    [
        (
            argv("--region cn-shanghai --spec ecs.g7.xlarge-4c16g --quantity 2 --minutes 3"),
            ["pay-as-you-go is not offered for general computing resources (subscription only)"],
        ),
        (
            ["--region", "xx-nowhere", "--spec", "s", "--quantity", "1", "--months", "1"],
            ["region_id = 'xx-nowhere': not in the catalog (regions: cn-shanghai, cn-wulanchabu)"],
        ),
        (
            argv("--region cn-shangai --spec ecs.g7.xlarge-4c16g --quantity 0 --months 1.5"),
            [  # the words of `pai-cost bill`, by column as a bill lists them
                "months = '1.5': a subscription needs a positive whole number of months (at most 120)",
                "quantity = '0': must be a positive whole number of nodes (at most 100,000)",
                "region_id = 'cn-shangai': not in the catalog; did you mean 'cn-shanghai'?",
            ],
        ),
        (
            argv("--region cn-wulanchabu --spec ml.gu7xf.8xlarge --quantity 1 --minutes 1"),
            [
                "spec = 'ml.gu7xf.8xlarge': not offered in cn-wulanchabu; did you mean 'ml.gu7xf.8xlarge-gu108'?"
            ],
        ),
        (
            argv("--region cn-wulanchabu --spec ecs.g7.xlarge-4c16g --quantity 1 --months 1"),
            ["spec = 'ecs.g7.xlarge-4c16g': not offered in cn-wulanchabu; offered in cn-shanghai"],
        ),
        (
            argv("--region cn-wulanchabu --spec ml.gu7xf.8xlarge-gu108 --quantity 1 --months 1"),
            ["no subscription price in the catalog"],
        ),
        (
            argv(
                "--region cn-wulanchabu --spec ml.gu7xf.8xlarge-gu108 --quantity 1 --minutes 45.0001"
            ),
            ["minutes = '45.0001': more than 3 decimal places"],
        ),
        (
            argv("--region cn-wulanchabu --spec ml.gu7xf.8xlarge-gu108 --quantity 1 --minutes 0"),
            ["minutes = '0': pay-as-you-go needs a positive number of minutes (at most 5,260,320)"],
        ),
        (
            argv(
                "--region cn-wulanchabu --spec ml.gu7xf.8xlarge-gu108 --quantity 1e30 --minutes 1e30"
            ),
            [  # the one decimal rule: an exponent is not a number, as in an orders file
                "minutes = '1e30': not a number",
                "quantity = '1e30': not a number",
            ],
        ),
        (
            argv(
                "--region cn-wulanchabu --spec ml.gu7xf.8xlarge-gu108 --quantity nan --minutes inf"
            ),
            [
                "minutes = 'inf': not a number",
                "quantity = 'nan': not a number",
            ],
        ),
    ],
    ids=[
        "payg-general",
        "unknown-region",
        "every-problem",
        "unknown-spec",
        "spec-elsewhere",
        "no-price",
        "minutes-precision",
        "minutes-zero",
        "huge",
        "not-a-number",
    ],
)
def test_quote_errors_are_clear_lines_without_traceback(cache, args, messages):
    result = pai_cost(cache, "quote", *args, "--catalog", DOCUMENTED)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    count = len(messages)
    assert lines[0] == f"pai-cost: error: {count} problem{'s' * (count > 1)} in orders:"
    for line, message in zip(lines[1:], messages, strict=True):
        assert line.startswith("pai-cost: error: order 1 (") and message in line
    assert "Traceback" not in result.stderr


def test_quote_checks_the_stock_of_the_method_it_bills(cache, tmp_path):
    catalog = write_catalog(
        tmp_path / "stock.csv",
        "cn-hangzhou,lingjun,ml.gpu-a,100,0.5,USD,true,true,false,console,2026-01-01",
        "cn-hangzhou,lingjun,ml.gpu-b,100,0.5,USD,false,,,console,2026-01-01",
    )
    # 1 x 100 x 2 = 200.00: the subscription of ml.gpu-a is in stock, its pay-as-you-go is not
    stock_catalog = ["--catalog", str(catalog)]
    ok = pai_cost(
        cache,
        *argv("quote --region cn-hangzhou --spec ml.gpu-a --quantity 1 --months 2"),
        *stock_catalog,
    )
    assert ok.stdout.splitlines()[0] == "1 x 100.00 USD/month x 2 months = 200.00 USD"
    for spec, flag, method in [
        ("ml.gpu-a", "--minutes", "pay-as-you-go"),
        ("ml.gpu-b", "--months", "subscription"),  # in_stock=false: both methods
    ]:
        line = f"quote --region cn-hangzhou --spec {spec} --quantity 1 {flag} 1"
        result = pai_cost(cache, *argv(line), *stock_catalog)
        assert result.returncode == 2
        assert f"spec = '{spec}': {method} is out of stock; it cannot be purchased" in result.stderr


def test_warm_quote_loads_neither_pandas_nor_numba(cache):
    script = (
        "import sys\n"
        "from pai_model.cli import main\n"
        "main(['quote', '--region', 'cn-wulanchabu', '--spec', 'ml.gu7xf.8xlarge-gu108',"
        " '--quantity', '1', '--minutes', '45'])\n"
        "print(sorted(m for m in ('numpy', 'pandas', 'pandera', 'numba') if m in sys.modules))\n"
    )
    env = {**os.environ, "PAI_COST_CACHE_DIR": str(cache)}
    run = [sys.executable, "-c", script]
    cold = subprocess.run(run, capture_output=True, text=True, env=env, check=True)
    warm = subprocess.run(run, capture_output=True, text=True, env=env, check=True)
    assert cold.stdout.splitlines()[-1] == "['numpy', 'pandas', 'pandera']"
    assert warm.stdout.splitlines()[0] == "1 x 0.73 USD/minute x 45 minutes = 32.85 USD"
    assert warm.stdout.splitlines()[-1] == "[]"


# ------------------------------------------------------------------ the Python function


def test_quote_amounts_are_exact_decimals(cache):
    # 0.73 x 1 x 45 = 32.85 (billing page); 0.73 x 3 x 1.25 = 2.7375 -> 2.74 (half up)
    payg = price_order(
        "cn-wulanchabu", "ml.gu7xf.8xlarge-gu108", 1, minutes=45, catalog=DOCUMENTED, cache=cache
    )
    assert payg.amount == Decimal("32.85") and payg.unit_price == Decimal("0.73")
    assert (payg.billing_method, payg.duration_unit, payg.price_unit) == (
        "payg",
        "minute",
        "USD/minute",
    )
    assert payg.warning is None and payg.offer.provenance == "documented"
    tie = price_order(
        "cn-wulanchabu",
        "ml.gu7xf.8xlarge-gu108",
        "3",
        minutes="1.25",
        catalog=DOCUMENTED,
        cache=cache,
    )
    assert tie.amount == Decimal("2.74")
    assert tie.formula == "3 x 0.73 USD/minute x 1.25 minutes = 2.74 USD"


@pytest.mark.parametrize("durations", [{}, {"months": 1, "minutes": 45}])
def test_quote_needs_months_or_minutes(cache, durations):
    with pytest.raises(InputError, match=r"months .* or minutes"):
        price_order(
            "cn-shanghai", "ecs.g7.xlarge-4c16g", 1, catalog=DOCUMENTED, cache=cache, **durations
        )


def test_quote_equals_the_engine_on_every_offer_of_the_demo_catalog(cache):
    # every offer of the default catalog, each method it is sold by: the decimal quote and
    # the vectorized engine (through price_orders) agree to the cent
    table = read_catalog()
    orders = []
    for row in table.itertuples():
        if pd.notna(row.subscription_price_per_month) and row.subscription_in_stock:
            orders.append((row.region_id, row.spec, 7, "subscription", 9, None))
        if pd.notna(row.payg_price_per_minute) and row.payg_in_stock:
            orders.append((row.region_id, row.spec, 3, "payg", None, 1234.567))
    frame = pd.DataFrame(
        orders, columns=["region_id", "spec", "quantity", "billing_method", "months", "minutes"]
    )
    lines = price_orders(frame, table).lines
    for order, line in zip(orders, lines.itertuples(), strict=True):
        region, spec, quantity, _, months, minutes = order
        got = price_order(region, spec, quantity, months=months, minutes=minutes, cache=cache)
        assert float(got.amount) == line.amount and got.formula == line.formula
        assert got.offer.source == line.source


# ------------------------------------------------------------------ the catalog cache


def test_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PAI_COST_CACHE_DIR", str(tmp_path / "mine"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert quotes.cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("PAI_COST_CACHE_DIR")
    assert quotes.cache_dir() == tmp_path / "xdg" / "pai-cost"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert quotes.cache_dir() == tmp_path / "home" / ".cache" / "pai-cost"


def test_an_edited_catalog_is_validated_again(cache, tmp_path):
    catalog = write_catalog(
        tmp_path / "prices.csv", "cn-hangzhou,lingjun,ml.gpu-a,100,0.5,USD,,,,console,2026-01-01"
    )
    # 2 x 100 x 1 = 200.00, then 2 x 150 x 1 = 300.00 once the price is edited
    assert (
        price_order("cn-hangzhou", "ml.gpu-a", 2, months=1, catalog=catalog, cache=cache).amount
        == 200
    )
    write_catalog(catalog, "cn-hangzhou,lingjun,ml.gpu-a,150,0.5,USD,,,,console,2026-01-01")
    assert (
        price_order("cn-hangzhou", "ml.gpu-a", 2, months=1, catalog=catalog, cache=cache).amount
        == 300
    )
    write_catalog(catalog, "cn-hangzhou,lingjun,ml.gpu-a,abc,0.5,USD,,,,console,2026-01-01")
    with pytest.raises(CatalogError, match="subscription_price_per_month = 'abc'"):
        price_order("cn-hangzhou", "ml.gpu-a", 2, months=1, catalog=catalog, cache=cache)
    assert len(list(cache.glob("catalog-*.json"))) == 1  # the earlier version's file is gone


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe",
        b"[]",
        b'{"format": 1}',
        "corrupt price",
        "missing field",
    ],
)
def test_a_corrupt_cache_is_rebuilt(cache, content):
    first = load_offers(DOCUMENTED, cache=cache)
    (file,) = cache.glob("catalog-*.json")
    if isinstance(content, str):
        data = json.loads(file.read_text())
        if content == "corrupt price":
            data["offers"][0]["subscription_price"] = "NaN"
        else:
            del data["offers"][0]["spec"]
        content = json.dumps(data).encode()
    file.write_bytes(content)
    again = load_offers(DOCUMENTED, cache=cache)
    assert again.by_key == first.by_key
    assert json.loads(file.read_text())["offers"][0]["subscription_price"] == "78.940000"
    # 78.94 x 2 x 1 = 157.88 (billing page)
    assert price_order(
        "cn-shanghai", "ecs.g7.xlarge-4c16g", 2, months=1, catalog=DOCUMENTED, cache=cache
    ).amount == Decimal("157.88")


def test_an_unwritable_cache_only_costs_speed(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = pai_cost(blocker / "cache", *LINGJUN_PAYG_QUOTE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "1 x 0.73 USD/minute x 45 minutes = 32.85 USD"
    assert result.stderr.startswith("pai-cost: note: this price was read")  # no cache error


def test_a_price_older_than_the_limit_is_flagged(cache):
    args = [*LINGJUN_PAYG_QUOTE, "--catalog", DOCUMENTED]
    old = pai_cost(cache, *args)
    assert old.stderr.startswith("pai-cost: note: this price was read ")
    assert "days ago (2026-03-24), more than 30: check it on the console" in old.stderr
    # a limit of 100,000 days is not reached by a price of 2026-03-24 for centuries
    assert pai_cost(cache, *args, "--max-age-days", "100000").stderr == ""


def test_a_change_to_the_kit_source_voids_the_cache(monkeypatch, tmp_path):
    package = tmp_path / "pai_model"
    package.mkdir()
    (package / "catalog.py").write_text("RULE = 1\n")
    monkeypatch.setattr(quotes, "_PACKAGE", package)
    before = quotes._code_digest()
    (package / "catalog.py").write_text("RULE = 2\n")
    assert quotes._code_digest() != before


def test_missing_catalog_is_a_catalog_error(cache, tmp_path):
    with pytest.raises(CatalogError, match="no such file"):
        price_order("cn-shanghai", "x", 1, months=1, catalog=tmp_path / "none.csv", cache=cache)


def test_order_errors_are_order_errors(cache):
    with pytest.raises(OrderError) as caught:
        price_order(
            "cn-shanghai", "ecs.g7.xlarge-4c16g", 1.5, months=1, catalog=DOCUMENTED, cache=cache
        )
    assert caught.value.messages == [
        "order 1 (cn-shanghai, ecs.g7.xlarge-4c16g): quantity = '1.5': must be a positive whole"
        " number of nodes (at most 100,000)"
    ]


PUBLIC_HEADER = "region_id,resource_type,spec,payg_price_per_hour,currency,in_stock,source,as_of"
#: PAI DLC billing (en): ecs.g6.2xlarge in China (Shanghai) at 0.6 USD/hour;
#: https://www.alibabacloud.com/help/en/machine-learning-platform-for-ai/latest/pai-dlc-billing
DLC_USD = "cn-shanghai,public,ecs.g6.2xlarge,0.6,USD,true,PAI DLC billing (en),2026-12-06"
#: PAI DLC billing (zh): the same spec at 2.02 CNY/hour;
#: https://help.aliyun.com/document_detail/171758.htm
DLC_CNY = "cn-shanghai,public,ecs.g6.2xlarge,2.02,CNY,true,PAI DLC billing (zh),2026-12-06"
#: PAI DSW billing: DSW 2.0 ecs.g6.large at 0.05 CNY/hour;
#: https://www.alibabacloud.com/help/en/pai/product-overview/dsw-billing-description
DSW_CNY = "cn-hangzhou,public,ecs.g6.large,0.05,CNY,true,PAI DSW billing,2026-12-06"


@pytest.fixture
def catalogs(tmp_path, monkeypatch):
    monkeypatch.setenv("PAI_COST_CACHE_DIR", str(tmp_path / "cache"))
    usd = tmp_path / "usd.csv"
    usd.write_text(f"{PUBLIC_HEADER}\n{DLC_USD}\n", encoding="utf-8")
    cny = tmp_path / "cny.csv"
    cny.write_text(f"{PUBLIC_HEADER}\n{DLC_CNY}\n{DSW_CNY}\n", encoding="utf-8")
    return {"USD": str(usd), "CNY": str(cny)}


def test_dlc_usd_example_is_billed_below_the_cent(catalogs, tmp_path):
    # DLC billing page: 1 x 0.6/60 x 1.25 = 0.0125 USD (1 min 15 s)
    quote = price_order("cn-shanghai", "ecs.g6.2xlarge", 1, minutes="1.25", catalog=catalogs["USD"])
    assert quote.amount == Decimal("0.0125")
    assert quote.decimals == 4
    assert quote.formula == "1 x 0.60 USD/hour x 1.25 minutes / 60 = 0.0125 USD"


def test_dlc_cny_example_is_billed_to_three_places(catalogs):
    # Chinese DLC billing page: 2.02/60 x 1.25 = 0.0420833... shown as 0.042 CNY
    quote = price_order("cn-shanghai", "ecs.g6.2xlarge", 1, minutes="1.25", catalog=catalogs["CNY"])
    assert quote.amount == Decimal("0.042")
    assert quote.formula.endswith("= 0.042 CNY")


def test_dsw_example(catalogs):
    # DSW billing page: DSW 2.0 ecs.g6.large, 0.05 CNY/hour for 10 hours = 0.5 CNY
    quote = price_order("cn-hangzhou", "ecs.g6.large", 1, minutes=600, catalog=catalogs["CNY"])
    assert quote.amount == Decimal("0.500")
    assert quote.formula == "1 x 0.05 CNY/hour x 600 minutes / 60 = 0.500 CNY"


def test_public_decimals_is_a_parameter(catalogs):
    # the bill's own rounding of sub-cent lines is unconfirmed: 0.0125 to the cent
    # rounds half up to 0.01, and 0.0420833 to 6 places is 0.042083
    cents = price_order(
        "cn-shanghai",
        "ecs.g6.2xlarge",
        1,
        minutes="1.25",
        catalog=catalogs["USD"],
        public_decimals=2,
    )
    assert cents.amount == Decimal("0.01")
    six = price_order(
        "cn-shanghai",
        "ecs.g6.2xlarge",
        1,
        minutes="1.25",
        catalog=catalogs["CNY"],
        public_decimals=6,
    )
    assert six.amount == Decimal("0.042083")


@pytest.mark.parametrize("bad", [1, 7, 2.5, True, "4"])
def test_bad_public_decimals_is_refused_by_name(catalogs, bad):
    with pytest.raises(InputError, match="public_decimals"):
        price_order(
            "cn-shanghai",
            "ecs.g6.2xlarge",
            1,
            minutes=1,
            catalog=catalogs["USD"],
            public_decimals=bad,
        )


def test_node_spec_bills_stay_at_the_cent(tmp_path, monkeypatch):
    # the billing page's Lingjun pay-as-you-go example: 0.73 x 45 = 32.85 USD, whatever
    # --public-decimals says
    from pai_model import paths

    monkeypatch.setenv("PAI_COST_CACHE_DIR", str(tmp_path))
    quote = price_order(
        "cn-wulanchabu",
        "ml.gu7xf.8xlarge-gu108",
        1,
        minutes=45,
        catalog=paths.DOCUMENTED_CATALOG,
        public_decimals=6,
    )
    assert (quote.amount, quote.decimals) == (Decimal("32.85"), 2)
    assert quote.formula == "1 x 0.73 USD/minute x 45 minutes = 32.85 USD"
