"""Report rendering: parameters checked before the kernel, HTML standalone, writes atomic.

The test catalog (tests/data/report_catalog.csv) has hand-checkable prices:
China (Beijing) gu108 17,520.00 USD/month against 0.50 USD/minute (illustrative), gpux
4,380.00 against 0.20 (illustrative, out of stock), and the billing page's Ulanqab pair
23,932.70 against 0.73 (documented).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import psutil  # ipykernel's own dependency: here to find and watch the kernel process
import pytest
from bs4 import BeautifulSoup
from cli_runs import Run, pai_cost

from pai_model.cli.report import gather_parameters
from pai_model.data.catalog import read_catalog
from pai_model.decisions.comparison import break_even_table
from pai_model.display.reports.parameters import check_parameters, list_notebooks, report_stem
from pai_model.display.reports.render import HIDE_TAG, render_report, to_html
from pai_model.errors import CatalogError, ReportError, ReportInterrupted

TEST_CATALOG = Path(__file__).resolve().parents[2] / "data" / "report_catalog.csv"


def scripts_with_src(html: str) -> list[str]:
    """The ``src`` of every script tag of a page, found by parsing it."""
    return [tag["src"] for tag in BeautifulSoup(html, "html.parser").find_all("script", src=True)]


def run_cli(*arguments: str, cwd: Path | None = None) -> Run:
    return pai_cost("report", *arguments, cwd=cwd)


# --- before any kernel --------------------------------------------------------------------


def test_list_notebooks_reads_the_parameters_cells():
    notebooks = list_notebooks()
    assert {"breakeven_by_region", "fleet_plan", "project_length"} <= set(notebooks)
    hours = notebooks["breakeven_by_region"]["hours_per_month"]
    assert (hours.type, hours.default, hours.default_value) == ("float", "730", 730)
    assert notebooks["breakeven_by_region"]["regions"].type == "list[str]"
    assert notebooks["fleet_plan"]["fleet"].is_path


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # text as typed after -p, read as papermill's -p reads it, then as the declared type
        ({"hours_per_month": "720"}, {"hours_per_month": 720.0}),  # float: a whole number
        ({"usage_hours_per_day": "12.5"}, {"usage_hours_per_day": 12.5}),
        ({"usage_hours_per_day": " 12 "}, {"usage_hours_per_day": 12.0}),  # int(" 12 ") = 12
        ({"title": "My 730 h report"}, {"title": "My 730 h report"}),
        ({"title": "730"}, {"title": "730"}),  # str: text stays text (not the int 730)
        ({"title": "None"}, {"title": "None"}),
        # Python values, as YAML gives them
        ({"hours_per_month": 720}, {"hours_per_month": 720.0}),
        ({"regions": ["cn-beijing", "cn-shanghai"]}, {"regions": ["cn-beijing", "cn-shanghai"]}),
        ({"regions": []}, {"regions": []}),
    ],
)
def test_check_parameters_converts_to_the_declared_types(values, expected):
    checked = check_parameters("breakeven_by_region", values)
    assert checked == expected
    assert [type(v) for v in checked.values()] == [type(v) for v in expected.values()]


def test_check_parameters_int_and_paths(tmp_path, monkeypatch):
    checked = check_parameters("project_length", {"nodes": "4", "max_days": 70})
    assert checked == {"nodes": 4, "max_days": 70.0}
    assert (type(checked["nodes"]), type(checked["max_days"])) == (int, float)
    monkeypatch.chdir(TEST_CATALOG.parent)
    # relative paths are the caller's, made absolute (the kernel runs in the notebooks' folder)
    given = {"catalog": TEST_CATALOG.name, "hardware": "gu108"}
    assert check_parameters("project_length", given) == {
        "catalog": str(TEST_CATALOG.resolve()),
        "hardware": "gu108",
    }
    # the notebook's default hardware (gu7xf-8xGU108) is not sold in that catalog: the run
    # would fail in the kernel, so it fails here, before it
    with pytest.raises(ReportError, match=r"hardware: the catalog report_catalog\.csv has no"):
        check_parameters("project_length", {"catalog": TEST_CATALOG.name})


def test_bool_dict_and_unhinted_parameters(tmp_path):
    # a notebook with the kinds of parameter the kit's notebooks do not have
    notebook = nbformat.v4.new_notebook(
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        }
    )
    cell = nbformat.v4.new_code_cell(
        "dry_run: bool = False  # skip the slow part\n"
        "limits: dict[str, int] = {}  # per-region node limits\n"
        "anything = 3  # no type hint: papermill passes any value"
    )
    cell.metadata["tags"] = ["parameters"]
    notebook.cells = [cell]
    nbformat.write(notebook, tmp_path / "kinds.ipynb")
    check = lambda values: check_parameters("kinds", values, notebook_dir=tmp_path)  # noqa: E731
    assert check({"dry_run": "True", "anything": "2.5"}) == {"dry_run": True, "anything": 2.5}
    assert check({"limits": {"cn-beijing": 4}, "anything": "x"}) == {
        "limits": {"cn-beijing": 4},
        "anything": "x",
    }
    with pytest.raises(ReportError) as caught:
        check({"dry_run": "true"})  # papermill's -p knows True and False only; YAML knows true
    assert str(caught.value) == "dry_run: expected bool, got 'true'"
    with pytest.raises(ReportError) as caught:
        check({"limits": "cn-beijing"})
    assert str(caught.value) == (
        "limits: expected dict[str, int], got 'cn-beijing'; give it as YAML, e.g. -y 'limits: {}'"
    )


@pytest.mark.parametrize(
    ("name", "values", "message"),
    [
        (
            "breakeven_by_region",
            {"hours_per_month": "abc"},
            "hours_per_month: expected float, got 'abc'",
        ),
        (
            "breakeven_by_region",
            {"hours_per_month": "nan"},
            "hours_per_month: expected float, got 'nan' (give a finite number)",
        ),
        (
            "breakeven_by_region",
            {"hours_per_month": True},
            "hours_per_month: expected float, got True",
        ),
        ("commitment_plan", {"months": "two"}, "months: expected int, got 'two'"),
        ("project_length", {"nodes": "2.5"}, "nodes: expected int, got '2.5'"),
        ("project_length", {"nodes": 2.0}, "nodes: expected int, got 2.0"),
        ("breakeven_by_region", {"title": 2024}, "title: expected str, got 2024"),
        (
            "breakeven_by_region",
            {"regions": "cn-beijing,cn-shanghai"},
            "regions: expected list[str], got 'cn-beijing,cn-shanghai'; give it as YAML,"
            " e.g. -y 'regions: [cn-beijing,cn-shanghai]'",
        ),
        ("breakeven_by_region", {"regions": [1, 2]}, "regions: expected list[str], got [1, 2]"),
        (
            "breakeven_by_region",
            {"hours": "720"},
            "notebook 'breakeven_by_region' has no parameter 'hours'; its parameters: catalog,"
            " regions, hardware, hours_per_month, usage_hours_per_day, title, export_dir",
        ),
        (
            "breakeven_by_region",
            {"hour_per_month": "720"},
            "notebook 'breakeven_by_region' has no parameter 'hour_per_month' (did you mean"
            " 'hours_per_month'?); its parameters: catalog,",
        ),
        (
            "breakeven_by_region",
            {"catalog": "no/such/file.csv"},
            "catalog: 'no/such/file.csv' does not exist",
        ),
        ("no_such_report", {}, "no notebook named 'no_such_report'"),
        ("../catalogs/demo", {}, "no notebook named '../catalogs/demo'"),
    ],
)
def test_bad_parameters_fail_before_the_kernel(name, values, message):
    with pytest.raises(ReportError) as caught:
        check_parameters(name, values)
    assert str(caught.value).startswith(message)


def test_gather_parameters_reads_files_then_yaml_then_pairs(tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text(
        "regions: [cn-beijing, cn-shanghai]\nhours_per_month: 720\ntitle: 2026-01-31\n"
    )
    as_json = tmp_path / "params.json"
    as_json.write_text('{"usage_hours_per_day": 6, "hours_per_month": 730}')
    gathered = gather_parameters(
        [("usage_hours_per_day", "12")],
        ["regions: [cn-hongkong]"],
        [params, as_json],
    )
    # later sources win: -f files in order, then -y, then -p; dates stay text (papermill's
    # loader); -p values stay text for check_parameters
    assert gathered == {
        "regions": ["cn-hongkong"],
        "hours_per_month": 730,
        "title": "2026-01-31",
        "usage_hours_per_day": "12",
    }
    assert check_parameters("breakeven_by_region", gathered) == {
        "regions": ["cn-hongkong"],
        "hours_per_month": 730.0,
        "title": "2026-01-31",
        "usage_hours_per_day": 12.0,
    }


@pytest.mark.parametrize(
    ("pairs", "yaml", "message"),
    [
        (
            [("a", "1"), ("a", "2")],
            [],
            "parameter 'a' given twice with -p; give each parameter once",
        ),
        (
            [],
            ["regions: [cn-beijing"],
            "-y 'regions: [cn-beijing' is not valid YAML: while parsing a flow sequence",
        ),
        (
            [],
            ["- cn-beijing"],
            "-y '- cn-beijing' is not a mapping of parameter names to values; write NAME: VALUE,"
            " e.g. -y 'regions: [cn-beijing]'",
        ),
    ],
)
def test_gather_parameters_errors(pairs, yaml, message):
    with pytest.raises(ReportError) as caught:
        gather_parameters(pairs, yaml)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_a_missing_parameters_file_is_a_report_error(tmp_path):
    missing = tmp_path / "none.yaml"
    with pytest.raises(ReportError) as caught:
        gather_parameters(files=[missing])
    assert str(caught.value) == (
        f"cannot read the parameters file {missing}: No such file or directory"
    )


def test_an_invalid_catalog_fails_before_the_kernel(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "region_id,resource_type,spec,currency,source,as_of\n"
        "cn-shanghai,general,x,USD,illustrative,2026-13-01\n"
    )
    with pytest.raises(CatalogError, match="line 2: as_of = '2026-13-01'"):
        check_parameters("breakeven_by_region", {"catalog": str(bad)})


def test_report_stem_names_the_non_default_parameters():
    defaults = {"hours_per_month": 730, "regions": [], "title": "T", "catalog": ""}
    assert report_stem("breakeven_by_region", {"hours_per_month": 730.0}, defaults) == (
        "breakeven_by_region"
    )
    assert (
        report_stem(
            "breakeven_by_region",
            {
                "regions": ["cn-beijing", "cn-shanghai"],
                "catalog": "/data/my prices.csv",
                "title": "Q3 / draft",
            },
            defaults,
            paths={"catalog"},
        )
        == "breakeven_by_region__catalog-my-prices-6057bbb6__regions-cn-beijing+cn-shanghai"
        "__title-Q3-draft-c68052a5"  # sha256 of "my prices" and "Q3 / draft" (sha256sum)
    )
    long = report_stem("n", {"title": "x" * 300}, defaults)
    assert len(long) == 180 and long.startswith("n__title-xxx")


def sha256_prefix(path: Path) -> str:
    """The first 8 hex digits of ``sha256sum path``, straight from hashlib."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:8]


def write_prices(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_report_stem_names_input_files_by_their_content(tmp_path):
    # three files of one name: a and c hold the same bytes, b other ones
    a = write_prices(tmp_path / "a" / "prices.csv", "region_id\ncn-beijing\n")
    b = write_prices(tmp_path / "b" / "prices.csv", "region_id\ncn-shanghai\n")
    c = write_prices(tmp_path / "c" / "prices.csv", "region_id\ncn-beijing\n")
    folder = tmp_path / "exports"
    folder.mkdir()
    defaults = {"catalog": "", "export_dir": ""}

    def stem(catalog: Path) -> str:
        given = {"catalog": str(catalog), "export_dir": str(folder)}
        return report_stem("n", given, defaults, paths={"catalog", "export_dir"})

    assert stem(a) == f"n__catalog-prices-{sha256_prefix(a)}__export_dir-exports"
    assert stem(a) == stem(c)  # the same content: the same report, replaced on a re-run
    assert stem(b) == f"n__catalog-prices-{sha256_prefix(b)}__export_dir-exports"
    assert sha256_prefix(a) != sha256_prefix(b) and stem(a) != stem(b)


def catalog_notebook(folder: Path) -> Path:
    """A report notebook that shows the Beijing gu108 subscription price of its ``catalog``."""
    notebook = nbformat.v4.new_notebook(
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        }
    )
    parameters = nbformat.v4.new_code_cell('catalog: str = ""  # path of a catalog CSV')
    parameters.metadata["tags"] = ["parameters"]
    show = nbformat.v4.new_code_cell(
        "from pathlib import Path\n"
        "line = next(x for x in Path(catalog).read_text().splitlines() if 'ml.test.gu108' in x)\n"
        "print('subscription', line.split(',')[7])"
    )
    notebook.cells = [parameters, show]
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / "shows_catalog.ipynb")
    return folder


@pytest.mark.slow
def test_a_report_of_another_catalog_of_the_same_name_is_a_new_file(tmp_path):
    notebooks = catalog_notebook(tmp_path / "notebooks")
    out = tmp_path / "out"
    text = TEST_CATALOG.read_text(encoding="utf-8")
    a = write_prices(tmp_path / "a" / "prices.csv", text)
    b = write_prices(tmp_path / "b" / "prices.csv", text.replace("17520.00", "17000.00"))
    c = write_prices(tmp_path / "c" / "prices.csv", text)

    def render(catalog: Path):
        return render_report(
            "shows_catalog",
            {"catalog": str(catalog)},
            out_dir=out,
            notebook_dir=notebooks,
            progress=False,
        )

    first = render(a)
    assert first.html.name == f"shows_catalog__catalog-prices-{sha256_prefix(a)}.html"
    other = render(b)
    assert other.html != first.html
    assert "subscription 17520.00" in first.html.read_text(encoding="utf-8")
    assert "subscription 17000.00" in other.html.read_text(encoding="utf-8")
    first.html.write_text("<html>stale copy of the 17520.00 report</html>")
    again = render(c)  # other path, same bytes: the same report, replaced
    assert again.html == first.html
    assert "subscription 17520.00" in again.html.read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [first.html.name, first.notebook.name, other.html.name, other.notebook.name]
    )


def test_cli_bad_parameter_is_one_clear_line_and_keeps_an_earlier_report(tmp_path):
    earlier = tmp_path / "breakeven_by_region.html"
    earlier.write_text("<html>an earlier good report</html>")
    result = run_cli("-p", "hours_per_month", "abc", "--out", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip() == "pai-cost: error: hours_per_month: expected float, got 'abc'"
    assert "Traceback" not in result.stderr
    assert earlier.read_text() == "<html>an earlier good report</html>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["breakeven_by_region.html"]


def test_cli_list_shows_notebooks_and_parameters():
    result = run_cli("--list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "breakeven_by_region" in lines and "project_length" in lines
    assert any(
        line.startswith("  -p hours_per_month <float>  default 730  # month convention")
        for line in lines
    )
    assert "  -y 'regions: <list[str]>'  default []  # region ids to show" in result.stdout


def test_cli_yaml_and_file_parameters_are_checked_before_the_kernel(tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text("regions: [cn-beijing]\nhours_per_month: many\n")
    result = run_cli("-f", str(params), "-y", "usage_hours_per_day: 12", "--out", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip() == "pai-cost: error: hours_per_month: expected float, got 'many'"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["params.yaml"]


def test_cli_help_explains_yaml_and_file_parameters():
    result = run_cli("--help")
    assert result.returncode == 0
    assert "-y YAML, --parameters-yaml YAML" in result.stdout
    assert "-f FILE, --parameters-file FILE" in result.stdout
    assert "-y 'regions: [cn-beijing, cn-shanghai]'" in result.stdout
    assert "first 8 hex digits of the SHA-256 of its bytes" in result.stdout


def test_to_html_hides_code_and_drops_scripts_loaded_from_the_network():
    notebook = nbformat.v4.new_notebook()
    chart = nbformat.v4.new_code_cell("show_chart()")
    chart.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/html": '<p>the chart</p><script src="https://cdn.example.org/mathjax.js">'
                "</script><script>var drawn = 1;</script>"
                '<script src="data:text/javascript,var%20inline%3D1"></script>'
            },
        )
    ]
    note = nbformat.v4.new_markdown_cell("Run the next cell first.")
    note.metadata["tags"] = [HIDE_TAG]
    notebook.cells = [nbformat.v4.new_markdown_cell("# Costs"), note, chart]
    html = to_html(notebook, "A <title>")
    assert scripts_with_src(html) == ["data:text/javascript,var%20inline%3D1"]
    assert "<p>the chart</p>" in html and "var drawn = 1;" in html
    assert "show_chart()" not in html and "Run the next cell first." not in html
    assert "<title>A &lt;title&gt;</title>" in html


# --- executed reports (a kernel each) -------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The break-even report on the test catalog: Beijing only, 720-hour months, 12 h/day."""
    out = tmp_path_factory.mktemp("reports")
    export = tmp_path_factory.mktemp("export")
    report = render_report(
        "breakeven_by_region",
        {
            "catalog": str(TEST_CATALOG),
            "regions": ["cn-beijing"],
            "hours_per_month": "720",
            "usage_hours_per_day": "12",
            "export_dir": str(export),
        },
        out_dir=out,
        progress=False,
    )
    return report, out, export


@pytest.mark.slow
def test_breakeven_notebook_table_matches_break_even_table(rendered):
    _, _, export = rendered
    # empty text stays text; the numbers of a term or unit the catalog lacks are missing
    numbers = ["payg_price_per_hour", "subscription_price_per_year", "year_price_per_month"]
    numbers += [f"year_break_even_{n}" for n in ("minutes", "hours_per_day", "utilization")]
    produced = pd.read_csv(
        export / "break_even_table.csv",
        keep_default_na=False,
        na_values={column: [""] for column in numbers},
        parse_dates=["subscription_as_of", "payg_as_of", "year_as_of"],
    )
    table = break_even_table(read_catalog(TEST_CATALOG), hours_per_month=720, public_payg=True)
    expected = table[table["region_id"] == "cn-beijing"].reset_index(drop=True)
    pd.testing.assert_frame_equal(produced, expected, check_dtype=False)
    # hand check, 720 h months = 43,200 min: gu108 17,520 / 0.5 = 35,040 min = 81.11 %
    # = 19.4667 h/day; gpux 4,380 / 0.2 = 21,900 min = 50.69 % = 12.1667 h/day
    by_hw = produced.set_index("hardware")
    assert by_hw.loc["gu108", "break_even_hours_per_day"] == pytest.approx(19.466667, abs=1e-6)
    assert by_hw.loc["gpux", "break_even_hours_per_day"] == pytest.approx(12.166667, abs=1e-6)


@pytest.mark.slow
def test_report_files_are_named_after_parameters_and_nothing_else_is_left(rendered):
    report, out, export = rendered
    assert report.html.name == (
        f"breakeven_by_region__catalog-report_catalog-{sha256_prefix(TEST_CATALOG)}"
        f"__export_dir-{export.name}"
        "__hours_per_month-720__regions-cn-beijing__usage_hours_per_day-12.html"
    )
    assert report.notebook == report.html.with_suffix(".ipynb")
    assert sorted(out.iterdir()) == sorted([report.html, report.notebook])
    executed = nbformat.read(report.notebook, as_version=4)
    assert executed.metadata.papermill.parameters["hours_per_month"] == 720.0
    assert "widgets" not in executed.metadata
    assert set(report.timings) == {"kernel_start", "execution", "conversion", "total"}


@pytest.mark.slow
def test_report_html_is_standalone_with_every_chart(rendered):
    report, _, _ = rendered
    html = report.html.read_text(encoding="utf-8")
    executed = nbformat.read(report.notebook, as_version=4)
    figures = [
        output["data"]["application/vnd.plotly.v1+json"]
        for cell in executed.cells
        for output in cell.get("outputs", [])
        if "application/vnd.plotly.v1+json" in output.get("data", {})
    ]
    assert len(figures) == 2  # cost against usage, break-even utilization
    assert all(figure["data"] for figure in figures)
    # every figure drawn in the page, with its traces; plotly.js inlined exactly once
    calls = re.findall(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*(\[.*?\]),\s*\{", html, re.DOTALL)
    assert len(calls) == 2
    assert [len(json.loads(data)) for data in calls] == [len(f["data"]) for f in figures]
    assert len(re.findall(r"plotly\.js v\d+\.\d+\.\d+", html)) == 1
    # nothing fetched: no script with a src (the inlined plotly.js and figures have none)
    assert scripts_with_src(html) == []
    # code hidden, how-to-run notes left out, words and provenance in
    assert "break_even_table(prices" not in html
    assert "Set the parameters in the next cell" not in html
    assert "Prices used:" in html and "illustrative" in html
    # Beijing gpux at 12 h/day of a 720 h month: 21,600 min x 0.20 = 4,320.00 against 4,380.00
    assert "pay-as-you-go saves 60.00 USD per node-month" in html
    assert "subscribe above 19.47 h/day" in html


@pytest.mark.slow
def test_failing_notebook_names_the_cell_and_keeps_the_earlier_report(tmp_path):
    # a notebook whose second cell fails in the kernel (its parameters pass every check)
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    notebook = nbformat.v4.new_notebook(
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        }
    )
    parameters = nbformat.v4.new_code_cell('region: str = "cn-wulanchabu"')
    parameters.metadata["tags"] = ["parameters"]
    failing = nbformat.v4.new_code_cell("offers = {}\nprice = offers[region]  # no such offer")
    notebook.cells = [parameters, failing]
    nbformat.write(notebook, notebooks / "fails.ipynb")
    out = tmp_path / "out"
    out.mkdir()
    earlier = out / "fails__region-xx-none.html"
    earlier.write_text("<html>an earlier good report</html>")
    with pytest.raises(ReportError) as caught:
        render_report(
            "fails", {"region": "xx-none"}, out_dir=out, notebook_dir=notebooks, progress=False
        )
    message = str(caught.value)
    assert re.match(
        r"notebook 'fails' failed in cell In \[\d+\], line 2"
        r" \('price = offers\[region\]  # no such offer'\): KeyError: 'xx-none'",
        message,
    ), message
    assert "\n" not in message
    assert earlier.read_text() == "<html>an earlier good report</html>"
    assert [p.name for p in out.iterdir()] == [earlier.name]


def test_interactive_notebook_is_not_a_report():
    # what_if.ipynb drives live widgets: a static page would show dead sliders
    result = run_cli("what_if")
    assert result.returncode == 2
    assert "what_if is an interactive notebook" in result.stderr
    assert "what_if" not in list_notebooks()


def test_an_unusable_out_folder_is_a_report_error(tmp_path):
    not_a_folder = tmp_path / "taken"
    not_a_folder.write_text("a file, not a folder")
    with pytest.raises(
        ReportError, match=f"cannot write reports to {re.escape(str(not_a_folder))}"
    ):
        render_report("breakeven_by_region", out_dir=not_a_folder, progress=False)
    assert not_a_folder.read_text() == "a file, not a folder"


def test_an_unknown_kernel_is_a_report_error_and_leaves_nothing(tmp_path):
    with pytest.raises(ReportError, match="could not run: NoSuchKernel"):
        render_report(
            "breakeven_by_region", out_dir=tmp_path, progress=False, kernel_name="no-such-kernel"
        )
    assert list(tmp_path.iterdir()) == []


def test_a_corrupt_notebook_is_a_report_error(tmp_path):
    (tmp_path / "broken.ipynb").write_text("{not json")
    with pytest.raises(ReportError, match=r"broken\.ipynb is not a readable notebook"):
        list_notebooks(tmp_path)


# --- interrupted runs -----------------------------------------------------------------------


def kernel_of(process: subprocess.Popen, timeout: float = 120) -> psutil.Process:
    """The ipykernel process ``process`` starts, once it exists."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for child in psutil.Process(process.pid).children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess):
                if "ipykernel_launcher" in " ".join(child.cmdline()):
                    return child
        if process.poll() is not None:
            pytest.fail(f"pai-cost report ended before its kernel started: {process.stderr.read()}")
        time.sleep(0.05)
    pytest.fail(f"no kernel started within {timeout} s")


def running_cells(kernel: psutil.Process, timeout: float = 120) -> None:
    """Wait until ``kernel`` runs the notebook's cells: it has loaded pandas's compiled
    libraries, which ipykernel itself never imports (the first cell imports the kit)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(psutil.AccessDenied):
            if any("pandas" in m.path and ".so" in m.path for m in kernel.memory_maps()):
                return
        time.sleep(0.02)
    pytest.fail(f"the kernel ran no cell within {timeout} s")


def _interruptible() -> None:
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signum", "cells"),
    [
        (signal.SIGTERM, False),  # while the kernel starts (before nbclient's own cleanup)
        (signal.SIGTERM, True),  # while cells run
        (signal.SIGINT, True),  # Ctrl+C
        (signal.SIGHUP, True),  # the terminal closed
    ],
    ids=["SIGTERM-kernel-starting", "SIGTERM-cells-running", "SIGINT", "SIGHUP"],
)
def test_an_interrupted_report_leaves_no_kernel_and_no_file(tmp_path, signum, cells):
    # the signal is sent at a moment waited for (the kernel exists; it runs cells), not
    # after a fixed sleep, so a loaded machine changes nothing
    out, temp, runtime = (tmp_path / name for name in ("out", "tmp", "runtime"))
    for folder in (out, temp, runtime):
        folder.mkdir()
    earlier = out / "breakeven_by_region.html"
    earlier.write_text("<html>an earlier good report</html>")
    env = {**os.environ, "TMPDIR": str(temp), "JUPYTER_RUNTIME_DIR": str(runtime)}
    process = subprocess.Popen(
        [sys.executable, "-m", "pai_model.cli", "report", "--quiet", "--out", str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # as from a terminal: a shell's background job (CI, nohup) ignores Ctrl+C, and a
        # child inherits that
        preexec_fn=_interruptible,
    )
    try:
        kernel = kernel_of(process)
        if cells:
            running_cells(kernel)
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    name = signal.Signals(signum).name
    assert process.returncode == 128 + signum  # 143 for SIGTERM, 130 for Ctrl+C
    assert stderr == (
        f"pai-cost: report interrupted by {name}: kernel stopped, temporary files removed\n"
    )
    assert stdout == ""
    with contextlib.suppress(psutil.NoSuchProcess):
        kernel.wait(timeout=5)  # reaped by pai-cost already, or ends now: never orphaned
    assert not kernel.is_running()
    assert [p.name for p in out.iterdir()] == [earlier.name]
    assert earlier.read_text() == "<html>an earlier good report</html>"
    assert list(temp.iterdir()) == []  # the kernel's connection file went with the run
    assert list(runtime.iterdir()) == []


def test_report_interrupted_is_no_error_to_swallow():
    # `except Exception` in papermill, nbclient or a caller must not stop a stop request
    assert not issubclass(ReportInterrupted, Exception)
    assert str(ReportInterrupted(signal.SIGTERM)) == "stopped by SIGTERM"


@pytest.mark.parametrize(
    ("signum", "raised"),
    [(signal.SIGTERM, ReportInterrupted), (signal.SIGINT, KeyboardInterrupt)],
    ids=["SIGTERM", "SIGINT"],
)
def test_a_stop_swallowed_while_cells_run_still_stops_the_report(
    tmp_path, monkeypatch, signum, raised
):
    from pai_model.display.reports import render

    def execute(source, executed, *args, **kwargs):
        try:  # as a task of the kernel client's event loop keeps its exception to itself
            signal.raise_signal(signum)
        except BaseException:
            pass
        nbformat.write(nbformat.v4.new_notebook(), executed)

    monkeypatch.setattr(render, "_execute", execute)
    earlier = tmp_path / "breakeven_by_region.html"
    earlier.write_text("<html>an earlier good report</html>")
    # Python's own handlers, as in a program started from a terminal (a shell's background
    # job ignores Ctrl+C, and a report then leaves it alone)
    python_own = {signal.SIGINT: signal.default_int_handler, signal.SIGTERM: signal.SIG_DFL}
    previous = {number: signal.signal(number, handler) for number, handler in python_own.items()}
    try:
        with pytest.raises(raised):
            render_report("breakeven_by_region", out_dir=tmp_path, progress=False)
        assert [p.name for p in tmp_path.iterdir()] == [earlier.name]
        # the handlers are given back
        assert {n: signal.getsignal(n) for n in python_own} == python_own
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
