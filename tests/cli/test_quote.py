"""``pai-cost quote`` refuses terms that cannot be bought (ALIBABA_APIS.md section 9)."""

from __future__ import annotations

import pytest
from cli_runs import argv, pai_cost

from pai_model.cli import main


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PAI_COST_CACHE_DIR", str(tmp_path / "cache"))


#: The billing page's general spec, 2 nodes, from the documented catalog; the term is added.
BASE = argv(
    "quote --region cn-shanghai --spec ecs.g7.xlarge-4c16g --quantity 2 --catalog documented"
)


def quote(*args: str) -> tuple[int, str, str]:
    result = pai_cost(*BASE, *args)
    return result.returncode, result.stdout, result.stderr


def test_quote_refuses_eleven_months_with_the_nearest_terms():
    status, out, err = quote("--months", "11")
    assert status == 2 and out == ""
    assert "a subscription of 11 months cannot be bought" in err
    assert "the nearest are 9 months or 1 year" in err
    assert "Traceback" not in err


def test_quote_refuses_seven_years_with_the_nearest_term():
    status, _, err = quote("--years", "7")
    assert status == 2
    assert "a subscription of 7 years cannot be bought" in err
    assert "the nearest is 5 years" in err


def test_quote_buys_a_buyable_term():
    # billing page: 78.94 USD/month x 2 nodes; 12 months by hand = 1,894.56
    status, out, _ = quote("--months", "12")
    assert status == 0
    assert "2 x 78.94 USD/month x 12 months = 1,894.56 USD" in out


def test_buyable_months_option_widens_the_set():
    # 78.94 x 2 x 11 = 1,736.68 by hand
    status, out, _ = quote("--months", "11", "--buyable-months", "1-12")
    assert status == 0 and "= 1,736.68 USD" in out
    status, _, err = quote("--months", "2", "--buyable-months", "2,3")
    assert status == 2 and "must include 1 month" in err


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
