"""Orders whose numbers are not what they look like: booleans are not node counts.

The catalog is the embedded 'documented' one (the billing page's 78.94 USD/month
``ecs.g7.xlarge-4c16g`` in cn-shanghai).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pai_model import paths
from pai_model.bills.orders import price_orders
from pai_model.data.catalog import read_catalog
from pai_model.errors import OrderError

DOCUMENTED = read_catalog(paths.DOCUMENTED_CATALOG)


def _orders(quantity=(2,), months=None):
    base = {
        "region_id": "cn-shanghai",
        "spec": "ecs.g7.xlarge-4c16g",
        "quantity": quantity,
        "billing_method": "subscription",
        "months": [1] * len(quantity) if months is None else months,
    }
    return pd.DataFrame(base)


@pytest.mark.parametrize(
    "quantity",
    [[True], [np.True_], [True, 2], pd.array([True], dtype="boolean"), ["true"], ["false"]],
    ids=["bool", "numpy-bool", "bool-among-ints", "boolean-dtype", "text-true", "text-false"],
)
def test_boolean_quantity_refused_naming_column_and_value(quantity):
    with pytest.raises(OrderError) as error:
        price_orders(_orders(quantity=quantity), DOCUMENTED)
    message = error.value.messages[0]
    assert message.startswith("orders: line 2: quantity = ")
    assert "'True'" in message or "'true'" in message or "'false'" in message


def test_boolean_months_refused():
    with pytest.raises(OrderError, match="months = 'True'"):
        price_orders(_orders(months=[True]), DOCUMENTED)


def test_whole_numbers_among_objects_still_priced():
    # 2 x 78.94 = 157.88 and 1 x 78.94 (the billing page's example price)
    bill = price_orders(_orders(quantity=pd.Series([2, 1], dtype=object)), DOCUMENTED)
    assert bill.lines["amount_minor"].tolist() == [15_788, 7_894]
