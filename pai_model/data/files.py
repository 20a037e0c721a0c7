"""Files the kit reads and writes: every input opened in one place; outputs checked before
the work and written whole or not at all.

Every file the kit reads (tables, catalogs, FOCUS exports and their archives, parameter
files, the product mapping) is opened by :func:`open_input` (or :func:`read_input`):

- a URL is read only if it is a local file (``file://``), an ``oss://`` URL (with the
  optional ``ossfs``) or an in-process ``memory://`` one; any other (``http://``,
  ``https://``, ``s3://``, a chained ``simplecache::...``) is refused before anything is
  fetched: download the file first;
- a local path must be a regular file: a folder, a FIFO, a device (``/dev/zero``) or a
  socket is refused at once (it is opened without blocking and checked before a byte is
  read), so that no input can make the kit wait forever or read without end.

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

Standard library only (fsspec is imported for a URL only), so the fast quote loads no more
than it needs.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from pai_model.errors import InputError, Problem, TableError

#: URL schemes the kit reads: local files, Alibaba's OSS (``ossfs``), and in-process memory.
READ_PROTOCOLS = ("file", "local", "oss", "memory")
_PROTOCOL = re.compile(r"(?:^|::)([A-Za-z][A-Za-z0-9+.-]*)(?=://|::)")


def protocol(source: str | os.PathLike[str]) -> str | None:
    """The URL scheme of ``source`` (``None`` for a plain path), refused if not read.

    Raises
    ------
    TableError
        For a scheme other than those of :data:`READ_PROTOCOLS`, or a chained URL.

    Examples
    --------
    >>> protocol("bills/2026-05.csv") is None
    True
    >>> protocol("oss://bucket/bills/")
    'oss'
    >>> protocol("https://example.com/bill.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pai_model.errors.TableError: 1 problem in https://example.com/bill.csv:
      - https://example.com/bill.csv: the kit does not read https:// URLs (only local files ...
    """
    text = os.fspath(source)
    if not isinstance(text, str):
        return None  # bytes paths are local
    found = _PROTOCOL.findall(text)
    if not found:
        return None
    scheme = found[0].lower()
    if len(found) > 1 or scheme not in READ_PROTOCOLS:
        what = "chained URLs" if len(found) > 1 else f"{scheme}:// URLs"
        message = (
            f"the kit does not read {what} (only local files and oss:// URLs);"
            " download the file and give its path"
        )
        raise TableError([Problem(text, message)], text)
    return scheme


@contextlib.contextmanager
def open_input(
    source: str | os.PathLike[str],
    *,
    name: str | None = None,
    error: type[TableError] = TableError,
) -> Iterator[IO[bytes]]:
    """The one way the kit opens a file to read: a regular local file, or an allowed URL.

    Parameters
    ----------
    source : path-like or str
        A local path, or a URL of :data:`READ_PROTOCOLS`.
    name : str, optional
        What the error calls the file (default: ``source``).
    error : type of TableError, default TableError
        The error raised (e.g. :class:`~pai_model.errors.CatalogError`).

    Yields
    ------
    binary file
        Open for reading, positioned at its start.

    Raises
    ------
    TableError
        Of the class ``error``, with one problem: a URL the kit does not read, no such
        file, a folder, a FIFO, device or socket, a path holding a NUL character, or a file
        that cannot be opened.

    Examples
    --------
    >>> with open_input("/dev/null") as file:  # doctest: +ELLIPSIS
    ...     pass
    Traceback (most recent call last):
    ...
    pai_model.errors.TableError: 1 problem in /dev/null:
      - /dev/null: not a regular file (a device); give a file
    """
    text = os.fspath(source)
    shown = name or str(text)

    def refuse(message: str) -> TableError:
        return error([Problem(shown, message)], shown)

    if ("\x00" if isinstance(text, str) else b"\x00") in text:
        raise refuse("the path holds a NUL character, which no file name can; give a file")
    try:
        scheme = protocol(text)
    except TableError as refused:
        raise refuse(refused.problems[0].message) from None
    if scheme in (None, "file", "local"):
        path = re.sub(r"^(file|local)://", "", text) if scheme else text
        with _opened_local(path, refuse) as file:
            yield file
        return
    import fsspec

    try:
        fs, path = fsspec.core.url_to_fs(text)
        if fs.isdir(path):
            raise refuse("is a directory; give a file")
        file = fs.open(path, "rb")
    except FileNotFoundError:
        raise refuse("no such file") from None
    except (ImportError, ValueError, OSError) as failure:
        hint = " (install it with: pip install 'pai-cost-kit[oss]')" if scheme == "oss" else ""
        raise refuse(f"cannot be opened ({failure}){hint}") from None
    with file:
        yield file


def read_input(
    source: str | os.PathLike[str],
    *,
    name: str | None = None,
    error: type[TableError] = TableError,
) -> bytes:
    """The bytes of a file opened by :func:`open_input` (same arguments, same errors)."""
    shown = name or str(os.fspath(source))
    with open_input(source, name=name, error=error) as file:
        try:
            return file.read()
        except OSError as failure:
            raise error([Problem(shown, f"cannot be read ({_reason(failure)})")], shown) from None


_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


def _kind(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "a special file")


@contextlib.contextmanager
def _opened_local(path: str | bytes, refuse: Callable[[str], TableError]) -> Iterator[IO[bytes]]:
    """A regular local file, opened without blocking and checked before it is read.

    ``O_NONBLOCK`` makes opening a FIFO with no writer return at once; the descriptor's own
    ``fstat`` (not the path's, which could change in between) then says what was opened.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise refuse("no such file") from None
    except IsADirectoryError:
        raise refuse("is a directory; give a file") from None
    except OSError as failure:
        with contextlib.suppress(OSError):
            mode = os.stat(path).st_mode  # a socket cannot be opened: say what it is
            if stat.S_ISDIR(mode):
                raise refuse("is a directory; give a file") from None
            if not stat.S_ISREG(mode):
                raise refuse(f"not a regular file ({_kind(mode)}); give a file") from None
        raise refuse(f"cannot be read ({_reason(failure)})") from None
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise refuse("is a directory; give a file")
        if not stat.S_ISREG(mode):
            raise refuse(f"not a regular file ({_kind(mode)}); give a file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        file = os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
    with file:
        yield file


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
