"""Quotes of public resources (DLC, DSW): billed below the cent, as Alibaba's examples show.

Golden values are Alibaba's own worked examples, each cited beside it; the catalogs are
written here from those documented prices.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from pai_model.bills.quotes import price_order
from pai_model.errors import InputError

HEADER = "region_id,resource_type,spec,payg_price_per_hour,currency,in_stock,source,as_of"
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
    usd.write_text(f"{HEADER}\n{DLC_USD}\n", encoding="utf-8")
    cny = tmp_path / "cny.csv"
    cny.write_text(f"{HEADER}\n{DLC_CNY}\n{DSW_CNY}\n", encoding="utf-8")
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
        "cn-shanghai", "ecs.g6.2xlarge", 1, minutes="1.25", catalog=catalogs["USD"],
        public_decimals=2,
    )  # fmt: skip
    assert cents.amount == Decimal("0.01")
    six = price_order(
        "cn-shanghai", "ecs.g6.2xlarge", 1, minutes="1.25", catalog=catalogs["CNY"],
        public_decimals=6,
    )  # fmt: skip
    assert six.amount == Decimal("0.042083")


@pytest.mark.parametrize("bad", [1, 7, 2.5, True, "4"])
def test_bad_public_decimals_is_refused_by_name(catalogs, bad):
    with pytest.raises(InputError, match="public_decimals"):
        price_order(
            "cn-shanghai", "ecs.g6.2xlarge", 1, minutes=1, catalog=catalogs["USD"],
            public_decimals=bad,
        )  # fmt: skip


def test_node_spec_bills_stay_at_the_cent(tmp_path, monkeypatch):
    # the billing page's Lingjun pay-as-you-go example: 0.73 x 45 = 32.85 USD, whatever
    # --public-decimals says
    from pai_model import paths

    monkeypatch.setenv("PAI_COST_CACHE_DIR", str(tmp_path))
    quote = price_order(
        "cn-wulanchabu", "ml.gu7xf.8xlarge-gu108", 1, minutes=45,
        catalog=paths.DOCUMENTED_CATALOG, public_decimals=6,
    )  # fmt: skip
    assert (quote.amount, quote.decimals) == (Decimal("32.85"), 2)
    assert quote.formula == "1 x 0.73 USD/minute x 45 minutes = 32.85 USD"
