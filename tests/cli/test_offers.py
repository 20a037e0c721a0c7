"""``pai-cost offers`` and :func:`pai_model.data.offer_list.list_offers`: every node you can
buy, cheapest pay-as-you-go GPU-hour first; one meaning of "N offers" everywhere; prices
fetched from an account labelled as account prices."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from cli_runs import run_main
from fake_alibaba import running_fake, use_test_credentials

from pai_model import paths
from pai_model.cli import main
from pai_model.data.catalog import read_catalog
from pai_model.data.offer_list import OFFER_LIST_COLUMNS, list_offers
from pai_model.errors import InputError

DOCUMENTED = str(paths.DOCUMENTED_CATALOG)


def test_the_billing_pages_offers_per_node_and_per_gpu_hour(capsys):
    status, out, err = run_main(capsys, "offers", "--catalog", DOCUMENTED, "--format", "json")
    assert status == 0, err
    rows = json.loads(out)
    assert [r["spec"] for r in rows] == [
        "ml.gu7xf.8xlarge-gu108",  # 0.73 x 60 = 43.80 a node-hour, / 8 GPUs = 5.475
        "ml.gu7xf.c96m1600.8-gu108",  # subscription only: after every pay-as-you-go price
        "ecs.g7.xlarge-4c16g",  # a CPU node, subscription only
    ]
    payg, lingjun, general = rows
    assert (payg["payg_price_per_node_hour"], payg["payg_price_per_gpu_hour"]) == (
        "43.800000",
        "5.475000",
    )
    # 23,932.70 / 730 / 8 = 4.0980650... half up to 6 places
    assert lingjun["subscription_price_per_gpu_hour"] == "4.098065"
    assert lingjun["subscription_price_per_node_month"] == "23932.700000"
    # break-even: 23,932.70 / (43.80 x 730) = 0.748505
    assert payg["break_even_utilization"] == lingjun["break_even_utilization"] == 0.748505
    assert payg["break_even_with"] == "ml.gu7xf.c96m1600.8-gu108"
    assert general["payg_price_per_node_hour"] is None and general["break_even_utilization"] is None
    assert general["subscription_price_per_node_month"] == "78.940000"
    assert list(rows[0]) == list(OFFER_LIST_COLUMNS)
    assert "pai-cost: note: 3 offers: 3 documented, 0 illustrative." in err


def test_filters_and_the_cheapest_first_order():
    catalog = read_catalog()
    offers = list_offers(catalog, gpu="gu108:8", in_stock=True, today=date(2026, 12, 1))
    assert set(offers["gpu_model"]) == {"GU108"} and set(offers["gpu_count"]) == {8}
    assert offers["in_stock"].all()
    priced = [p for p in offers["payg_price_per_gpu_hour"] if p is not None]
    assert priced == sorted(priced) and priced[0] == Decimal("5.475000")
    lingjun = list_offers(catalog, regions=["cn-wulanchabu"], resource_type="lingjun")
    assert set(lingjun["region_id"]) == {"cn-wulanchabu"} and set(lingjun["resource_type"]) == {
        "lingjun"
    }
    out_of_stock = list_offers(catalog)
    assert len(out_of_stock) == len(catalog) > len(list_offers(catalog, in_stock=True))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"gpu": "GU108:eight"}, "write MODEL or MODEL:COUNT"),
        ({"gpu": "H100"}, "'H100' is not a GPU model of the catalog; it has GU108"),
        ({"regions": ["mars-1"]}, "mars-1 not in the catalog"),
    ],
)
def test_bad_filters_are_the_kits_errors(options, message):
    with pytest.raises(InputError, match=re.escape(message)):
        list_offers(read_catalog(), **options)


def test_csv_and_table(capsys):
    status, out, _ = run_main(
        capsys, "offers", "--gpu", "GU108", "--region", "cn-wulanchabu", "--format", "csv"
    )
    assert status == 0
    table = pd.read_csv(io.StringIO(out), dtype=str)
    assert table.loc[0, "payg_price_per_gpu_hour"] == "5.475000"
    status, out, _ = run_main(capsys, "offers", "--gpu", "GU108", "--region", "cn-wulanchabu")
    assert "ml.gu7xf.8xlarge-gu108" in out and "5.475" in out and "74.9%" in out
    status, _, err = run_main(capsys, "offers", "--gpu", "x:y")
    assert status == 2 and "pai-cost: error: --gpu: write MODEL or MODEL:COUNT" in err


def test_one_count_of_offers_in_catalog_check_breakeven_plan_and_offers(capsys):
    # the demo catalog: 142 rows, each one offer (one spec in one region with its prices)
    demo = str(paths.DEFAULT_CATALOG)
    _, out, _ = run_main(capsys, "catalog", "check", demo)
    assert "OK: 142 offers: 3 documented, 139 illustrative." in out
    _, _, err = run_main(capsys, "breakeven", "--catalog", demo)
    assert "pai-cost: note: 142 offers: 3 documented, 139 illustrative." in err
    _, _, err = run_main(capsys, "plan", "synthetic", "--catalog", demo, "--scenarios", "0")
    assert "139 of the 142 offers the plans use have illustrative prices" in err
    _, _, err = run_main(capsys, "offers", "--catalog", demo)
    assert "pai-cost: note: 142 offers: 3 documented, 139 illustrative." in err
    # a selection counts the offers it uses, by the same rule: the documented catalog's
    # break-even table pairs 2 of its 3 offers (the general spec has no public resource)
    _, _, err = run_main(capsys, "breakeven", "--catalog", DOCUMENTED)
    assert err.count("offers:") == 0  # no illustrative price, no note


@pytest.fixture
def fetched(tmp_path, monkeypatch, capsys):
    use_test_credentials(monkeypatch)
    with running_fake(account=True) as fake:
        target = tmp_path / "prices.csv"
        status = main(fake.catalog_fetch_args(target))
        capsys.readouterr()
        assert status == 0
    return target


def test_prices_fetched_from_the_account_are_account_prices(fetched, capsys):
    catalog = read_catalog(fetched)
    assert set(catalog["provenance"]) == {"account"}
    status, out, err = run_main(capsys, "offers", "--catalog", fetched, "--format", "json")
    assert status == 0, err
    assert {r["provenance"] for r in json.loads(out)} == {"account"}
    _, out, _ = run_main(capsys, "catalog", "check", fetched)
    assert "0 documented, 2 from the account, 0 illustrative" in out
