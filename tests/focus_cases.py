"""SYNTHETIC FOCUS 1.0, 1.1 and 1.2 rows for the tests: made up, not a real bill.

Columns as the FOCUS specification lists them (v1.0; the columns v1.1 and v1.2 added,
per /work/shared/ALIBABA_APIS.md section 4), cost columns as decimal text. PAI rows are
priced from the billing page's pay-as-you-go example (DOMAIN.md): ``ml.gu7xf.8xlarge-gu108``
in ``cn-wulanchabu`` at 0.73 USD per minute, so 45 minutes list at 32.85 USD.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

LABEL = "# SYNTHETIC FOCUS rows written by the tests (tests/focus_cases.py), not a real bill\n"
PAI_SPEC, PAI_REGION = "ml.gu7xf.8xlarge-gu108", "cn-wulanchabu"
#: Columns FOCUS 1.1 added, and 1.2 (the spec's column lists at tags v1.1 and v1.2).
V1_1 = {
    "CapacityReservationId": None,
    "CapacityReservationStatus": None,
    "CommitmentDiscountQuantity": None,
    "CommitmentDiscountUnit": None,
    "ServiceSubcategory": "AI Platforms",
    "SkuMeter": "Compute Usage",
    "SkuPriceDetails": '{"GPU": "GU108"}',
}
V1_2 = {
    "BillingAccountType": "Billing Account",
    "SubAccountType": "Account",
    "InvoiceId": "INV-SYNTHETIC-1",
    "PricingCurrency": "USD",
    "PricingCurrencyContractedUnitPrice": None,
    "PricingCurrencyEffectiveCost": "0.1000000000000000000001",
    "PricingCurrencyListUnitPrice": "0.73",
}


def row(**changes: object) -> dict:
    """One FOCUS 1.0 row: 45 PAI node-minutes in January 2026 (32.85 USD), then ``changes``."""
    base = {
        "BilledCost": "32.85",
        "EffectiveCost": "32.85",
        "ListCost": "32.85",
        "ContractedCost": None,
        "ListUnitPrice": "0.73",
        "ContractedUnitPrice": None,
        "PricingQuantity": "45",
        "PricingUnit": "Node-Minutes",
        "ConsumedQuantity": None,
        "ConsumedUnit": None,
        "ChargePeriodStart": "2026-01-10T00:00:00Z",
        "ChargePeriodEnd": "2026-01-10T00:45:00Z",
        "BillingPeriodStart": "2026-01-01T00:00:00Z",
        "BillingPeriodEnd": "2026-02-01T00:00:00Z",
        "ChargeCategory": "Usage",
        "ChargeClass": None,
        "ChargeFrequency": "Usage-Based",
        "PricingCategory": "Standard",
        "ResourceId": "synthetic-node-1",
        "ResourceType": "PAI Lingjun node",
        "SkuId": PAI_SPEC,
        "RegionId": PAI_REGION,
        "RegionName": "China (Ulanqab)",
        "ServiceName": "Platform for AI",
        "ServiceCategory": "AI and Machine Learning",
        "ProviderName": "Alibaba Cloud",
        "PublisherName": "Alibaba Cloud",
        "InvoiceIssuerName": "Alibaba Cloud",
        "BillingAccountId": "1000000000000000",
        "BillingAccountName": "synthetic account",
        "BillingCurrency": "USD",
        "ChargeDescription": None,
        "x_CommodityCode": "learn_computinginstance_public_intl",
    }
    base.update(changes)
    return base


def ecs(**changes: object) -> dict:
    """An ECS row of the same account: 720 instance-hours (synthetic amounts)."""
    return row(
        **dict(
            BilledCost="100.00",
            EffectiveCost="100.00",
            ListCost="100.00",
            ListUnitPrice="0.1389",
            PricingQuantity="720",
            PricingUnit="Hours",
            SkuId="ecs.g7.xlarge",
            ChargePeriodStart="2026-01-01T00:00:00Z",
            ChargePeriodEnd="2026-01-31T00:00:00Z",
            ServiceName="Elastic Compute Service",
            ServiceCategory="Compute",
            ResourceType="ECS instance",
            x_CommodityCode="ecs",
        )
        | changes
    )


def oss(**changes: object) -> dict:
    """An OSS row of the same account: 50 GB-Months (synthetic amounts)."""
    return row(
        **dict(
            BilledCost="1.00",
            EffectiveCost="1.00",
            ListCost="1.00",
            ListUnitPrice="0.02",
            PricingQuantity="50",
            PricingUnit="GB-Months",
            SkuId="oss.standard",
            ServiceName="Object Storage Service",
            ServiceCategory="Storage",
            ResourceType="OSS bucket",
            x_CommodityCode="oss",
        )
        | changes
    )


#: The billing period of February 2026 (a row's ``changes``: billed a month later).
FEBRUARY = {
    "BillingPeriodStart": "2026-02-01T00:00:00Z",
    "BillingPeriodEnd": "2026-03-01T00:00:00Z",
}


def refund(**changes: object) -> dict:
    """A correction refunding 15 of the PAI node-minutes: -15 x 0.73 = -10.95 USD."""
    return row(
        **dict(
            ChargeClass="Correction",
            PricingQuantity="-15",
            BilledCost="-10.95",
            ListCost="-10.95",
            EffectiveCost="-10.95",
        )
        | changes
    )


def credit(**changes: object) -> dict:
    """A one-time credit of 5.00 USD: no quantity, no price."""
    return row(
        **dict(
            ChargeCategory="Credit",
            ChargeFrequency="One-Time",
            BilledCost="-5.00",
            EffectiveCost="-5.00",
            ListCost="-5.00",
            ListUnitPrice=None,
            PricingQuantity=None,
            PricingUnit=None,
        )
        | changes
    )


def table(rows: list[dict], version: str = "1.0") -> pd.DataFrame:
    """The rows as a FOCUS ``version`` table: the 1.0 columns, then those 1.1 and 1.2 added
    (their values from :data:`V1_1`, :data:`V1_2`), then the ``x_`` columns."""
    frame = pd.DataFrame(rows)
    own = [c for c in frame.columns if c.startswith("x_")]
    added = {**V1_1, **(V1_2 if version == "1.2" else {})} if version != "1.0" else {}
    for column, value in added.items():
        frame[column] = value
    return frame[[c for c in frame.columns if c not in own] + own]


def write(frame: pd.DataFrame, path: Path) -> Path:
    """``frame`` as a CSV file labelled SYNTHETIC (a ``#`` line the kit's reader skips)."""
    path.write_text(LABEL + frame.to_csv(index=False))
    return path
