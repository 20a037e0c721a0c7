"""Write the embedded demo catalog: the documented offers verbatim plus an ILLUSTRATIVE price
list (pai_model/data/catalogs/demo.csv).

No public PAI price list exists, so the demo catalog invents one, openly: every price
below that is not one of the billing page's three examples is derived from those
examples with the factors stated here, carries ``source=illustrative``, and is labelled
as illustrative by every output built on it. Run from the repository root::

    .venv/bin/python tools/make_demo_catalog.py

The output is deterministic (seeded); a test checks the committed file matches.
"""

from __future__ import annotations

import csv
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np

from pai_model.data.catalog import FILE_COLUMNS

#: Where the embedded catalogs live (package data of the kit).
CATALOGS = Path(__file__).resolve().parents[1] / "pai_model" / "data" / "catalogs"
SEED = 20261126
AS_OF = "2026-11-26"  # the day this illustrative list was made

#: Region id -> (name, subscription factor, pay-as-you-go factor), relative to the region
#: whose price the billing page documents (Ulanqab for Lingjun, Shanghai for general).
#: Invented for illustration: they only make regions differ plausibly.
LINGJUN_REGIONS = {
    "cn-wulanchabu": ("China (Ulanqab)", 1.00, 1.00),
    "cn-hangzhou": ("China (Hangzhou)", 1.08, 1.05),
    "cn-shanghai": ("China (Shanghai)", 1.10, 1.04),
    "cn-beijing": ("China (Beijing)", 1.09, 1.08),
    "cn-shenzhen": ("China (Shenzhen)", 1.12, 1.10),
    "ap-southeast-1": ("Singapore", 1.30, 1.18),
}
GENERAL_REGIONS = {
    "cn-shanghai": ("China (Shanghai)", 1.00),
    "cn-hangzhou": ("China (Hangzhou)", 1.00),
    "cn-beijing": ("China (Beijing)", 1.02),
    "cn-wulanchabu": ("China (Ulanqab)", 0.92),
    "cn-shenzhen": ("China (Shenzhen)", 1.03),
    "ap-southeast-1": ("Singapore", 1.25),
    "cn-guangzhou": ("China (Guangzhou)", 1.02),
    "ap-northeast-1": ("Japan (Tokyo)", 1.35),
    "cn-hongkong": ("China (Hong Kong)", 1.30),
    "ap-southeast-3": ("Malaysia (Kuala Lumpur)", 1.20),
    "ap-southeast-5": ("Indonesia (Jakarta)", 1.22),
    "us-west-1": ("US (Silicon Valley)", 1.28),
    "us-east-1": ("US (Virginia)", 1.26),
    "eu-central-1": ("Germany (Frankfurt)", 1.32),
}

#: Documented unit prices (billing page, 2026-03-24) the illustrative ones derive from.
GU108_SUBSCRIPTION = Decimal("23932.70")  # ml.gu7xf.c96m1600.8-gu108, USD/month, Ulanqab
GU108_PAYG = Decimal("0.73")  # ml.gu7xf.8xlarge-gu108, USD/minute, Ulanqab
G7_XLARGE = Decimal("78.94")  # ecs.g7.xlarge-4c16g, USD/month, Shanghai

#: Lingjun node types (spec names from DOMAIN.md): (subscription spec, pay-as-you-go spec,
#: hardware key, vcpu, memory GiB, GPU model, GPU count, size factor against the GU108
#: node). Hardware facts only where the name states them ("" = not stated).
LINGJUN_NODES = [
    (
        "ml.gu7xf.c96m1600.8-gu108",
        "ml.gu7xf.8xlarge-gu108",
        "gu7xf-8xGU108",
        96,
        1600,
        "GU108",
        8,
        1.00,
    ),
    (
        "ml.gu8xf.8xlarge-gu108",
        "ml.gu8xf.8xlarge-gu108",
        "gu8xf-8xGU108",
        "",
        "",
        "GU108",
        "",
        1.12,
    ),
    ("ml.gu8tf.8.46xlarge", "ml.gu8tf.8.46xlarge", "gu8tf-8xGPU", "", "", "", 8, 1.35),
    ("ml.gp7vf.16.40xlarge", "ml.gp7vf.16.40xlarge", "gp7vf-16xAccelerator", "", "", "", 16, 1.60),
]
#: General computing specs (subscription only): (spec, vcpu, memory GiB, size factor
#: against ecs.g7.xlarge-4c16g).
GENERAL_NODES = [
    ("ecs.g7.xlarge-4c16g", 4, 16, 1.0),
    ("ecs.g7.2xlarge-8c32g", 8, 32, 2.0),
    ("ecs.g7.4xlarge-16c64g", 16, 64, 4.0),
    ("ecs.c7.8xlarge-32c64g", 32, 64, 6.6),
]
#: Illustrative year price = this many month prices. Invented (Alibaba documents no
#: year-term discount; query GetSubscriptionPrice with ServicePeriodUnit=Year): it only
#: lets the demo show the term comparison. Only the demo does this; the kit never derives
#: a year price.
YEAR_IN_MONTHS = Decimal("10.2")
#: DLC public resources (billing page example): ecs.g6.2xlarge, 8 vCPU, 0.6 USD/hour in
#: China (Shanghai). Illustrative public prices scale it by vCPU and region factor.
PUBLIC_PRICE_PER_HOUR = Decimal("0.6")
PUBLIC_VCPU = 8
#: Share of illustrative offers drawn out of stock (the page: "some node specifications may
#: be temporarily out of stock in certain regions").
OUT_OF_STOCK_SHARE = 0.12
#: Half-width of the seeded jitter on each illustrative price.
JITTER = 0.03

COLUMNS = list(FILE_COLUMNS)


def _price(base: Decimal, factor: float, places: str) -> str:
    return str((base * Decimal(repr(factor))).quantize(Decimal(places), rounding=ROUND_HALF_UP))


def _year(month: str) -> str:
    return str((Decimal(month) * YEAR_IN_MONTHS).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


YEAR_NOTE = f"; year price {YEAR_IN_MONTHS} x the month price (an invented year-term discount)"


def build_rows() -> list[dict[str, str]]:
    rng = np.random.default_rng(SEED)
    with open(CATALOGS / "documented.csv", newline="") as handle:
        documented = list(csv.DictReader(handle))
    taken = {(row["region_id"], row["spec"]) for row in documented}
    rows = list(documented)

    def illustrative(row: dict[str, object], note: str) -> None:
        if (row["region_id"], row["spec"]) in taken:
            return
        row.update(
            currency="USD",
            in_stock="false" if rng.random() < OUT_OF_STOCK_SHARE else "true",
            source="illustrative",
            as_of=AS_OF,
            note=f"ILLUSTRATIVE: {note}",
        )
        rows.append({k: str(row.get(k, "")) for k in COLUMNS})

    for region, (name, sub_factor, payg_factor) in LINGJUN_REGIONS.items():
        for sub_spec, payg_spec, hardware, vcpu, memory, gpu, count, size in LINGJUN_NODES:
            jitter, payg_jitter = (1 + rng.uniform(-JITTER, JITTER, size=2)).tolist()
            sub = _price(GU108_SUBSCRIPTION, size * sub_factor * jitter, "0.01")
            payg = _price(GU108_PAYG, size * payg_factor * payg_jitter, "0.0001")
            facts = dict(
                region_id=region,
                region_name=name,
                resource_type="lingjun",
                hardware=hardware,
                vcpu=vcpu,
                memory_gib=memory,
                gpu_model=gpu,
                gpu_count=count,
            )
            how = (
                f"GU108 example prices x size {size} x region factors {sub_factor}"
                f" (subscription), {payg_factor} (pay-as-you-go) x jitters {jitter:.4f},"
                f" {payg_jitter:.4f}"
            )
            subscription = {
                "subscription_price_per_month": sub,
                "subscription_price_per_year": _year(sub),
            }
            if sub_spec == payg_spec:
                illustrative(
                    {**facts, "spec": sub_spec, **subscription, "payg_price_per_minute": payg},
                    how + YEAR_NOTE,
                )
            else:
                illustrative({**facts, "spec": sub_spec, **subscription}, how + YEAR_NOTE)
                illustrative({**facts, "spec": payg_spec, "payg_price_per_minute": payg}, how)
    for region, (name, factor) in GENERAL_REGIONS.items():
        for spec, vcpu, memory, size in GENERAL_NODES:
            jitter = 1 + rng.uniform(-JITTER, JITTER)
            month = _price(G7_XLARGE, size * factor * jitter, "0.01")
            illustrative(
                dict(
                    region_id=region,
                    region_name=name,
                    resource_type="general",
                    spec=spec,
                    hardware=spec,
                    vcpu=vcpu,
                    memory_gib=memory,
                    gpu_count=0,
                    subscription_price_per_month=month,
                    subscription_price_per_year=_year(month),
                ),
                f"ecs.g7.xlarge example price x size {size} x region factor {factor}"
                f" x jitter {jitter:.4f}{YEAR_NOTE}",
            )
    # appended last, so the stock drawn for every row above is as it was before them
    for region, (name, factor) in GENERAL_REGIONS.items():
        for spec, vcpu, memory, _ in GENERAL_NODES:
            ratio = vcpu / PUBLIC_VCPU
            illustrative(
                dict(
                    region_id=region,
                    region_name=name,
                    resource_type="public",
                    spec=spec.rsplit("-", 1)[0],  # the ECS type, as DLC names it
                    hardware=spec,
                    vcpu=vcpu,
                    memory_gib=memory,
                    gpu_count=0,
                    payg_price_per_hour=_price(PUBLIC_PRICE_PER_HOUR, ratio * factor, "0.0001"),
                ),
                f"DLC public resource: the DLC example's 0.6 USD/hour for 8 vCPU x {vcpu}/8"
                f" vCPU x region factor {factor}; paired with the dedicated {spec} by hardware"
                " (an assumption)",
            )
    return rows


def main(out: Path = CATALOGS / "demo.csv") -> None:
    rows = build_rows()
    tmp = out.with_suffix(".csv.tmp")
    with open(tmp, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(out)
    print(f"wrote {out} ({len(rows)} offers)", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else CATALOGS / "demo.csv")
