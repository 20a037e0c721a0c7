"""``read_usage`` of a real-shaped FOCUS export (SYNTHETIC rows, tests/focus_cases.py): the
notes ``plan`` and ``recommend`` show say the file's FOCUS version and, in one line, which
lines were set aside and why."""

from __future__ import annotations

from focus_cases import ecs, oss, row, table, write

from pai_model import paths
from pai_model.data.catalog import read_catalog
from pai_model.decisions.usage_history import read_usage


def test_the_notes_say_the_version_and_what_was_set_aside(tmp_path):
    rows = [row(), ecs(), oss(), oss(), row(ChargeClass="Correction", PricingQuantity="-5")]
    path = write(table(rows, "1.1"), tmp_path / "bill.csv")
    history = read_usage(str(path), read_catalog(paths.DOCUMENTED_CATALOG))
    assert history.notes[0] == f"{path}: FOCUS 1.1 export (told by its columns)"
    (aside,) = history.notes[1:]
    # 1 PAI usage line of 5 is planned: 45 node-minutes
    assert aside.startswith(f"{path}: 4 of 5 lines set aside, not planned: ")
    assert "2 lines: not Alibaba Cloud PAI (Alibaba Cloud / Object Storage Service)" in aside
    assert "1 lines: not Alibaba Cloud PAI (Alibaba Cloud / Elastic Compute Service)" in aside
    assert "1 lines: a correction of an earlier charge" in aside
    demand = history.demand
    minutes = ((demand["end"] - demand["start"]).dt.total_seconds() / 60 * demand["nodes"]).sum()
    assert minutes == 45.0
