"""The what_if notebook in JupyterLab, in a real browser: run all, move the controls."""

from __future__ import annotations

import nbformat
import pytest
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from browser.what_if_steps import CATALOG, FIRST_RENDER_MS, check_what_if
from pai_model.paths import NOTEBOOK_DIR

pytestmark = pytest.mark.browser


def test_notebook_panel_follows_the_controls(jupyterlab, browser_page):
    # The repository's notebook, with the test catalog injected as papermill would.
    notebook = load_notebook_node(str(NOTEBOOK_DIR / "what_if.ipynb"))
    notebook = parameterize_notebook(notebook, {"catalog": str(CATALOG)})
    nbformat.write(notebook, jupyterlab.extra["root"] / "what_if.ipynb")

    page = browser_page
    page.goto(
        f"{jupyterlab.extra['base']}/lab/tree/what_if.ipynb?token={jupyterlab.extra['token']}"
    )
    page.wait_for_function(
        "() => window.jupyterapp?.shell.currentWidget?.sessionContext !== undefined",
        timeout=FIRST_RENDER_MS,
    )
    page.evaluate(
        "async () => { const panel = window.jupyterapp.shell.currentWidget;"
        " await panel.context.ready; await panel.sessionContext.ready;"
        " await window.jupyterapp.commands.execute('notebook:run-all-cells'); }"
    )
    check_what_if(page)
