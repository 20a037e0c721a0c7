"""Archives read in one pass: members joined when their headers agree, problems per member."""

from __future__ import annotations

import warnings
import zipfile

import pandas as pd
import pytest

from pai_model import paths
from pai_model.data.focus import read_focus
from pai_model.data.sources import PartReader, expand
from pai_model.errors import UsageError

SAMPLE = (paths.SAMPLE_DIR / "focus_sample.csv").read_bytes().splitlines(keepends=True)
HEAD, ROWS = b"".join(SAMPLE[:2]), SAMPLE[2:]  # the SYNTHETIC comment, the header


def quiet_read(source):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the sample's documented FOCUS deviations
        return read_focus(source)


def test_a_zip_of_members_reads_as_the_same_rows_in_one_file(tmp_path):
    """SYNTHETIC rows: 40 members of 3 sample lines each, against one file of them all."""
    bodies = [b"".join(ROWS[3 * i : 3 * i + 3]) for i in range(40)]
    one = tmp_path / "one.csv"
    one.write_bytes(HEAD + b"".join(bodies))
    archive = tmp_path / "bills.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as packed:
        for i, body in enumerate(bodies):
            # a member without its final line end, and one with a byte order mark
            text = HEAD + (body.rstrip(b"\n") if i == 5 else body)
            packed.writestr(f"m{i:02d}.csv", b"\xef\xbb\xbf" + text if i == 7 else text)
    got = quiet_read(archive)
    pd.testing.assert_frame_equal(got, quiet_read(one), check_exact=True)
    assert len(got) == 120
    assert got.attrs["parts"] == [f"{archive}!m{i:02d}.csv" for i in range(40)]


def test_a_problem_names_its_member_and_the_member_s_own_line(tmp_path):
    # member b.csv: comment (1), header (2), good row (3), bad ListCost (4)
    assert HEAD.splitlines()[1].split(b",")[2] == b"ListCost"
    fields = ROWS[1].split(b",")
    good, bad = ROWS[0], b",".join([*fields[:2], b"not-a-cost", *fields[3:]])
    archive = tmp_path / "bills.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        packed.writestr("a.csv", HEAD + good + good)
        packed.writestr("b.csv", HEAD + good + bad)
        packed.writestr("c.csv", HEAD + bad)
    with pytest.raises(UsageError) as refused:
        quiet_read(archive)
    messages = refused.value.messages
    assert f"{archive}!b.csv: line 4: ListCost = 'not-a-cost': " in messages[0]
    assert f"{archive}!c.csv: line 3: ListCost = 'not-a-cost': " in messages[1]
    assert len(messages) == 2, messages


def test_members_with_other_headers_are_read_apart(tmp_path):
    other = HEAD.rstrip(b"\r\n") + b",x_Note\n"
    archive = tmp_path / "bills.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        packed.writestr("a.csv", HEAD + ROWS[0])
        packed.writestr("b.csv", other + ROWS[1].rstrip(b"\r\n") + b",kept\n")
        packed.writestr("c.csv", HEAD + ROWS[2])
    got = quiet_read(archive)
    assert len(got) == 3
    assert got["x_Note"].tolist()[1] == "kept"
    assert got["x_Note"].isna().tolist() == [True, False, True]


def test_the_reader_opens_an_archive_once_for_its_members(tmp_path, monkeypatch):
    import pai_model.data.sources as sources

    archive = tmp_path / "bills.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        for i in range(50):
            packed.writestr(f"m{i:02d}.csv", HEAD + ROWS[i])
    parts = expand(archive)  # lists the members (one open of its own)
    assert len(parts) == 50
    opened = []
    real = sources.open_input
    monkeypatch.setattr(sources, "open_input", lambda *a, **k: opened.append(a) or real(*a, **k))
    with PartReader() as reader:
        data = [reader.read(part) for part in parts]
    assert data[3] == HEAD + ROWS[3]
    assert len(opened) == 1
