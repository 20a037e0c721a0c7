"""A catalog's stock: true, false, or unknown (never read as in stock without saying so).

The catalog is the embedded 'documented' one with its stock columns changed (synthetic).
"""

from __future__ import annotations

import pytest

from pai_model import paths
from pai_model.data.catalog import read_catalog
from pai_model.errors import CatalogError

DOCUMENTED = read_catalog(paths.DOCUMENTED_CATALOG).drop(
    columns=["provenance", "stock_known", "subscription_in_stock", "payg_in_stock"]
)


def test_unknown_stock_is_compared_but_not_known():
    table = DOCUMENTED.assign(in_stock=["unknown", "false", "TRUE"])
    catalog = read_catalog(table)
    assert catalog["in_stock"].tolist() == [True, False, True]
    assert catalog["stock_known"].tolist() == [False, True, True]
    # a method's own stock inherits the unknown, or overrides it
    assert catalog["subscription_in_stock"].tolist() == [True, False, True]
    known = read_catalog(table.assign(subscription_in_stock="true", payg_in_stock="true"))
    assert known["stock_known"].tolist() == [True, True, True]
    payg_unknown = read_catalog(table.assign(in_stock="true", payg_in_stock="unknown"))
    assert payg_unknown["stock_known"].tolist() == [False, False, False]


def test_a_loaded_catalog_read_again_keeps_saying_unknown():
    catalog = read_catalog(DOCUMENTED.assign(in_stock=["unknown", "true", "true"]))
    again = read_catalog(catalog.drop(columns="provenance").assign(in_stock=catalog["in_stock"]))
    assert again["stock_known"].tolist() == [False, True, True]


@pytest.mark.parametrize("word", ["maybe", "2", "n/a"])
def test_other_stock_words_refused(word):
    with pytest.raises(CatalogError, match=f"in_stock = '{word}': not a boolean"):
        read_catalog(DOCUMENTED.assign(in_stock=word))
