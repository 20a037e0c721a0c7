"""Reports: parameterized notebooks executed with papermill and rendered to standalone HTML.

A report notebook lives in ``notebooks/`` and has one cell tagged ``parameters`` of plain
type-hinted literals with a comment each (``hours_per_month: float = 730  # ...``).
:func:`render_report`:

1. checks the parameters given against that cell, as papermill's inspection reads it,
   before any kernel starts (a typo or ``hours_per_month=abc`` fails in milliseconds);
   parameters whose comment starts with "path" are files or folders, resolved against the
   current directory (an empty value means "the default"); a ``catalog`` is validated;
2. executes the notebook with papermill (progress on stderr), with plotly's renderer set to
   ``plotly_mimetype+notebook`` so every chart reaches the HTML with plotly.js inlined
   once, and without widget state;
3. converts it to HTML with the code hidden and nothing fetched from the network, so the
   report opens offline (see :func:`to_html`);
4. writes ``<out>/<stem>.html`` and the executed ``<out>/<stem>.ipynb`` atomically
   (temporary files in ``<out>``, then :func:`os.replace`), where ``<stem>`` is the
   notebook name followed by the parameters that differ from their defaults. A failed run
   leaves any earlier report untouched and no partial file.

A notebook that raises becomes one :class:`ReportError` naming the cell and the exception.
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
import typing
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from . import paths
from .errors import PaiModelError

#: The renderer that keeps charts in JupyterLab and inlines plotly.js for nbconvert
#: (plain ``plotly_mimetype`` is dropped by nbconvert; ``notebook_connected`` needs a CDN).
REPORT_RENDERER = "plotly_mimetype+notebook"
DEFAULT_REPORT = "breakeven_by_region"
PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
#: Cells with this tag (how-to-run notes for notebook users) are left out of reports.
HIDE_TAG = "hide-in-report"
#: Longest file-name stem before the parameters part is replaced by a hash.
_MAX_STEM = 180

# The lab template without the scripts it loads from CDNs (require.js, MathJax, mermaid,
# the widget manager, whose block also carries the widget state): a report must draw
# offline from what it carries, and none of them is needed to show markdown, tables and
# inlined plotly charts.
_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
"""


class ReportError(PaiModelError):
    """A report cannot be rendered: unknown notebook, bad parameter, or a failing cell."""


#: The names a type hint in a ``parameters`` cell may use to be checked; a hint naming
#: anything else (a pandas type, say) is not checked, and papermill passes the value as is.
_HINT_NAMES: dict[str, Any] = {
    **{kind.__name__: kind for kind in (bool, int, float, str, list, dict, tuple, set)},
    **{name: getattr(typing, name) for name in ("Any", "Optional", "Union", "Literal")},
    "typing": typing,
}


@dataclass(frozen=True)
class Parameter:
    """One entry of a notebook's ``parameters`` cell, as papermill's inspection reads it."""

    name: str
    #: The type hint as written (papermill's ``inferred_type_name``), e.g. ``"list[str]"``;
    #: ``"None"`` when the cell gives none.
    type: str
    #: The default as Python source text.
    default: str
    #: The comment after the assignment.
    help: str

    @property
    def is_path(self) -> bool:
        """Whether the value names a file or folder (its comment starts with "path")."""
        return self.help.lower().startswith("path")

    @property
    def default_value(self) -> Any:
        return ast.literal_eval(self.default)

    @cached_property
    def hint(self) -> Any:
        """The type the hint names, or ``None`` if there is none the kit can check."""
        if self.type == "None":  # papermill's "no hint"
            return None
        try:
            # the hint is the notebook's own source, which the kernel runs next anyway
            return eval(self.type, {"__builtins__": {}}, _HINT_NAMES)
        except Exception:  # a name outside _HINT_NAMES, or not an expression
            return None

    @property
    def container(self) -> type | None:
        """``list``, ``dict``, ``tuple`` or ``set`` if values are one (YAML on the command line)."""
        kind = typing.get_origin(self.hint) or self.hint
        return kind if kind in (list, dict, tuple, set) else None

    @cached_property
    def _validator(self) -> Any:
        """A strict pydantic validator of the hint (no text read as a number), or ``None``."""
        from pydantic import ConfigDict, PydanticSchemaGenerationError, TypeAdapter

        try:
            strict = ConfigDict(strict=True, allow_inf_nan=False)
            return None if self.hint is None else TypeAdapter(self.hint, config=strict)
        except (PydanticSchemaGenerationError, TypeError):  # not a type pydantic knows
            return None

    def convert(self, value: Any) -> Any:
        """``value`` as this parameter's type, checked strictly against its hint.

        Text (from ``-p`` or a Python caller) that is not already a valid value is read the
        way papermill's ``-p`` reads it: ``True``/``False``/``None``, a whole number, a
        number, else the text. A whole number is a valid ``float`` and becomes one; ``bool``
        is not a number, nor ``nan`` or ``inf`` a valid ``float``.

        Raises
        ------
        ReportError
            ``NAME: expected TYPE, got VALUE``, with a hint for lists and non-finite numbers.

        Examples
        --------
        >>> Parameter("months", "int", "1", "").convert("12")
        12
        >>> Parameter("hours_per_month", "float", "730", "").convert("720")
        720.0
        >>> Parameter("months", "int", "1", "").convert("two")
        Traceback (most recent call last):
        ...
        pai_model.reports.ReportError: months: expected int, got 'two'
        """
        from papermill.cli import _resolve_type  # what papermill's CLI makes of `-p K V`
        from pydantic import ValidationError

        candidates = [value, _resolve_type(value)] if isinstance(value, str) else [value]
        if self._validator is None:
            return candidates[-1]
        for candidate in candidates:
            try:
                return self._validator.validate_python(candidate)
            except ValidationError as error:
                problem = error.errors()[0]["type"]
        message = f"{self.name}: expected {self.type}, got {value!r}"
        if problem == "finite_number":
            message += " (give a finite number)"
        elif self.container and isinstance(value, str):
            example = self.default if self.container is dict else f"[{value}]"
            message += f"; give it as YAML, e.g. -y '{self.name}: {example}'"
        raise ReportError(message)


@dataclass
class Report:
    """Files written by :func:`render_report` and how long each step took."""

    html: Path
    notebook: Path
    parameters: dict[str, Any]
    #: Seconds: ``kernel_start``, ``execution`` (cells), ``conversion`` (to HTML), ``total``.
    timings: dict[str, float] = field(default_factory=dict)


def notebook_path(name: str, notebook_dir: Path | None = None) -> Path:
    """The notebook file of report ``name`` (with or without ``.ipynb``)."""
    folder = Path(notebook_dir or paths.NOTEBOOK_DIR)
    stem = name.removesuffix(".ipynb")
    path = folder / f"{stem}.ipynb"
    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", stem) or not path.is_file():
        known = ", ".join(list_notebooks(folder)) or "none"
        raise ReportError(f"no notebook named {name!r} in {folder}; known notebooks: {known}")
    if not _is_report(path):
        raise ReportError(
            f"{stem} is an interactive notebook (live widgets do nothing in a static report):"
            f" open {path} in JupyterLab, or run `pai-cost app` for the dashboard"
        )
    return path


def _is_report(path: Path) -> bool:
    try:
        metadata = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReportError(f"{path} is not a readable notebook (JSON): {error}") from None
    return metadata.get("pai_cost", {}).get("report", True) is not False


def notebook_parameters(path: Path) -> dict[str, Parameter]:
    """The parameters of a notebook, in the order of its ``parameters`` cell."""
    from papermill.inspection import inspect_notebook

    try:
        found = inspect_notebook(str(path))
    except Exception as error:  # papermill raises plain exceptions for unreadable notebooks
        raise ReportError(f"cannot read the parameters of {path}: {error}") from None
    return {
        name: Parameter(name, spec["inferred_type_name"], spec["default"], spec["help"])
        for name, spec in found.items()
    }


def list_notebooks(notebook_dir: Path | None = None) -> dict[str, dict[str, Parameter]]:
    """Every report notebook (those with a ``parameters`` cell) and its parameters.

    A notebook made for live widgets opts out with ``{"pai_cost": {"report": false}}`` in
    its metadata (``what_if.ipynb``: sliders do nothing in a static page).

    Returns
    -------
    dict
        Notebook name (file stem) -> parameter name -> :class:`Parameter`, sorted by name.
    """
    folder = Path(notebook_dir or paths.NOTEBOOK_DIR)
    found = {}
    for path in sorted(folder.glob("*.ipynb")):
        if not _is_report(path):
            continue
        parameters = notebook_parameters(path)
        if parameters:
            found[path.stem] = parameters
    return found


def describe_notebooks(notebook_dir: Path | None = None) -> str:
    """Text listing of :func:`list_notebooks`: one block per notebook, one line per parameter.

    Each line shows how to give the parameter: ``-p NAME <type>``, or ``-y 'NAME: <type>'``
    for lists and dicts.
    """
    lines = []
    for name, parameters in list_notebooks(notebook_dir).items():
        lines.append(name)
        for p in parameters.values():
            given = f"-y '{p.name}: <{p.type}>'" if p.container else f"-p {p.name} <{p.type}>"
            lines.append(f"  {given}  default {p.default}  # {p.help}".rstrip())
    return "\n".join(lines)


def check_parameters(
    name: str, values: Mapping[str, Any] | None = None, *, notebook_dir: Path | None = None
) -> dict[str, Any]:
    """Check report parameters against the notebook's ``parameters`` cell, before any kernel.

    Parameters
    ----------
    name : str
        Notebook name in ``notebook_dir``.
    values : mapping, optional
        Parameter name -> value: a Python value (as YAML gives it), or text as typed after
        ``-p``, read as :meth:`Parameter.convert` says (``"730"`` is 730; a list is given
        as a list, not as text).
    notebook_dir : path-like, optional
        Folder of the notebooks (default ``notebooks/``).

    Returns
    -------
    dict
        The values as the declared types; paths made absolute.

    Raises
    ------
    ReportError
        Unknown notebook or parameter, a value not of the declared type, a missing file.
    CatalogError
        A ``catalog`` parameter naming an invalid catalog.

    See Also
    --------
    Parameter.convert : how one value is read and checked.
    pai_model.cli.report.gather_parameters : parameters from ``-f``, ``-y`` and ``-p``.
    """
    path = notebook_path(name, notebook_dir)
    declared = notebook_parameters(path)
    checked: dict[str, Any] = {}
    for key, raw in (values or {}).items():
        if key not in declared:
            close = difflib.get_close_matches(key, declared, n=1)
            guess = f" (did you mean {close[0]!r}?)" if close else ""
            raise ReportError(
                f"notebook {name!r} has no parameter {key!r}{guess};"
                f" its parameters: {', '.join(declared) or 'none'}"
            )
        parameter = declared[key]
        value = parameter.convert(raw)
        if parameter.is_path and value:
            resolved = Path(value).expanduser().resolve()
            if not resolved.exists():
                shown = "" if str(resolved) == value else f" ({resolved})"
                raise ReportError(f"{key}: {value!r} does not exist{shown}")
            value = str(resolved)
        checked[key] = value
    if checked.get("catalog"):
        from .catalog import load_catalog

        load_catalog(checked["catalog"])  # a bad catalog fails here, before the kernel
    return checked


def report_stem(
    name: str,
    parameters: Mapping[str, Any],
    defaults: Mapping[str, Any],
    *,
    paths: Collection[str] = (),
) -> str:
    """File-name stem of a report: the notebook name, then every non-default parameter.

    Values of the parameters in ``paths`` are files or folders, named by their stem; a
    stem over 180 characters ends in a hash of the whole instead.

    Examples
    --------
    >>> report_stem("breakeven_by_region", {"hours_per_month": 720.0, "regions": ["cn-beijing"]},
    ...             {"hours_per_month": 730, "regions": []})
    'breakeven_by_region__hours_per_month-720__regions-cn-beijing'
    >>> report_stem("breakeven_by_region", {"hours_per_month": 730.0}, {"hours_per_month": 730})
    'breakeven_by_region'
    """
    parts = []
    for key in sorted(parameters):
        value = parameters[key]
        if key in defaults and value == defaults[key]:
            continue
        if key in paths and value:
            value = Path(value).stem
        if isinstance(value, list | tuple):
            text = "+".join(_slug_value(v) for v in value) or "none"
        else:
            text = _slug_value(value)
        parts.append(f"{key}-{text}")
    stem = "__".join([name, *parts])
    if len(stem) > _MAX_STEM:
        digest = hashlib.sha1(stem.encode()).hexdigest()[:10]
        stem = f"{stem[: _MAX_STEM - 12]}__{digest}"
    return stem


def _slug_value(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"[^A-Za-z0-9_.+-]+", "-", str(value)).strip("-") or "empty"


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
    path: Path, output: Path, parameters: dict[str, Any], *, progress: bool, kernel_name: str
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
    :data:`HIDE_TAG` removed, images embedded, and a template without the lab template's
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
                "embed_images": True,
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
        Folder of the notebooks; default ``notebooks/``.
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

    try:
        out.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=out, prefix=f".{stem}."))
    except OSError as error:
        raise ReportError(
            f"cannot write reports to {out} ({error.strerror or error}); choose another --out"
        ) from None
    try:
        executed = work / f"{stem}.ipynb"
        shown = ", ".join(f"{k}={v!r}" for k, v in checked.items()) or "defaults"
        say(f"executing {source.name} ({shown})")
        _execute(source, executed, checked, progress=progress, kernel_name=kernel_name)
        notebook = nbformat.read(executed, as_version=4)
        _check_charts(notebook, source.stem)
        timings = _timings(notebook)
        say("converting to HTML")
        converting = time.perf_counter()
        title = str(checked.get("title") or defaults.get("title") or source.stem)
        html = to_html(notebook, title)
        timings["conversion"] = time.perf_counter() - converting
        # both files are complete before either replaces an earlier report
        staged = work / f"{stem}.html"
        staged.write_text(html, encoding="utf-8")
        os.replace(executed, notebook_out)
        os.replace(staged, html_path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    timings["total"] = time.perf_counter() - started
    say(f"wrote {html_path} ({html_path.stat().st_size / 1e6:.1f} MB) and {notebook_out.name}")
    return Report(html_path, notebook_out, checked, timings)
