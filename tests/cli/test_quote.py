"""``pai-cost quote`` of public resources: sub-cent bills and ``--public-decimals``."""

from __future__ import annotations

import pytest

from pai_model.cli import main

#: PAI DLC billing (en): ecs.g6.2xlarge in China (Shanghai) at 0.6 USD/hour; for 1 min
#: 15 s the page bills 1 x 0.6/60 x 1.25 = 0.0125 USD.
CATALOG = (
    "region_id,resource_type,spec,payg_price_per_hour,currency,in_stock,source,as_of\n"
    "cn-shanghai,public,ecs.g6.2xlarge,0.6,USD,true,PAI DLC billing (en),2026-12-06\n"
)
ORDER = ["quote", "--region", "cn-shanghai", "--spec", "ecs.g6.2xlarge", "--quantity", "1"]


@pytest.fixture
def catalog(tmp_path, monkeypatch):
    monkeypatch.setenv("PAI_COST_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "dlc.csv"
    path.write_text(CATALOG, encoding="utf-8")
    return str(path)


def test_quote_prints_the_dlc_example_below_the_cent(catalog, capsys):
    assert main([*ORDER, "--minutes", "1.25", "--catalog", catalog, "--max-age-days", "9999"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "1 x 0.60 USD/hour x 1.25 minutes / 60 = 0.0125 USD"


def test_public_decimals_option(catalog, capsys):
    argv = [*ORDER, "--minutes", "1.25", "--catalog", catalog, "--public-decimals", "2"]
    assert main(argv) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith("= 0.01 USD")


@pytest.mark.parametrize("bad", ["1", "7", "x", "2.5"])
def test_bad_public_decimals_is_one_line_and_status_2(catalog, capsys, bad):
    with pytest.raises(SystemExit) as exit_:
        main([*ORDER, "--minutes", "1", "--catalog", catalog, "--public-decimals", bad])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "argument --public-decimals:" in err
    assert "Traceback" not in err
