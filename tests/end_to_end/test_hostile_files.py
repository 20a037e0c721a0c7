"""Hostile files given to any command: one ``pai-cost: error:`` line per problem, exit 2.

Each case runs :func:`pai_model.cli.main` in this process, with a per-test timeout: a
special file (a FIFO with no writer, ``/dev/zero``) that a reader waited on would hang
the test, and an exception escaping ``main`` would fail it.
"""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from cli_runs import LINGJUN_PAYG_QUOTE
from fake_alibaba import use_no_credentials

from pai_model import paths
from pai_model.cli import main

#: Every command that reads a file, with {f} where the hostile file goes.
READERS = [
    ["reconcile", "{f}"],
    ["reconcile", "{f}", "--by", "line"],
    ["backtest", "{f}"],
    [*LINGJUN_PAYG_QUOTE, "--catalog", "{f}"],
    ["bill", "{f}"],
    ["plan", "{f}"],
    ["plan", "synthetic", "--held", "{f}"],
    ["recommend", "{f}"],
    ["breakeven", "--catalog", "{f}"],
    ["catalog", "check", "{f}"],
    ["report", "breakeven_by_region", "-p", "catalog", "{f}"],
    ["report", "breakeven_by_region", "-f", "{f}"],
]


@pytest.fixture
def quiet(tmp_path, monkeypatch):
    use_no_credentials(monkeypatch, tmp_path)
    monkeypatch.setenv("PAI_COST_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def run(argv: list[str], capsys) -> tuple[int, list[str]]:
    try:
        status = main(argv)
    except SystemExit as exit_:
        status = exit_.code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, [line for line in err.splitlines() if not line.startswith("pai-cost: note:")]


def ids(cases: list[list[str]]) -> list[str]:
    return [" ".join(a for a in argv if a not in LINGJUN_PAYG_QUOTE[1:]) for argv in cases]


@pytest.mark.timeout(30)
@pytest.mark.parametrize("argv", READERS, ids=ids(READERS))
@pytest.mark.parametrize("special", ["fifo", "/dev/zero"])
def test_a_fifo_or_a_device_is_refused_by_every_reader(quiet, capsys, argv, special):
    if special == "fifo":
        target = quiet / "input.csv"
        os.mkfifo(target)
        kind = "a FIFO"
    else:
        target, kind = special, "a device"
    status, err = run([a.replace("{f}", str(target)) for a in argv], capsys)
    assert status == 2
    assert any(f"{target}: not a regular file ({kind}); give a file" in line for line in err), err
    assert all(line.startswith("pai-cost: error: ") for line in err), err


@pytest.mark.timeout(30)
def test_a_fifo_inside_a_folder_or_a_glob_is_refused(quiet, capsys):
    bills = quiet / "bills"
    bills.mkdir()
    os.mkfifo(bills / "2026-05.csv")
    for source in (bills, bills / "*.csv"):
        status, err = run(["reconcile", str(source)], capsys)
        assert status == 2
        assert (
            err[-1] == f"pai-cost: error: {bills / '2026-05.csv'}: not a regular file (a FIFO);"
            " give a file"
        )


@pytest.mark.timeout(30)
@pytest.mark.parametrize("command", ["reconcile", "backtest", "recommend", "plan"])
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_web_url_is_refused_without_a_connection(quiet, capsys, command, scheme):
    import socket

    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(0.2)
        url = f"{scheme}://127.0.0.1:{server.getsockname()[1]}/bills.csv"
        status, err = run([command, url], capsys)
        with pytest.raises(TimeoutError):
            server.accept()  # nothing connected
    assert status == 2
    assert err[-1] == (
        f"pai-cost: error: {url}: the kit does not read {scheme}:// URLs (only local files and"
        " oss:// URLs); download the file and give its path"
    )


def corrupt_zip(folder) -> str:
    """A zip of the sample FOCUS export whose deflated bytes are flipped (zlib fails)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2026-05.csv", (paths.SAMPLE_DIR / "focus_sample.csv").read_bytes())
    data = bytearray(buffer.getvalue())
    start = 30 + len("2026-05.csv")  # the local header, then the compressed bytes
    data[start + 10 : start + 200] = bytes(b ^ 0xFF for b in data[start + 10 : start + 200])
    path = folder / "bills.zip"
    path.write_bytes(bytes(data))
    return str(path)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("command", ["reconcile", "backtest", "recommend"])
def test_a_corrupt_zip_is_one_problem_naming_the_member(quiet, capsys, command):
    path = corrupt_zip(quiet)
    status, err = run([command, path], capsys)
    assert status == 2
    assert (
        f"pai-cost: error: {path}!2026-05.csv: cannot be read, damaged (Error -3 while"
        " decompressing data" in err[-1]
    )


def parquet_bytes() -> bytes:
    import pandas as pd

    buffer = io.BytesIO()
    frame = pd.read_csv(paths.SAMPLE_DIR / "focus_sample.csv", dtype=str, nrows=200)
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


@pytest.mark.timeout(60)
@pytest.mark.parametrize("damage", ["truncated", "footer"])
@pytest.mark.parametrize("command", ["reconcile", "backtest", "recommend"])
def test_a_damaged_parquet_file_is_one_problem(quiet, capsys, command, damage):
    data = parquet_bytes()
    if damage == "truncated":
        data = data[: len(data) // 2]
    else:  # the footer's metadata overwritten, its length and magic bytes kept
        data = data[:-200] + b"\x00" * 192 + data[-8:]
    path = quiet / "bills.parquet"
    path.write_bytes(data)
    status, err = run([command, str(path)], capsys)
    assert status == 2
    assert "not a readable Parquet file" in err[-1], err
    assert str(path) in err[-1]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("command", ["reconcile", "bill"])
def test_focus_out_is_checked_before_the_work(quiet, capsys, command):
    source = str(paths.SAMPLE_DIR / "focus_sample.csv")
    if command == "bill":
        source = str(quiet / "orders.csv")
        (quiet / "orders.csv").write_text(
            "region_id,spec,quantity,billing_method,months,minutes\n"
            "cn-wulanchabu,ml.gu7xf.8xlarge-gu108,1,payg,,45\n",
            encoding="utf-8",
        )
    for target, words in [
        (quiet, f"--focus-out: {quiet} is a folder; give a file name"),
        (quiet / "missing" / "out.csv", f"the folder {quiet / 'missing'} does not exist"),
    ]:
        status = main([command, source, "--focus-out", str(target)])
        captured = capsys.readouterr()
        assert status == 2
        assert captured.out == ""  # refused before anything was priced or printed
        assert words in captured.err.splitlines()[-1]
