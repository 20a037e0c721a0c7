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
from pai_model.errors import InputError, ReportError
from pai_model.formulas.arguments import wrong_type

DEFAULT_REPORT = "breakeven_by_region"
#: Longest file-name stem (UTF-8 bytes) before its end is replaced by a hash.
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
    if not isinstance(name, str):
        raise wrong_type("name", "a report notebook's name (str)", name)
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
        elif key == "usage" and isinstance(value, str) and value.strip() not in USAGE_WORDS:
            # a file or folder of usage, made absolute: the kernel runs in another folder
            given = Path(value).expanduser()
            if "://" not in value and given.exists():
                value = str(given.resolve())
        checked[key] = value
    defaults = {key: p.default_value for key, p in declared.items()}
    check_values({**defaults, **checked}, given=set(checked))
    return checked


#: Whole-number parameters the notebooks share: name -> (lowest, highest, what it counts).
WHOLE_BOUNDS: dict[str, tuple[int, int, str]] = {
    "months": (1, 120, "months"),
    "horizon": (1, 120, "months"),
    "min_train_months": (1, 120, "months"),
    "lookback": (1, 3660, "days"),
    "synthetic_days": (1, 3660, "days"),
    "nodes": (1, 100_000, "nodes"),
    "scenarios": (0, 100_000, "scenarios"),
}
#: The words of a usage parameter that name no file.
USAGE_WORDS = ("sample", "synthetic")


def _bad(key: str, message: str) -> ReportError:
    return ReportError(f"{key}: {message}")


def check_values(values: Mapping[str, Any], *, given: Collection[str] = ()) -> None:
    """Check the values of the parameters the notebooks share, as the kit's readers would.

    Bounds (hours a day 0 to 24, a month convention, whole counts, percentages off), the
    catalog (read by :func:`~pai_model.data.catalog.read_catalog`) and the regions and
    hardware keys it sells, the usage words. ``values`` holds every parameter (defaults
    included); only parameters in ``given``, or tied to one given (the default region and
    hardware with another catalog, which must sell them), can fail.

    Raises
    ------
    ReportError
        ``NAME: ...`` naming the parameter and what it takes.
    PaiModelError
        The kit's own error of a reader (a catalog that is not one, say).
    """
    from pai_model.decisions.planning.prices import percent
    from pai_model.formulas.breakeven import HOURS_PER_MONTH, monthly_minutes

    for key in given:
        value = values[key]
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if key in WHOLE_BOUNDS and isinstance(value, int) and not isinstance(value, bool):
            low, high, unit = WHOLE_BOUNDS[key]
            if not low <= value <= high:
                raise _bad(key, f"must be {low:,} to {high:,} {unit}; got {value!r}")
        elif key.endswith("percent_off") and number:
            percent(value, key)
        elif key in ("growth_low", "growth_high", "max_days") and number and not value > 0:
            raise _bad(key, f"must be above 0; got {value!r}")
        elif key == "overhead_minutes" and number and not value >= 0:
            raise _bad(key, f"must be 0 or more minutes; got {value!r}")
        elif key == "usage" and isinstance(value, str):
            named = value.strip()
            if named not in USAGE_WORDS and "://" not in named:
                if not named or not Path(named).expanduser().exists():
                    words = " or ".join(repr(w) for w in USAGE_WORDS)
                    raise _bad(key, f"{value!r} is no file or folder, nor {words}")
    if {"growth_low", "growth_high"} & set(given) and {"growth_low", "growth_high"} <= set(values):
        if values["growth_low"] > values["growth_high"]:
            raise _bad("growth_low", "must not be above growth_high")
    hours = {"usage_hours_per_day", "hours_per_day", "hours_per_month"}
    if hours & set(given):
        daily = next((k for k in ("usage_hours_per_day", "hours_per_day") if k in values), "")
        try:
            # the kit's own check of a daily use and a month convention
            month = values.get("hours_per_month", HOURS_PER_MONTH)
            monthly_minutes(values.get(daily, 0), hours_per_month=month)
        except InputError as error:
            key = daily if error.argument == "usage_hours_per_day" else error.argument
            raise _bad(key, str(error).removeprefix(f"{error.argument}: ")) from None
    _check_catalog_names(values, given)


def _check_catalog_names(values: Mapping[str, Any], given: Collection[str]) -> None:
    """The catalog reads, and sells the regions, hardware and pair the parameters name."""
    names = {"catalog", "regions", "region_id", "hardware", "pair"}
    if not names & set(given):
        return
    from pai_model.data.catalog import read_catalog

    catalog = values.get("catalog") or None
    prices = read_catalog(catalog)  # a bad catalog fails here, before the kernel
    where = f"the catalog {Path(catalog).name}" if catalog else "the embedded catalog"
    regions = set(prices["region_id"])

    def unknown(key: str, value: str, known: Collection[str]) -> ReportError:
        close = difflib.get_close_matches(value, sorted(known), n=1)
        guess = f" (did you mean {close[0]!r}?)" if close else ""
        shown = ", ".join(sorted(known)[:12]) + (", ..." if len(known) > 12 else "")
        return _bad(key, f"{where} has no {value!r}{guess}; it has: {shown}")

    for region in values.get("regions") or []:
        if region not in regions:
            raise unknown("regions", region, regions)
    region_id = values.get("region_id")
    if isinstance(region_id, str) and region_id and region_id not in regions:
        raise unknown("region_id", region_id, regions)
    hardware = values.get("hardware")
    if isinstance(hardware, str) and hardware:
        mine = prices[prices["region_id"] == region_id] if region_id else prices
        if hardware not in set(mine["hardware"]):
            raise unknown("hardware", hardware, set(mine["hardware"]))
    elif isinstance(hardware, list):
        for key in hardware:
            if key not in set(prices["hardware"]):
                raise unknown("hardware", key, set(prices["hardware"]))
    pair = values.get("pair")
    if isinstance(pair, str) and pair:
        region, _, key = pair.partition("/")
        sold = set(zip(prices["region_id"], prices["hardware"], strict=True))
        if (region, key) not in sold:
            raise unknown("pair", pair, {f"{r}/{h}" for r, h in sold})


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
    if len(stem.encode()) > _MAX_STEM:  # file names are limited in bytes (255 on most)
        digest = hashlib.sha1(stem.encode()).hexdigest()[:10]
        head = stem.encode()[: _MAX_STEM - 12].decode(errors="ignore")
        stem = f"{head}__{digest}"
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
    """A value as part of a file name: letters (of any script), digits, ``_.-``.

    A value that loses anything on the way (punctuation, spaces, symbols) also gets the
    first 8 hex digits of the SHA-256 of its text, so that two values never share a name.

    Examples
    --------
    >>> _slug_value("华北报告"), _slug_value(720.0), _slug_value("cn-beijing")
    ('华北报告', '720', 'cn-beijing')
    >>> _slug_value("!!!")  # sha256(b"!!!") = e84c538e ...
    'empty-e84c538e'
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    slug = re.sub(r"[^\w.-]+", "-", text).strip("-")
    if slug != text:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        slug = f"{slug or 'empty'}-{digest}"
    return slug or "empty"
