"""Hostile prices in GetSubscriptionPrice answers, through the fake server and the real SDK."""

from __future__ import annotations

import pytest
from fake_alibaba import LINGJUN, REGION, running_fake, served_account, use_test_credentials

from pai_model.cli import main


def fetch(fake, tmp_path, capsys):
    """Run ``pai-cost catalog fetch`` in-process: (status, stdout, stderr, out path)."""
    target = tmp_path / "prices.csv"
    argv = ["catalog", "fetch", "--region", REGION, "--out", str(target),
            "--backoff", "0.01", "--max-rate", "1000", *fake.endpoint_args()]  # fmt: skip
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err, target


@pytest.mark.parametrize(
    ("trade", "message"),
    [
        (1e300, "TradePrice = 1e+300 is not a price (more than 15 whole digits)"),
        (10**39 + 7, f"TradePrice = {10**39 + 7} is not a price (more than 15 whole digits)"),
        (1e-300, "TradePrice (1 Month) is below 0.000001: 0 at 6 decimals, not a price to bill"),
    ],
)
def test_an_absurd_trade_price_is_one_line_naming_the_offer(
    monkeypatch, tmp_path, capsys, trade, message
):
    use_test_credentials(monkeypatch)
    with running_fake(account=True) as fake:
        served_account(fake)
        (key,) = [k for k in fake.subscription if k[2] == LINGJUN and k[3] == "Month"]
        fake.subscription[key]["TradePrice"] = trade
        status, _out, err, target = fetch(fake, tmp_path, capsys)
    assert status == 2
    assert "Traceback" not in err
    assert f"pai-cost: error: cn-wulanchabu {LINGJUN}: price: {message}" in err.splitlines()
    assert not target.exists()
