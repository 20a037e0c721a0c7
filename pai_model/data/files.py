"""Files the kit writes: the place checked before any work, the file written whole or not at all.

Every command that writes a file (``--out``, ``--focus-out``, ``--unmapped-out``, fetched
catalogs, kept API responses, reports, the quote's cache) goes through this module:

- :func:`check_output` refuses, before the work starts, a path that is a folder or
  another special file, whose folder does not exist, or where the user may not write;
  the error names the option (:class:`~pai_model.errors.InputError`: one line, exit
  status 2).
- :func:`replacing` gives a temporary file in the target's folder to write; when the
  writing ends well, the file is flushed to disk (``fsync``) and replaces the target in
  one rename (``os.replace``). On any failure, Ctrl+C included, the temporary file is
  removed and the target is left as it was: never half-written.

Standard library only, so the fast quote loads no more than it needs.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pai_model.errors import InputError


def check_output(path: str | os.PathLike[str], option: str = "--out") -> Path:
    """The file ``path``, refused now if it cannot be written later.

    Parameters
    ----------
    path : path-like
        The file to write (it may exist: it will be replaced).
    option : str, default "--out"
        The option or argument that named it, for the message.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InputError
        When ``path`` is a folder or another file that is not a regular one (a FIFO, a
        device), when its folder does not exist, or when the folder cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> check_output(folder, "--focus-out")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pai_model.errors.InputError: --focus-out: ... is a folder; give a file name
    """
    target = Path(path)
    shown = os.fspath(path)
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as failure:
        raise InputError(option, f"{shown}: cannot be written ({_reason(failure)})") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise InputError(option, f"{shown} is a folder; give a file name")
    if mode is not None and not stat.S_ISREG(mode):
        raise InputError(option, f"{shown} is not a regular file; give a file name")
    folder = target.parent
    if not folder.is_dir():
        raise InputError(option, f"{shown}: the folder {os.fspath(folder)} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(option, f"{shown}: the folder {os.fspath(folder)} cannot be written")
    return target


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str], option: str = "--out") -> Iterator[Path]:
    """A temporary file beside ``path`` to write, which replaces ``path`` at the end.

    The temporary file is named ``.NAME.RANDOM.partial`` in the target's folder (one
    file system, so the rename is atomic) and has the permissions a new file gets. It
    is created empty; the block writes it (by name), and when the block ends well it is
    flushed to disk and renamed over ``path``.

    Raises
    ------
    InputError
        When the file cannot be written (naming ``option`` and the reason); the target
        is then as it was.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out.csv"
    >>> with replacing(target) as temporary:
    ...     _ = temporary.write_text("a,b\\n1,2\\n")
    >>> target.read_text()
    'a,b\\n1,2\\n'
    """
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    try:
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        yield temporary
        publish(temporary, target)
    except OSError as failure:
        temporary.unlink(missing_ok=True)
        message = f"{os.fspath(path)}: cannot be written ({_reason(failure)})"
        raise InputError(option, message) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def publish(temporary: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Flush a complete file to disk and rename it over ``target`` in one step.

    ``temporary`` must be on the file system of ``target`` (its folder, or a folder
    beside it), so that the rename is atomic: readers see the old file or the new one.
    """
    with open(temporary, "rb+") as written:
        os.fsync(written.fileno())
    os.replace(temporary, target)


def write_text(
    path: str | os.PathLike[str],
    text: str,
    *,
    check: Callable[[Path], Any] | None = None,
    option: str = "--out",
) -> None:
    """Write ``text`` (UTF-8) to ``path`` through :func:`replacing`.

    ``check`` is called with the complete temporary file before it replaces ``path``;
    it raises to refuse it (then ``path`` is left as it was).

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "notes.txt"
    >>> write_text(target, "one\\n")
    >>> target.read_text()
    'one\\n'
    """
    with replacing(path, option) as temporary:
        temporary.write_text(text, encoding="utf-8", newline="")
        if check is not None:
            check(temporary)


def _reason(failure: OSError) -> str:
    return failure.strerror or type(failure).__name__
