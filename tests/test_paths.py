"""The embedded files are found through pai_model.paths, by path or by catalog name."""

from __future__ import annotations

from cli_runs import GENERAL_QUOTE

from pai_model import paths
from pai_model.cli import main


def test_embedded_files_are_package_data():
    # the catalogs, samples and notebooks live inside the package, so a wheel carries them
    for path in (paths.DEFAULT_CATALOG, paths.DOCUMENTED_CATALOG, paths.NOTEBOOK_DIR):
        assert paths.PACKAGE in path.parents and path.exists()
    assert (paths.SAMPLE_DIR / "focus_sample.csv").is_file()
    assert (paths.NOTEBOOK_DIR / "breakeven_by_region.ipynb").is_file()


def test_a_catalog_is_named_or_a_file_and_a_file_wins(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    quote = [*GENERAL_QUOTE, "--catalog", "documented"]
    assert main(quote) == 0
    # billing page, general computing example: 2 x 78.94 USD/month x 1 month
    assert "2 x 78.94 USD/month x 1 month = 157.88 USD" in capsys.readouterr().out
    # a file named "documented" in the current folder is the catalog asked for
    text = paths.DOCUMENTED_CATALOG.read_text().replace("78.94", "80.00")
    (tmp_path / "documented").write_text(text)
    assert main(quote) == 0
    assert "2 x 80.00 USD/month x 1 month = 160.00 USD" in capsys.readouterr().out
