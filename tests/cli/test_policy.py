"""``pai-cost policy``: the least-privilege RAM policy, each action from a documented table."""

from __future__ import annotations

import json

import pytest

from pai_model.cli import main

#: The API the kit calls -> the RAM action its own "RAM authorization" table gives, and
#: whether that table was read (False: UNCONFIRMED). Written here from the sources:
#: - BssOpenApi 2017-12-14 RAM page
#:   (https://www.alibabacloud.com/help/en/user-center/developer-reference/api-bssopenapi-2017-12-14-ram)
#:   and "API调用授权" (https://help.aliyun.com/document_detail/139650.html):
#:   GetSubscriptionPrice and GetPayAsYouGoPrice -> bss:DescribePrice,
#:   DescribePricingModule -> bssapi:DescribePricingModule, QueryProductList -> bss:QueryProductList
#: - QueryInstanceBill's table says bss:DescribeBillList; DescribeInstanceBill's own: not read
#: - PAI-DLC ListJobs table: paidlc:ListJobs; ListEcsSpecs' own table: not read
#: - PAI-DSW ListEcsSpecs table: paidsw:ListEcsSpecs
#: - PaiStudio ListResourceGroupMachineGroups table: pai:ListResourceGroupMachineGroups;
#:   ListResourceGroups' own table: not read
EXPECTED = [
    ("bss:QueryProductList", True),
    ("bssapi:DescribePricingModule", True),
    ("bss:DescribePrice", True),
    ("bss:DescribeBillList", False),
    ("paidlc:ListEcsSpecs", False),
    ("paidlc:ListJobs", True),
    ("paidsw:ListEcsSpecs", True),
    ("pai:ListResourceGroups", False),
    ("pai:ListResourceGroupMachineGroups", True),
]


def test_policy_prints_the_exact_actions(capsys):
    assert main(["policy"]) == 0
    captured = capsys.readouterr()
    policy = json.loads(captured.out)  # valid JSON, nothing else on stdout
    assert policy["Version"] == "1"
    (statement,) = policy["Statement"]
    assert statement["Effect"] == "Allow"
    assert statement["Resource"] == "*"
    assert statement["Action"] == [action for action, _ in EXPECTED]


def test_unconfirmed_actions_are_comment_lines_on_stderr(capsys):
    assert main(["policy"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert all(line.startswith("# UNCONFIRMED: ") for line in lines)
    named = [line.split()[2] for line in lines]
    assert named == [action for action, confirmed in EXPECTED if not confirmed]


def test_policy_out_writes_the_same_json(tmp_path, capsys):
    out = tmp_path / "policy.json"
    assert main(["policy", "--out", str(out)]) == 0
    assert capsys.readouterr().out == ""
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["Statement"][0]["Action"] == [action for action, _ in EXPECTED]


def test_policy_out_to_a_folder_is_one_line_and_status_2(tmp_path, capsys):
    assert main(["policy", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pai-cost: error: --out:")
    assert "Traceback" not in err


def test_policy_help_has_an_example(capsys):
    with pytest.raises(SystemExit):
        main(["policy", "--help"])
    assert "example: pai-cost policy --out policy.json" in capsys.readouterr().out
