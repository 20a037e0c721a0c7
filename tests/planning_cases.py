"""Shared cases of the planner's tests: a pair, a start time, tiny catalogs and jobs."""

from __future__ import annotations

import pandas as pd

REGION, HARDWARE = "cn-wulanchabu", "gu7xf-8xGU108"
T0 = pd.Timestamp("2026-01-01")
MONTH = 43_800  # minutes in a 730-hour month


def catalog_of(subscription: float, payg: float, pairs=((REGION, HARDWARE),)) -> pd.DataFrame:
    """A minimal catalog in read_catalog's shape: one row offering both methods per pair."""
    rows = [
        {
            "region_id": region,
            "region_name": region,
            "resource_type": "lingjun",
            "spec": hardware,
            "hardware": hardware,
            "subscription_price_per_month": subscription,
            "payg_price_per_minute": payg,
            "currency": "USD",
            "in_stock": True,
            "subscription_in_stock": True,
            "payg_in_stock": True,
            "source": "test",
            "as_of": pd.Timestamp("2026-01-01"),
            "note": "",
            "provenance": "documented",
        }
        for region, hardware in pairs
    ]
    return pd.DataFrame(rows)


def jobs_of(rows, region=REGION, hardware=HARDWARE) -> pd.DataFrame:
    """Jobs from (start minute, end minute, nodes) relative to T0."""
    return pd.DataFrame(
        {
            "start": [T0 + pd.Timedelta(minutes=s) for s, _, _ in rows],
            "end": [T0 + pd.Timedelta(minutes=e) for _, e, _ in rows],
            "region_id": region,
            "hardware": hardware,
            "nodes": [n for _, _, n in rows],
        }
    )
