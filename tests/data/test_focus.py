"""FOCUS 1.0, 1.1 and 1.2 files (SYNTHETIC, tests/focus_cases.py) through ``read_focus``:
the version told by the columns, the columns 1.1 and 1.2 added kept as their exact text,
unknown columns named once, and a file without Alibaba Cloud PAI rows refused plainly."""

from __future__ import annotations

import warnings

import pytest
from focus_cases import V1_1, V1_2, ecs, oss, row, table, write

from pai_model.data.focus import read_focus
from pai_model.errors import KeptColumnsWarning, UsageError


def _read(path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rows = read_focus(path)
    return rows, [w for w in caught if issubclass(w.category, KeptColumnsWarning)]


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_each_version_is_read_and_told(tmp_path, version):
    path = write(table([row(), row(BilledCost="30.00")], version), tmp_path / "bill.csv")
    rows, kept = _read(path)
    assert rows.attrs["focus_version"] == version
    assert len(rows) == 2 and rows["BilledCost"].tolist() == ["32.85", "30.00"]
    added = {"1.0": {}, "1.1": V1_1, "1.2": {**V1_1, **V1_2}}[version]
    # every column the version added is kept (and no other), after the FOCUS 1.0 columns
    assert [c for c in rows.columns if c in {**V1_1, **V1_2}] == list(added)
    assert rows.columns[-1] == "x_CommodityCode"
    assert kept == []  # nothing unknown: no warning


def test_columns_of_1_2_keep_their_exact_text(tmp_path):
    # 22 significant digits: a float would give 0.1
    path = write(table([row()], "1.2"), tmp_path / "bill.csv")
    rows, _ = _read(path)
    assert rows.loc[0, "PricingCurrencyEffectiveCost"] == "0.1000000000000000000001"
    assert rows.loc[0, "InvoiceId"] == "INV-SYNTHETIC-1"
    assert rows.loc[0, "SkuPriceDetails"] == '{"GPU": "GU108"}'


def test_unknown_columns_are_kept_and_named_once_in_one_warning(tmp_path):
    frame = table([row()], "1.2")
    frame.insert(3, "ContractApplied", "x")
    frame.insert(4, "HostProviderName", "Alibaba Cloud")
    frame.insert(5, "BiledCost", "1")
    rows, kept = _read(write(frame, tmp_path / "bill.csv"))
    assert len(kept) == 1, [str(w.message) for w in kept]
    message = str(kept[0].message)
    assert message.endswith(
        "3 columns the kit does not know, kept as they are: ContractApplied,"
        " HostProviderName, BiledCost"
    )
    # each named once; the list of known columns is not repeated per column
    assert message.count("BiledCost") == 1 and "known:" not in message
    assert rows.loc[0, "ContractApplied"] == "x"


def test_a_mixed_export_is_read_whole(tmp_path):
    # the reader keeps every row: reconcile and plan pick the PAI rows
    rows, _ = _read(write(table([row(), ecs(), oss()], "1.1"), tmp_path / "bill.csv"))
    assert rows["ServiceName"].tolist() == [
        "Platform for AI",
        "Elastic Compute Service",
        "Object Storage Service",
    ]


def _aws(**changes):
    return row(
        **dict(
            ProviderName="Amazon Web Services",
            PublisherName="Amazon Web Services",
            InvoiceIssuerName="Amazon Web Services",
            ServiceName="Amazon EC2",
            ServiceCategory="Compute",
            SkuId="t3.micro",
            RegionId="us-east-1",
            x_CommodityCode=None,
        )
        | changes
    )


def test_another_providers_file_that_breaks_the_rules_gets_one_plain_message(tmp_path):
    # SYNTHETIC AWS-like 1.2 rows, one with a value FOCUS 1.0 does not allow
    rows = [_aws(), _aws(ServiceName="Amazon S3", ServiceCategory="Storage"), _aws()]
    rows[1]["ChargeFrequency"] = "Monthly"
    path = write(table(rows, "1.2"), tmp_path / "aws.csv")
    with pytest.raises(UsageError) as caught:
        read_focus(path)
    assert caught.value.messages == [
        f"{path}: no Alibaba Cloud PAI rows: 3 rows of provider Amazon Web Services /"
        " services Amazon EC2, Amazon S3"
    ]


def test_a_pai_file_that_breaks_the_rules_still_lists_its_problems(tmp_path):
    broken = row(ChargeFrequency="Monthly")
    with pytest.raises(UsageError) as caught:
        read_focus(write(table([broken], "1.2"), tmp_path / "bill.csv"))
    assert "ChargeFrequency" in "\n".join(caught.value.messages)
    assert "no Alibaba Cloud PAI rows" not in "\n".join(caught.value.messages)
