"""Billed rows to job records: a node count that is not a whole number is refused.

Synthetic FOCUS rows (labelled as such): one Committed row of the documented catalog's
ml.gu7xf.c96m1600.8-gu108 subscription for one day.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pai_model import paths
from pai_model.bills.usage import map_specs, usage_jobs
from pai_model.data.catalog import read_catalog
from pai_model.errors import UsageError

DOCUMENTED = read_catalog(paths.DOCUMENTED_CATALOG)


def _committed(nodes):
    rows = pd.DataFrame(
        {
            "RegionId": "cn-wulanchabu",
            "SkuId": "ml.gu7xf.c96m1600.8-gu108",
            "ListCost": "47865.40",
            "BillingCurrency": "USD",
            "ChargeCategory": "Usage",
            "PricingCategory": "Committed",
            "PricingQuantity": "2",
            "PricingUnit": "Node-Months",
            "ChargePeriodStart": pd.to_datetime(["2026-01-01"]),
            "ChargePeriodEnd": pd.to_datetime(["2026-01-02"]),
            "x_Nodes": pd.Series(nodes, dtype=object),
        }
    )
    return map_specs(rows, DOCUMENTED).rows


@pytest.mark.parametrize("nodes", [["true"], ["false"], [True], [np.True_], ["2.5"], ["1e400"]])
def test_x_nodes_not_a_count_refused_naming_the_value(nodes):
    with pytest.raises(UsageError) as error:
        usage_jobs(_committed(nodes))
    [message] = error.value.messages
    assert message.startswith(f"x_Nodes = {str(nodes[0])!r}: not a whole number of nodes")


def test_x_nodes_read_when_whole_and_one_when_empty():
    assert usage_jobs(_committed(["2"]))["nodes"].tolist() == [2]
    assert usage_jobs(_committed([None]))["nodes"].tolist() == [1]
