"""pai-cost catalog check: a valid catalog is summed up, every problem of a bad one listed."""

from __future__ import annotations

from cli_runs import pai_cost

from pai_model import paths

DOCUMENTED = str(paths.DOCUMENTED_CATALOG)


def test_catalog_check(tmp_path):
    ok = pai_cost("catalog", "check", DOCUMENTED)
    assert ok.returncode == 0
    assert ok.stdout.strip().endswith(
        "OK: 3 offers: 3 documented, 0 illustrative. 2 regions, 0 out of stock."
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "region_id,resource_type,spec,subscription_price_per_month,currency,source,as_of\n"
        "cn-shanghai,general,ecs.a,abc,USD,x,2026-01-01\n"
        "cn-shanghai,gpu,b,1,USD,x,2026-01-01\n"
    )
    result = pai_cost("catalog", "check", str(bad))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"pai-cost: error: 2 problems in {bad}:"
    assert f"{bad}: line 2: subscription_price_per_month = 'abc'" in lines[1]
    assert f"{bad}: line 3: resource_type = 'gpu'" in lines[2]
