"""The billing page's three worked examples (DOMAIN.md, the golden values) as a table of
orders: 2 x 78.94 USD/month x 1 month = 157.88 USD (general, cn-shanghai), 2 x 23,932.70
USD/month x 1 month = 47,865.40 USD (Lingjun, cn-wulanchabu) and 1 x 0.73 USD/minute x 45
minutes = 32.85 USD (Lingjun pay-as-you-go). As command lines: ``cli_runs.GENERAL_QUOTE``
and ``cli_runs.LINGJUN_PAYG_QUOTE``.
"""

from __future__ import annotations

import pandas as pd


def golden_orders() -> pd.DataFrame:
    """The three examples as orders, in the page's order (a new frame on each call)."""
    return pd.DataFrame(
        {
            "region_id": ["cn-shanghai", "cn-wulanchabu", "cn-wulanchabu"],
            "spec": ["ecs.g7.xlarge-4c16g", "ml.gu7xf.c96m1600.8-gu108", "ml.gu7xf.8xlarge-gu108"],
            "quantity": [2, 2, 1],
            "billing_method": ["subscription", "subscription", "payg"],
            "months": [1, 1, None],
            "minutes": [None, None, 45],
        }
    )
