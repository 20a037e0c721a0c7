"""One atomic file writer: outputs checked before the work, written whole or not at all."""

from __future__ import annotations

import os
import re
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


# --- the one place inputs are opened -------------------------------------------------


def special_files(tmp_path):
    """A FIFO with no writer, a device that never ends, a socket and a folder."""
    import socket

    fifo = tmp_path / "bills.csv"
    os.mkfifo(fifo)
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(tmp_path / "sock.csv"))
    return [
        (fifo, "not a regular file (a FIFO); give a file"),
        (Path("/dev/zero"), "not a regular file (a device); give a file"),
        (tmp_path / "sock.csv", "not a regular file (a socket); give a file"),
        (tmp_path, "is a directory; give a file"),
        (tmp_path / "missing.csv", "no such file"),
    ], listening


@pytest.mark.timeout(20)
def test_open_input_refuses_what_is_not_a_regular_file_at_once(tmp_path):
    from pai_model.data.files import open_input, read_input
    from pai_model.errors import CatalogError, TableError

    cases, listening = special_files(tmp_path)
    with listening:
        for path, words in cases:
            with pytest.raises(CatalogError) as refused:
                read_input(path, error=CatalogError)
            assert refused.value.messages == [f"{path}: {words}"]
            with pytest.raises(TableError, match=re.escape(words)), open_input(path):
                pass
    regular = tmp_path / "prices.csv"
    regular.write_bytes(b"a,b\n1,2\n")
    assert read_input(regular) == b"a,b\n1,2\n"
    assert read_input(f"file://{regular}") == b"a,b\n1,2\n"


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("http://127.0.0.1:{port}/bill.csv", "http:// URLs"),
        ("https://127.0.0.1:{port}/bill.csv", "https:// URLs"),
        ("ftp://127.0.0.1:{port}/bill.csv", "ftp:// URLs"),
        ("s3://bucket/bill.csv", "s3:// URLs"),
        ("simplecache::http://127.0.0.1:{port}/bill.csv", "chained URLs"),
    ],
)
def test_urls_other_than_oss_are_refused_before_any_connection(url, scheme):
    """A listening socket on 127.0.0.1 sees no connection: nothing is fetched."""
    import socket

    from pai_model.data.files import read_input
    from pai_model.errors import TableError

    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(0.2)
        given = url.format(port=server.getsockname()[1])
        with pytest.raises(TableError) as refused:
            read_input(given)
        assert refused.value.messages == [
            f"{given}: the kit does not read {scheme} (only local files and oss:// URLs);"
            " download the file and give its path"
        ]
        with pytest.raises(TimeoutError):
            server.accept()


@pytest.mark.parametrize(
    "path", ["prices\x00.csv", b"prices\x00.csv", "file:///tmp/prices\x00.csv", Path("a\x00b")]
)
def test_a_path_holding_a_nul_is_the_kits_error_naming_the_file(path):
    """os.open would raise a bare ValueError ("embedded null byte"); the kit names the file."""
    from pai_model.data.files import open_input, read_input
    from pai_model.errors import CatalogError, TableError

    with pytest.raises(CatalogError) as refused:
        read_input(path, name="the catalog", error=CatalogError)
    assert refused.value.messages == [
        "the catalog: the path holds a NUL character, which no file name can; give a file"
    ]
    with pytest.raises(TableError, match="NUL character"), open_input(path):
        pass
