"""One atomic file writer: outputs checked before the work, written whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pai_model import paths
from pai_model.cli import main
from pai_model.data.files import check_output, replacing, write_text
from pai_model.errors import InputError

DOCUMENTED = str(paths.DOCUMENTED_CATALOG)
ORDERS = (
    "region_id,spec,quantity,billing_method,months,minutes\n"
    "cn-wulanchabu,ml.gu7xf.8xlarge-gu108,1,payg,,45\n"
)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


def test_a_folder_a_missing_folder_and_a_fifo_are_refused(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for path, words in [
        (tmp_path, "is a folder; give a file name"),
        (tmp_path / "missing" / "out.csv", f"the folder {tmp_path / 'missing'} does not exist"),
        (fifo, "is not a regular file"),
    ]:
        with pytest.raises(InputError, match=words):
            check_output(path, "--out")
    assert check_output(tmp_path / "new.csv") == tmp_path / "new.csv"


@pytest.mark.parametrize("failure", [OSError("disk full"), KeyboardInterrupt()])
def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, failure):
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    with pytest.raises((InputError, KeyboardInterrupt)), replacing(target) as temporary:
        temporary.write_text("half")
        raise failure
    assert target.read_text() == "old\n"
    assert leftovers(tmp_path) == []


def test_a_refused_check_leaves_the_old_file(tmp_path):
    target = tmp_path / "catalog.csv"
    target.write_text("old\n")

    def refuse(path: Path) -> None:
        assert path.read_text() == "new\n"  # the check sees the whole new file
        raise ValueError("not a catalog")

    with pytest.raises(ValueError, match="not a catalog"):
        write_text(target, "new\n", check=refuse)
    assert target.read_text() == "old\n"
    assert leftovers(tmp_path) == []


def test_a_new_file_gets_the_permissions_of_a_new_file(tmp_path):
    write_text(tmp_path / "a.txt", "x")
    with open(tmp_path / "b.txt", "w") as plain:
        plain.write("x")
    assert os.stat(tmp_path / "a.txt").st_mode == os.stat(tmp_path / "b.txt").st_mode


@pytest.mark.parametrize("command", ["bill", "reconcile", "plan"])
@pytest.mark.parametrize("where", ["folder", "missing folder"])
def test_focus_out_is_checked_before_the_work(tmp_path, capsys, command, where):
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS)
    source = {
        "bill": str(orders),
        "reconcile": str(paths.SAMPLE_DIR / "focus_sample.csv"),
        "plan": "synthetic",
    }[command]
    out = tmp_path if where == "folder" else tmp_path / "missing" / "rows.csv"
    assert main([command, source, "--catalog", DOCUMENTED, "--focus-out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # refused before anything was priced or printed
    (error,) = [line for line in captured.err.splitlines() if "error" in line]
    assert error.startswith(f"pai-cost: error: --focus-out: {out}")
    assert "Traceback" not in captured.err
    assert leftovers(tmp_path) == []


def test_focus_out_replaces_the_file_whole(tmp_path, capsys):
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS)
    out = tmp_path / "rows.csv"
    out.write_text("an earlier file\n")
    assert main(["bill", str(orders), "--catalog", DOCUMENTED, "--focus-out", str(out)]) == 0
    capsys.readouterr()
    text = out.read_text()
    # 1 x 0.73 x 45 = 32.85 (billing page), written as FOCUS BilledCost
    assert text.startswith("BilledCost,") and "\n32.85," in text
    assert leftovers(tmp_path) == []


def test_usage_out_is_checked_before_any_request(tmp_path, capsys, monkeypatch):
    # no credentials and no server: the output is refused first, in one line
    for name in ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"):
        monkeypatch.delenv(name, raising=False)
    status = main(
        [
            "usage",
            "jobs",
            "--region",
            "cn-wulanchabu",
            "--start",
            "2026-01-01",
            "--end",
            "2026-01-02",
            "--out",
            str(tmp_path),
        ]
    )
    assert status == 2
    assert f"--out: {tmp_path} is a folder; give a file name" in capsys.readouterr().err
