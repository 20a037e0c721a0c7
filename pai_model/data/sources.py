"""Where usage files are: a file, a folder or a glob, local or any fsspec URL; unpacked.

A source expands to *parts*, each one table: a CSV file, a gzipped CSV (``.gz``), each CSV
member of a zip archive (``.zip``, as Alibaba's bill subscriptions push them), or a
Parquet file (told apart by its magic bytes, whatever its name). A folder is searched
recursively for such files; a glob (``*``, ``?``, ``[``) matches them. ``oss://``
URLs need the optional ``ossfs`` package (``pip install 'pai-cost-kit[oss]'``); other
URLs (``http://``, ``https://``, ...) are refused before anything is fetched.

Every file is opened by :func:`pai_model.data.files.open_input`, so a FIFO, a device or a
socket is refused, never waited on. An archive is read in one pass: its members are read
in order from one open file (:func:`read_parts`), not the archive once per member. A
damaged archive or Parquet file is one problem naming it, never a crash.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pai_model.data.files import open_input
from pai_model.data.files import protocol as url_protocol
from pai_model.errors import Problem, TableError, UsageError

#: What a damaged archive raises while it is read (zlib's error is not an OSError; an
#: encrypted member or an unknown compression method is a RuntimeError).
_DAMAGED = (OSError, EOFError, zipfile.BadZipFile, zlib.error, ValueError, RuntimeError)

#: File names a folder is searched for.
SUFFIXES = (".csv", ".csv.gz", ".gz", ".zip", ".parquet", ".pq")


@dataclass(frozen=True)
class Part:
    """One table of a source: ``path`` on ``url``'s filesystem, ``member`` of a zip."""

    url: str
    path: str
    member: str | None = None

    @property
    def name(self) -> str:
        """How problems name the table: the file, and the member of an archive."""
        return self.url if self.member is None else f"{self.url}!{self.member}"


def expand(source: str | os.PathLike[str]) -> list[Part]:
    """The parts of a source, sorted by name.

    Raises
    ------
    UsageError
        When nothing matches, a folder holds no usage file, a zip holds no CSV, or the
        filesystem of a URL is not installed.
    """
    import fsspec

    if not isinstance(source, str | os.PathLike):
        raise TypeError(
            f"source must be a path or a URL (str or os.PathLike); got {type(source).__name__}"
        )
    text = os.fspath(source)
    if not isinstance(text, str):
        raise TypeError("source must be a path or a URL as text; got bytes")
    try:
        url_protocol(text)
    except TableError as refused:
        raise UsageError(refused.problems, text) from None
    try:
        fs, path = fsspec.core.url_to_fs(text)
    except (ImportError, ValueError) as failure:
        hint = " (install it with: pip install 'pai-cost-kit[oss]')" if "oss" in text else ""
        raise UsageError([Problem(text, f"cannot be opened: {failure}{hint}")], text) from None
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    if any(c in path for c in "*?["):
        paths = sorted(p for p in fs.glob(path) if not fs.isdir(p))
    elif fs.isdir(path):
        paths = sorted(p for p in fs.find(path) if p.lower().endswith(SUFFIXES))
        if not paths:
            message = f"a folder with no usage files ({', '.join(SUFFIXES)})"
            raise UsageError([Problem(text, message)], text)
    elif fs.exists(path):
        paths = [path]
    else:
        raise UsageError([Problem(text, "no such file")], text)
    if not paths:
        raise UsageError([Problem(text, "matches no file")], text)
    parts = []
    for found in paths:
        url = found if protocol in ("file", "local") else f"{protocol}://{found.lstrip('/')}"
        if found.lower().endswith(".zip"):
            parts += _members(fs, found, url)
        else:
            parts.append(Part(url, found))
    return parts


def _members(fs: object, path: str, url: str) -> list[Part]:
    with open_input(url, error=UsageError) as file:
        try:
            names = zipfile.ZipFile(file).namelist()
        except _DAMAGED:
            raise UsageError([Problem(url, "not a readable zip archive")], url) from None
    members = [n for n in names if n.lower().endswith((".csv", ".parquet")) and "/." not in n]
    if not members:
        raise UsageError([Problem(url, "a zip archive with no CSV or Parquet file")], url)
    return [Part(url, path, member) for member in sorted(members)]


def read_bytes(part: Part) -> bytes:
    """The table's bytes, unpacked (gzip, zip member), as written."""
    with PartReader() as reader:
        return reader.read(part)


def read_parts(parts: Iterable[Part]) -> Iterator[tuple[Part, bytes]]:
    """Each part and its bytes, unpacked, in order; each archive opened once for its members."""
    with PartReader() as reader:
        for part in parts:
            yield part, reader.read(part)


class PartReader:
    """Reads parts one after another, keeping the last archive open for its next member.

    Reading the members of one archive in order costs one open and one read of its
    directory, not one per member. Use it as a context manager; :meth:`read` raises
    :class:`~pai_model.errors.UsageError` naming the part (a file that cannot be opened,
    see :func:`~pai_model.data.files.open_input`; a damaged archive or gzip stream), and
    the reader can go on with the next part.
    """

    def __init__(self) -> None:
        self._url: str | None = None
        self._stack = contextlib.ExitStack()
        self._archive: zipfile.ZipFile | None = None

    def __enter__(self) -> PartReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def read(self, part: Part) -> bytes:
        if part.member is None:
            return _unpacked(part)
        if self._archive is None or self._url != part.url:
            self._stack.close()
            self._archive, self._url = None, part.url
            file = self._stack.enter_context(open_input(part.url, error=UsageError))
            try:
                self._archive = self._stack.enter_context(zipfile.ZipFile(file))
            except _DAMAGED as failure:
                self._stack.close()
                raise _damaged(part, failure) from None
        try:
            return self._archive.read(part.member)
        except _DAMAGED as failure:
            raise _damaged(part, failure) from None


def _unpacked(part: Part) -> bytes:
    with open_input(part.url, name=part.name, error=UsageError) as file:
        try:
            data = file.read()
            if data[:2] == b"\x1f\x8b":
                return gzip.decompress(data)
        except _DAMAGED as failure:
            raise _damaged(part, failure) from None
    return data


def _damaged(part: Part, failure: BaseException) -> UsageError:
    reason = " ".join(str(failure).split()) or type(failure).__name__
    return UsageError([Problem(part.name, f"cannot be read, damaged ({reason})")], part.name)


@contextlib.contextmanager
def open_parquet(part: Part, error: type[TableError] = UsageError, **options: Any) -> Iterator[Any]:
    """A part's ``pyarrow.parquet.ParquetFile``; damage found while reading it is ``error``.

    ``options`` go to ``ParquetFile`` (e.g. ``read_dictionary``).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    with open_input(part.url, name=part.name, error=error) as file:
        try:
            yield pq.ParquetFile(file, **options)
        except (pa.ArrowException, OSError, EOFError) as failure:
            reason = " ".join(str(failure).split()) or type(failure).__name__
            problem = Problem(part.name, f"not a readable Parquet file ({reason})")
            raise error([problem], part.name) from None


def head(part: Part, size: int = 4096) -> bytes:
    """The first ``size`` bytes of a part's file as stored (not unpacked)."""
    with open_input(part.url, name=part.name, error=UsageError) as file:
        return file.read(size)
