"""Report notebooks and their parameters: found, listed, checked and named before any run."""

from __future__ import annotations

import ast
import difflib
import hashlib
import json
import re
import typing
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from pai_model import paths
from pai_model.errors import ReportError

DEFAULT_REPORT = "breakeven_by_region"
#: Longest file-name stem before the parameters part is replaced by a hash.
_MAX_STEM = 180


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
        pai_model.errors.ReportError: months: expected int, got 'two'
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
        Folder of the notebooks (default: the embedded ``pai_model/display/notebooks/``).

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
        from pai_model.data.catalog import read_catalog

        read_catalog(checked["catalog"])  # a bad catalog fails here, before the kernel
    return checked


def report_stem(
    name: str,
    parameters: Mapping[str, Any],
    defaults: Mapping[str, Any],
    *,
    paths: Collection[str] = (),
) -> str:
    """File-name stem of a report: the notebook name, then every non-default parameter.

    Values of the parameters in ``paths`` are files or folders, named by their stem; a file
    (a catalog, a fleet, a jobs CSV) is also named by its content, :func:`content_digest`,
    so that reports of different inputs never share a name while a report re-rendered from
    the same bytes replaces its earlier self. A stem over 180 characters ends in a hash of
    the whole instead.

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
            given = Path(value)
            value = f"{given.stem}-{content_digest(given)}" if given.is_file() else given.stem
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


def content_digest(path: str | Path) -> str:
    """Short name of a file's content: the first 8 hex digits of the SHA-256 of its bytes.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     file = Path(folder) / "empty.csv"
    ...     _ = file.write_bytes(b"")
    ...     content_digest(file)  # SHA-256 of no bytes: e3b0c442 98fc1c14 ...
    'e3b0c442'
    """
    from pai_model.data.files import open_input
    from pai_model.errors import TableError

    digest = hashlib.sha256()
    try:
        with open_input(path) as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
    except TableError as error:
        raise ReportError(f"cannot read {path}: {error.problems[0].message}") from None
    except OSError as error:
        raise ReportError(f"cannot read {path}: {error.strerror or error}") from None
    return digest.hexdigest()[:8]


def _slug_value(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"[^A-Za-z0-9_.+-]+", "-", str(value)).strip("-") or "empty"
