"""Execute a report notebook with papermill and convert it to standalone offline HTML."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pai_model import paths
from pai_model.data.files import publish
from pai_model.display.reports.parameters import (
    DEFAULT_REPORT,
    check_parameters,
    notebook_parameters,
    notebook_path,
    report_stem,
)
from pai_model.errors import ReportError, ReportInterrupted

#: The renderer that keeps charts in JupyterLab and inlines plotly.js for nbconvert
#: (plain ``plotly_mimetype`` is dropped by nbconvert; ``notebook_connected`` needs a CDN).
REPORT_RENDERER = "plotly_mimetype+notebook"
PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
#: Cells with this tag (how-to-run notes for notebook users) are left out of reports.
HIDE_TAG = "hide-in-report"

# The lab template without the scripts it loads from CDNs (require.js, MathJax, mermaid,
# the widget manager, whose block also carries the widget state): a report must draw
# offline from what it carries, and none of them is needed to show markdown, tables and
# inlined plotly charts.
_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_css -%}
<style>
/* a report fits the page: wide tables wrap their cells rather than run off the side */
.jp-RenderedHTMLCommon table { max-width: 100%; table-layout: auto; font-size: 12px; }
.jp-RenderedHTMLCommon th,
.jp-RenderedHTMLCommon td { white-space: normal; overflow-wrap: normal; padding: 0.4em; }
.jp-RenderedHTMLCommon details > summary { cursor: pointer; font-weight: bold; margin: 1em 0; }
</style>
{%- endblock html_head_css -%}
"""


#: Signals that stop a report run: Ctrl+C (SIGINT raises KeyboardInterrupt), a kill, a
#: closed terminal.
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@dataclass
class Report:
    """Files written by :func:`render_report` and how long each step took."""

    html: Path
    notebook: Path
    parameters: dict[str, Any]
    #: Seconds: ``kernel_start``, ``execution`` (cells), ``conversion`` (to HTML), ``total``.
    timings: dict[str, float] = field(default_factory=dict)


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    """Set environment variables for the kernel papermill starts, restoring them after."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def _in_main_thread() -> bool:
    """Whether signal handlers can be set (Python allows it in the main thread only)."""
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def _stops_raise() -> Iterator[Callable[[], None]]:
    """Turn stop signals into exceptions while a report runs; yields ``check``, which raises
    the first stop received again.

    SIGTERM and SIGHUP end the process on the spot by default, leaving the kernel's
    connection file and the temporary folder; as :class:`ReportInterrupted` they unwind
    through every ``finally``. Ctrl+C raises :class:`KeyboardInterrupt` as before. Each is
    also recorded, since one raised inside a task of the kernel client's event loop may be
    stored there and never seen again: ``check`` after the cells have run raises it. Only a
    default action is taken over: a handler of the host program stays in charge.
    """
    received: list[int] = []

    def stop(signum: int, frame: Any) -> None:
        received.append(signum)
        _quiet_after_stop()  # before nbclient's own clean-up reports the kernel it ends
        raise _stop_error(signum)

    def check() -> None:
        if received:
            raise _stop_error(received[0])

    defaults = {
        signal.SIGINT: signal.default_int_handler,
        signal.SIGTERM: signal.SIG_DFL,
        signal.SIGHUP: signal.SIG_DFL,
    }
    taken = {}
    if _in_main_thread():
        for signum, default in defaults.items():
            if signal.getsignal(signum) == default:
                taken[signum] = signal.signal(signum, stop)
    try:
        yield check
    finally:
        for signum, previous in taken.items():
            signal.signal(signum, previous)


def _stop_error(signum: int) -> BaseException:
    """What a stop signal raises: Ctrl+C its usual KeyboardInterrupt, the others
    :class:`ReportInterrupted`."""
    return KeyboardInterrupt() if signum == signal.SIGINT else ReportInterrupted(signum)


@contextlib.contextmanager
def _stops_deferred() -> Iterator[None]:
    """Hold stop signals while files are replaced or cleaned up; the first is raised after.

    Handlers, not a signal mask: Python runs handlers in the main thread whichever thread
    the signal reaches, and papermill's progress bar and kernel client run threads of their
    own.
    """
    if not _in_main_thread():
        yield
        return
    pending: list[int] = []
    saved = {
        signum: signal.signal(signum, lambda n, _: pending.append(n)) for signum in _STOP_SIGNALS
    }
    try:
        yield
    finally:
        for signum, previous in saved.items():
            signal.signal(signum, previous)
        if pending:
            signal.raise_signal(pending[0])


def _kernel_manager_class(work: Path, started: list[Any]) -> type:
    """A kernel manager class: connection file in ``work``, each instance kept in ``started``.

    jupyter_client puts a kernel's connection file in the temporary folder of the system and
    removes it only on a clean shutdown; in ``work`` it goes with the folder, whatever ends
    the run. ``started`` lets :func:`_stop_kernels` find a kernel nbclient did not stop
    (one interrupted while it started).
    """
    from jupyter_client.manager import AsyncKernelManager

    class RunKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            kwargs.setdefault("connection_file", str(work / "kernel.json"))
            super().__init__(**kwargs)
            started.append(self)

    return RunKernelManager


def _stop_kernels(managers: list[Any], grace: float = 2.0) -> None:
    """End each kernel process still running, with its process group (SIGTERM, then SIGKILL).

    jupyter_client starts a kernel in a session of its own, so its process group is the
    kernel and whatever the notebook started.
    """
    for manager in managers:
        process = getattr(manager.provisioner, "process", None)
        if process is None or process.poll() is not None:
            continue
        for signum in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signum)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=grace)
            if process.poll() is not None:
                break


def _cell_error(name: str, error: Any) -> ReportError:
    """One clear message for a papermill execution error: the cell, the line, the exception.

    The line is the notebook's own line in the traceback (IPython marks it ``---->``);
    without one (a syntax error, say) the cell's first line stands for it.
    """
    from nbconvert.filters import strip_ansi

    where = f"cell In [{error.exec_count}]"
    lines = [line for line in str(error.source).splitlines() if line.strip()]
    code = lines[0].strip() if lines else ""
    frames = strip_ansi("\n".join(error.traceback or [])).splitlines()
    for i, frame in enumerate(frames):
        cell = re.match(r"\s*Cell In\s?\[\d+\], line (\d+)", frame)
        if cell:
            marked = next(
                (m for f in frames[i + 1 :] if (m := re.match(r"-+>\s*\d+\s(.*)", f))), None
            )
            where += f", line {cell.group(1)}"
            code = marked.group(1).strip() if marked else code
            break
    if len(code) > 70:
        code = code[:67] + "..."
    evalue = " ".join(str(error.evalue).split())
    return ReportError(f"notebook {name!r} failed in {where} ({code!r}): {error.ename}: {evalue}")


def _execute(
    path: Path,
    output: Path,
    parameters: dict[str, Any],
    *,
    progress: bool,
    kernel_name: str,
    kernel_manager_class: type,
) -> None:
    import papermill
    from jupyter_client.kernelspec import NoSuchKernel
    from papermill.exceptions import PapermillExecutionError

    try:
        with _environment(PLOTLY_RENDERER=REPORT_RENDERER):
            papermill.execute_notebook(
                str(path),
                str(output),
                parameters=parameters,
                kernel_name=kernel_name,
                kernel_manager_class=kernel_manager_class,
                cwd=str(path.parent),
                progress_bar=progress,
                request_save_on_cell_execute=False,
                store_widget_state=False,
                # ipykernel logs to our stderr: a warning on every start that its loopback
                # TCP is unencrypted, an error when the run stops after a failing cell. A
                # report run is local and one-shot; cell errors arrive as messages anyway
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            )
    except PapermillExecutionError as error:
        raise _cell_error(path.stem, error) from None
    except (RuntimeError, TimeoutError, OSError, NoSuchKernel) as error:
        # kernel death, start-up timeout or a missing kernel spec: nothing a cell said
        raise ReportError(
            f"notebook {path.stem!r} could not run: {type(error).__name__}: {error}"
        ) from None


#: The loggers of the run's machinery, which report the kernel a stop ends as an error.
_RUN_LOGGERS = ("papermill", "nbclient", "traitlets", "asyncio")


def _quiet_after_stop() -> None:
    """Silence the run's machinery once a stop was asked for: the kernel is ended on
    purpose, and nbclient's "Kernel died" and asyncio's unretrieved task error would
    reach the terminal as noise (a traceback) after the one line that says what happened.
    """
    import logging

    for name in _RUN_LOGGERS:
        logging.getLogger(name).disabled = True


def _timings(notebook: Any) -> dict[str, float]:
    """Kernel start and execution time from the timestamps papermill records."""

    def stamp(text: str | None) -> float | None:
        return datetime.fromisoformat(text).timestamp() if text else None

    meta = notebook.metadata.get("papermill", {})
    started = stamp(meta.get("start_time"))
    ended = stamp(meta.get("end_time"))
    cells = [stamp(c.metadata.get("papermill", {}).get("start_time")) for c in notebook.cells]
    first = min((c for c in cells if c is not None), default=None)
    if started is None or ended is None or first is None:
        return {}
    return {"kernel_start": first - started, "execution": ended - first}


def _check_charts(notebook: Any, name: str) -> None:
    """Refuse a report that would silently lose its charts (the renderer trap)."""
    figures = html_figures = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if PLOTLY_MIMETYPE in data:
                figures += 1
                html_figures += "text/html" in data
    if figures != html_figures:
        raise ReportError(
            f"notebook {name!r}: {figures - html_figures} of {figures} charts have no HTML"
            f" rendering; do not override plotly's renderer in the notebook (the report sets"
            f" {REPORT_RENDERER!r})"
        )


def to_html(notebook: Any, title: str) -> str:
    """Standalone HTML of an executed notebook: code hidden, nothing loaded from the network.

    nbconvert does what its configuration can: inputs and prompts excluded, cells tagged
    :data:`HIDE_TAG` removed, and a template without the lab template's
    CDN scripts (nor the widget state: a static page cannot run widgets, and it weighs about
    5 MB). On the parsed page, scripts with a ``src`` in cell outputs are removed (plotly's
    notebook renderer adds MathJax from a CDN to every figure; the kit's figures use no
    LaTeX).

    Raises
    ------
    ReportError
        If the page would still load a script from elsewhere.
    """
    import jinja2
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config(
        {
            "HTMLExporter": {
                "exclude_input": True,
                "exclude_input_prompt": True,
                "exclude_output_prompt": True,
                # no: its Markdown renderer parses each raw HTML block alone and closes it,
                # emptying a <div id="answer"> or <details> that wraps Markdown; the report
                # notebooks show no image files
                "embed_images": False,
            },
            "TagRemovePreprocessor": {"enabled": True, "remove_cell_tags": {HIDE_TAG}},
        }
    )
    exporter = HTMLExporter(
        config=config,
        extra_loaders=[jinja2.DictLoader({"pai_report.html.j2": _TEMPLATE})],
        template_file="pai_report.html.j2",
    )
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
    page = BeautifulSoup(body, "html.parser")

    def elsewhere(src: str | None) -> bool:  # a script whose code is not in the page
        return bool(src) and not src.strip().lower().startswith("data:")

    for output in page.select(".jp-OutputArea-output"):
        for script in output.find_all("script", src=elsewhere):
            script.decompose()
    remote = page.find_all("script", src=elsewhere)
    if remote:
        raise ReportError(
            f"the report would load {len(remote)} script(s) from elsewhere"
            f" ({remote[0]['src']}) and not work offline"
        )
    return str(page)


def render_report(
    name: str = DEFAULT_REPORT,
    parameters: Mapping[str, Any] | None = None,
    *,
    out_dir: str | os.PathLike[str] | None = None,
    notebook_dir: str | os.PathLike[str] | None = None,
    progress: bool = True,
    kernel_name: str = "python3",
) -> Report:
    """Execute a report notebook and write its standalone HTML and executed notebook.

    Parameters
    ----------
    name : str, default "breakeven_by_region"
        Notebook name in ``notebook_dir`` (see :func:`list_notebooks`).
    parameters : mapping, optional
        Parameter values, checked by :func:`check_parameters` before the kernel starts.
    out_dir : path-like, optional
        Folder of the report (created if missing); default ``reports/``.
    notebook_dir : path-like, optional
        Folder of the notebooks; default: the embedded ``pai_model/display/notebooks/``.
    progress : bool, default True
        Show steps and a per-cell progress bar on stderr.
    kernel_name : str, default "python3"
        Jupyter kernel to run the notebook.

    Returns
    -------
    Report
        Paths written (``<stem>.html``, ``<stem>.ipynb``), the parameters used and timings.

    Raises
    ------
    ReportError
        Before the kernel starts for an unknown notebook or a bad parameter; after it for a
        failing cell (naming the cell and the exception). Earlier reports are kept.
    ReportInterrupted
        On SIGTERM or SIGHUP (Ctrl+C raises :class:`KeyboardInterrupt`), once the kernel is
        stopped and the temporary folder removed; earlier reports are kept.
    """
    started = time.perf_counter()
    folder = Path(notebook_dir or paths.NOTEBOOK_DIR)
    source = notebook_path(name, folder)
    checked = check_parameters(source.stem, parameters, notebook_dir=folder)
    declared = notebook_parameters(source)
    defaults = {key: p.default_value for key, p in declared.items()}
    stem = report_stem(
        source.stem, checked, defaults, paths={key for key, p in declared.items() if p.is_path}
    )
    out = Path(out_dir or paths.REPORT_DIR)
    html_path, notebook_out = out / f"{stem}.html", out / f"{stem}.ipynb"

    def say(message: str) -> None:
        if progress:
            print(f"pai-cost report: {message}", file=sys.stderr, flush=True)

    import nbformat

    kernels: list[Any] = []
    work: Path | None = None
    with _stops_raise() as check_stopped:
        try:
            try:
                out.mkdir(parents=True, exist_ok=True)
                work = Path(tempfile.mkdtemp(dir=out, prefix=f".{stem}."))
            except OSError as error:
                raise ReportError(
                    f"cannot write reports to {out} ({error.strerror or error});"
                    " choose another --out"
                ) from None
            executed = work / f"{stem}.ipynb"
            shown = ", ".join(f"{k}={v!r}" for k, v in checked.items()) or "defaults"
            say(f"executing {source.name} ({shown})")
            _execute(
                source,
                executed,
                checked,
                progress=progress,
                kernel_name=kernel_name,
                kernel_manager_class=_kernel_manager_class(work, kernels),
            )
            check_stopped()  # a stop the kernel client's event loop kept to itself
            notebook = nbformat.read(executed, as_version=4)
            _check_charts(notebook, source.stem)
            timings = _timings(notebook)
            say("converting to HTML")
            converting = time.perf_counter()
            title = str(checked.get("title") or defaults.get("title") or source.stem)
            html = to_html(notebook, title)
            timings["conversion"] = time.perf_counter() - converting
            staged = work / f"{stem}.html"
            staged.write_text(html, encoding="utf-8")
            check_stopped()
            # both files are complete before either replaces an earlier report, and a stop
            # signal waits until both have
            with _stops_deferred():
                publish(executed, notebook_out)
                publish(staged, html_path)
        finally:
            # whatever ended the run (a failing cell, Ctrl+C, SIGTERM): no kernel, no folder
            if isinstance(sys.exc_info()[1], ReportInterrupted | KeyboardInterrupt):
                _quiet_after_stop()
            with _stops_deferred():
                _stop_kernels(kernels)
                if work is not None:
                    shutil.rmtree(work, ignore_errors=True)
    timings["total"] = time.perf_counter() - started
    say(f"wrote {html_path} ({html_path.stat().st_size / 1e6:.1f} MB) and {notebook_out.name}")
    return Report(html_path, notebook_out, checked, timings)
