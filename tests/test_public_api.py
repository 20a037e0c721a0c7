"""Every public function given None, a wrong type or an empty input: the kit's error or a
TypeError, never an AttributeError, KeyError or numpy's words from inside, never a hang."""

from __future__ import annotations

import inspect
import warnings
from decimal import Decimal

import pandas as pd
import pytest

import pai_model
from pai_model import paths
from pai_model.data.catalog import read_catalog
from pai_model.errors import CatalogError, OrderError, PaiModelError

BAD = {
    "None": None,
    "int": 123,
    "list": [1],
    "bytes": b"x",
    "empty DataFrame": pd.DataFrame(),
    "empty Series": pd.Series([], dtype=float),
}


def functions():
    for name in pai_model.__all__:
        value = getattr(pai_model, name)
        if callable(value) and not inspect.isclass(value):
            required = [
                p
                for p in inspect.signature(value).parameters.values()
                if p.default is inspect.Parameter.empty
                and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            ]
            if required:
                yield name, len(required)


@pytest.mark.timeout(120)
@pytest.mark.parametrize(("name", "count"), list(functions()))
def test_bad_arguments_raise_the_kit_s_error_or_a_type_error(name, count):
    function = getattr(pai_model, name)
    for label, value in BAD.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                function(*[value] * count)
            except (PaiModelError, TypeError):
                continue
            except Exception as error:
                pytest.fail(f"{name}({label}): {type(error).__name__}: {error}")


ORDER = {
    "region_id": ["cn-wulanchabu"],
    "spec": ["ml.gu7xf.8xlarge-gu108"],
    "quantity": [1],
    "billing_method": ["payg"],
    "months": [None],
}


def test_price_orders_takes_decimal_objects_and_a_catalog_path():
    orders = pd.DataFrame({**ORDER, "minutes": [Decimal("45")]})
    # the billing page's example: 1 node x 0.73 USD/minute x 45 minutes = 32.85 USD
    for catalog in (read_catalog(paths.DOCUMENTED_CATALOG), "documented", paths.DOCUMENTED_CATALOG):
        bill = pai_model.price_orders(orders, catalog)
        assert bill.lines["amount_minor"].tolist() == [3285]
    with pytest.raises(OrderError, match="minutes"):
        pai_model.price_orders(orders.assign(minutes=[Decimal("45.0001")]), "documented")


def test_price_orders_refuses_an_empty_catalog_and_a_wrong_type():
    orders = pd.DataFrame({**ORDER, "minutes": [45]})
    with pytest.raises(CatalogError, match="missing required column 'region_id'"):
        pai_model.price_orders(orders, pd.DataFrame())
    with pytest.raises(TypeError, match=r"^catalog must be a DataFrame from read_catalog"):
        pai_model.price_orders(orders, 5)
    with pytest.raises(TypeError, match=r"^orders must be a DataFrame"):
        pai_model.price_orders(None, "documented")


@pytest.mark.parametrize("argument", ["region_id", "spec"])
def test_price_order_names_a_region_or_spec_that_is_not_text(argument):
    given = {"region_id": "cn-wulanchabu", "spec": "ml.gu7xf.8xlarge-gu108", argument: None}
    with pytest.raises(TypeError, match=f"^{argument} must be text"):
        pai_model.price_order(given["region_id"], given["spec"], 1, minutes=45)


@pytest.mark.parametrize("source", [123, pd.DataFrame(), ["a.csv"], b"a.csv", None])
def test_read_focus_names_its_source_argument(source):
    with pytest.raises(TypeError, match=r"^source must be a path or a URL"):
        pai_model.read_focus(source)


def test_subscription_end_of_nothing_is_nothing():
    ends = pai_model.subscription_end(pd.Series([], dtype="datetime64[ns]"), 1)
    assert isinstance(ends, pd.Series) and ends.empty
    assert len(pai_model.subscription_end([], 1)) == 0
