"""Report file names: Unicode titles kept, and two different reports never share a name."""

from __future__ import annotations

import hashlib
import re
import shlex

import pytest

from pai_model.cli import main
from pai_model.display.reports.parameters import check_parameters, report_stem
from pai_model.errors import PaiModelError, ReportError

DEFAULTS = {"title": "Break-even", "hours_per_month": 730}


def stem(**parameters):
    return report_stem("breakeven_by_region", parameters, DEFAULTS)


def test_titles_in_chinese_keep_their_letters_and_differ():
    # 华北报告 (North China report) and 华南报告 (South China report) once both became
    # "title-empty", and the second report replaced the first
    assert stem(title="华北报告") == "breakeven_by_region__title-华北报告"
    assert stem(title="华南报告") == "breakeven_by_region__title-华南报告"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Q3 / draft", "Q3 - draft"),
        ("!!!", "???"),
        ("a b", "a  b"),
        ("€100", "$100"),
        ("x", "x!"),
        ("😀", "😁"),
    ],
)
def test_titles_that_differ_only_in_punctuation_or_symbols_get_different_names(one, other):
    assert stem(title=one) != stem(title=other)


def test_a_lossy_title_ends_in_the_hash_of_its_text():
    # sha256("Q3 / draft") from hashlib, independent of the kit: c68052a5...
    digest = hashlib.sha256(b"Q3 / draft").hexdigest()[:8]
    assert digest == "c68052a5"
    assert stem(title="Q3 / draft") == "breakeven_by_region__title-Q3-draft-c68052a5"


def test_a_long_unicode_title_fits_a_file_name_in_bytes():
    # 300 three-byte letters (900 bytes) would exceed the 255-byte limit of a file name
    name = stem(title="报" * 300)
    assert len(name.encode()) <= 180
    assert name.startswith("breakeven_by_region__title-报报")
    assert stem(title="报" * 300 + "告") != name  # the end still tells them apart


def test_the_same_title_gets_the_same_name():
    # a report re-rendered with the same parameters replaces its earlier self
    assert stem(title="华北报告 Q3") == stem(title="华北报告 Q3")


@pytest.mark.parametrize(
    ("name", "values", "message"),
    [
        # the embedded catalog sells no hardware key "gu108" (its keys: gu7xf-8xGU108, ...)
        (
            "project_length",
            {"region_id": "cn-beijing", "hardware": "gu108"},
            "hardware: the embedded catalog has no 'gu108'",
        ),
        (
            "project_length",
            {"region_id": "cn-mars"},
            "region_id: the embedded catalog has no 'cn-mars'",
        ),
        (
            "breakeven_by_region",
            {"regions": ["cn-beijing", "cn-mars"]},
            "regions: the embedded catalog has no 'cn-mars'",
        ),
        (
            "breakeven_by_region",
            {"hardware": ["gu7xf-8xGU108", "h100"]},
            "hardware: the embedded catalog has no 'h100'",
        ),
        (
            "commitment_plan",
            {"pair": "cn-beijing/gu9"},
            "pair: the embedded catalog has no 'cn-beijing/gu9' (did you mean",
        ),
        (
            "breakeven_by_region",
            {"usage_hours_per_day": "25"},
            "usage_hours_per_day: must be finite and not negative and at most 24; got 25.0",
        ),
        ("project_length", {"hours_per_day": "-1"}, "hours_per_day: must be finite"),
        ("breakeven_by_region", {"hours_per_month": "0"}, "hours_per_month:"),
        ("commitment_plan", {"months": "0"}, "months: must be 1 to 120 months; got 0"),
        ("commitment_plan", {"months": "121"}, "months: must be 1 to 120 months; got 121"),
        (
            "commitment_plan",
            {"payg_percent_off": "100"},
            "payg_percent_off: must be a percentage from 0 to below 100; got 100.0",
        ),
        (
            "commitment_plan",
            {"growth_low": "2", "growth_high": "1.5"},
            "growth_low: must not be above growth_high",
        ),
        ("commitment_plan", {"scenarios": "-1"}, "scenarios: must be 0 to 100,000 scenarios"),
        ("project_length", {"nodes": "0"}, "nodes: must be 1 to 100,000 nodes; got 0"),
        ("project_length", {"max_days": "0"}, "max_days: must be above 0; got 0.0"),
        ("fleet_plan", {"overhead_minutes": "-5"}, "overhead_minutes: must be 0 or more"),
        ("recommendation", {"lookback": "0"}, "lookback: must be 1 to 3,660 days; got 0"),
        (
            "recommendation",
            {"usage": "no/such/bills.csv"},
            "usage: 'no/such/bills.csv' is no file or folder, nor 'sample' or 'synthetic'",
        ),
        ("recommendation", {"held": "no/such/held.csv"}, "held: 'no/such/held.csv' does not exist"),
        ("backtest", {"horizon": "0"}, "horizon: must be 1 to 120 months; got 0"),
    ],
)
def test_bad_values_fail_before_the_kernel(name, values, message):
    with pytest.raises(PaiModelError) as caught:
        check_parameters(name, values)
    text = str(caught.value)
    assert text.startswith(message) or f": {message}" in text, text
    assert "\n" not in text


def test_values_the_catalog_sells_pass_and_defaults_are_not_rechecked(tmp_path):
    assert check_parameters(
        "project_length", {"region_id": "cn-beijing", "hardware": "gu7xf-8xGU108", "nodes": "4"}
    ) == {"region_id": "cn-beijing", "hardware": "gu7xf-8xGU108", "nodes": 4}
    assert check_parameters("recommendation", {"usage": "synthetic", "lookback": "60"}) == {
        "usage": "synthetic",
        "lookback": 60,
    }
    folder = tmp_path / "bills"
    folder.mkdir()
    assert check_parameters("recommendation", {"usage": str(folder)}) == {"usage": str(folder)}


def test_a_relative_usage_path_is_made_absolute(tmp_path, monkeypatch):
    # the kernel runs in the notebooks' folder: a path relative to the caller must not reach it
    (tmp_path / "bills").mkdir()
    monkeypatch.chdir(tmp_path)
    checked = check_parameters("recommendation", {"usage": "bills"})
    assert checked == {"usage": str(tmp_path.resolve() / "bills")}


def help_examples(capsys) -> list[list[str]]:
    """The `pai-cost report ...` examples of `pai-cost report --help`, as argument lists."""
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    epilog = capsys.readouterr().out.split("Examples:")[1]
    joined = re.sub(r"\\\n\s*", "", epilog)
    return [
        shlex.split(line.split("pai-cost ", 1)[1])
        for line in joined.splitlines()
        if line.strip().startswith("pai-cost report")
    ]


def test_the_help_examples_pass_the_checks(capsys, tmp_path, monkeypatch):
    examples = help_examples(capsys)
    assert len(examples) == 2, examples
    # the second example's params.yaml, as the help text spells it out
    (tmp_path / "params.yaml").write_text("region_id: cn-beijing\nhardware: gu7xf-8xGU108\n")
    monkeypatch.chdir(tmp_path)
    from pai_model.cli.report import gather_parameters

    for argv in examples:
        name = argv[1]
        pairs = [tuple(argv[i + 1 : i + 3]) for i, a in enumerate(argv) if a == "-p"]
        yaml = [argv[i + 1] for i, a in enumerate(argv) if a == "-y"]
        files = [argv[i + 1] for i, a in enumerate(argv) if a == "-f"]
        check_parameters(name, gather_parameters(pairs, yaml, files))


@pytest.mark.slow
def test_the_project_length_help_example_renders(capsys, tmp_path, monkeypatch):
    argv = help_examples(capsys)[1]
    (tmp_path / "params.yaml").write_text("region_id: cn-beijing\nhardware: gu7xf-8xGU108\n")
    monkeypatch.chdir(tmp_path)
    assert main([*argv, "--quiet", "--out", str(tmp_path / "out")]) == 0
    written = capsys.readouterr().out.strip()
    # the hardware is the default one, so the name leaves it out
    assert written.endswith("/project_length__nodes-4__region_id-cn-beijing.html")


def test_the_cli_says_one_line_and_exits_2_before_any_kernel(capsys, tmp_path, monkeypatch):
    from pai_model.display.reports import render

    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started for bad parameters")

    monkeypatch.setattr(render, "_execute", no_kernel)
    status = main(["report", "project_length", "-p", "hardware", "gu108", "--out", str(tmp_path)])
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith("pai-cost: error: hardware: the embedded catalog has no 'gu108'")
    assert err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []  # no run folder, no file


def test_report_error_is_the_kit_error():
    assert issubclass(ReportError, PaiModelError)


@pytest.mark.parametrize(("name", "got"), [(None, "NoneType"), (b"x", "bytes"), (["x"], "list")])
def test_a_report_name_that_is_not_text_names_the_argument(name, got, tmp_path):
    from pai_model.display.reports.render import render_report

    with pytest.raises(TypeError) as refused:
        render_report(name, out_dir=tmp_path / "out", progress=False)
    assert str(refused.value) == f"name must be a report notebook's name (str); got {got}"
    assert not (tmp_path / "out").exists()
