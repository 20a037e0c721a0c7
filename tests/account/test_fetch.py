"""A fetched spec without ``IsAvailable`` is written as stock unknown, never as in stock.

The account is the fake OpenAPI server's (real HTTP, the official SDK), serving the
billing page's prices (``served_account``) and synthetic ``ml.test.N`` specs.
"""

from __future__ import annotations

import pandas as pd
import pytest
from fake_alibaba import REGION, running_fake, served_account, use_test_credentials

from pai_model.cli import main
from pai_model.data.catalog import read_catalog
from pai_model.data.offer_list import list_offers


@pytest.fixture
def fake():
    with running_fake(account=True) as server:
        yield server


@pytest.fixture(autouse=True)
def credentials(monkeypatch):
    use_test_credentials(monkeypatch)


def test_a_spec_without_is_available_is_stock_unknown(fake, tmp_path, capsys):
    served_account(fake, extra_lingjun=3)  # ml.test.0 and .2 available, .1 not
    del fake.dlc_specs["Lingjun"][3]["IsAvailable"]  # ml.test.2: the API says nothing
    target = tmp_path / "prices.csv"
    argv = ["catalog", "fetch", "--region", REGION, "--out", str(target), "--backoff", "0.01",
            "--max-rate", "1000", *fake.endpoint_args()]  # fmt: skip
    assert main(argv) == 0, capsys.readouterr().err
    written = pd.read_csv(target, dtype=str, comment="#").set_index("spec")["in_stock"]
    assert written[["ml.test.0", "ml.test.1", "ml.test.2"]].tolist() == ["true", "false", "unknown"]
    catalog = read_catalog(target).set_index("spec")
    assert catalog.loc["ml.test.2", "stock_known"] == False  # noqa: E712 (numpy bool)
    assert catalog.loc["ml.test.0", "stock_known"] == True  # noqa: E712
    capsys.readouterr()

    # the offers table shows it as unknown; --in-stock leaves it out, with the known ones in
    assert main(["offers", "--catalog", str(target), "--gpu", "gu30"]) == 0
    out = capsys.readouterr().out
    shown = {line.split()[1]: line for line in out.splitlines() if "ml.test." in line}
    assert "unknown" in shown["ml.test.2"] and "unknown" not in shown["ml.test.0"]
    offers = list_offers(read_catalog(target), gpu="gu30", in_stock=True)
    assert sorted(offers["spec"]) == ["ml.test.0"]
    everything = list_offers(read_catalog(target), gpu="gu30").set_index("spec")
    assert everything.loc["ml.test.2", ["in_stock", "stock_known"]].tolist() == [True, False]
