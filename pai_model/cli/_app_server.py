"""The Voila server behind ``pai-cost app``: bounded kernels, reclaimed, for local names only.

Voila 0.5 as it comes starts one kernel (about 280 MB) per page load and keeps it until
the server stops; it answers requests addressed to any host name. Three changes, each
where Voila and jupyter_server leave room for it:

- :class:`BoundedKernelManager` (Voila's ``multi_kernel_manager_class``) refuses a kernel
  beyond ``max_kernels`` with a 503 page that says what to do; jupyter_server's own
  culler (configured by ``pai_model.cli.app``) shuts down kernels whose page is gone.
- :class:`DashboardVoila` routes every request whose ``Host`` header is not one of the
  allowed names to a plain 403 before any Voila handler sees it (jupyter_server's own
  Host check is switched off by Voila, which sets ``allow_remote_access``), every
  request whose path is not UTF-8 text without control characters (``/%ff%fe%00``) to a
  plain 400 (Voila's handlers would answer it with a logged traceback or a 500), and
  makes Voila's page set the ``_xsrf`` cookie that its unload beacon needs.

Imported only when the server starts: it loads Voila and jupyter_server.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Collection
from typing import Any
from urllib.parse import unquote_to_bytes

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from tornado.httputil import HTTPServerRequest, split_host_and_port
from tornado.routing import Matcher, Rule
from traitlets import Integer, List, Tuple, Unicode
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

#: A Host header without a port addresses HTTP's default port.
HTTP_PORT = 80


#: How long a page at the limit waits for a kernel that is being shut down. [s]
LIMIT_GRACE_SECONDS = 3.0


def at_limit_message(max_kernels: int) -> str:
    """The text of the page shown when every kernel slot is taken.

    Examples
    --------
    >>> at_limit_message(1)
    'The dashboard is at its limit of 1 open page. Close another dashboard tab, or wait a minute, then reload this page.'
    """  # noqa: E501
    pages = "page" if max_kernels == 1 else "pages"
    return (
        f"The dashboard is at its limit of {max_kernels} open {pages}. Close another"
        " dashboard tab, or wait a minute, then reload this page."
    )


def host_allowed(host: str, allowed: Collection[tuple[str, int | None]]) -> bool:
    """Whether a request's ``Host`` header names one of the ``allowed`` hosts.

    Parameters
    ----------
    host : str
        The ``Host`` header, ``name`` or ``name:port``; without a port it means port 80.
    allowed : collection of (str, int or None)
        Lower-case names with the port they must come with, or None for any port.

    Examples
    --------
    >>> local = {("127.0.0.1", 8866), ("localhost", 8866)}
    >>> host_allowed("LOCALHOST:8866", local), host_allowed("localhost:8867", local)
    (True, False)
    >>> host_allowed("evil.example:8866", local), host_allowed("localhost", local)
    (False, False)
    >>> host_allowed("box.lan:9000", local | {("box.lan", None)})
    True
    """
    name, port = split_host_and_port(host.lower())
    return (name, port or HTTP_PORT) in allowed or (name, None) in allowed


class _ForeignHost(Matcher):
    """Matches exactly the requests whose Host is not allowed (so they go to the 403)."""

    def __init__(self, allowed: Collection[tuple[str, int | None]]) -> None:
        self.allowed = frozenset(allowed)

    def match(self, request: HTTPServerRequest) -> dict[str, Any] | None:
        return None if host_allowed(request.host, self.allowed) else {}


class _ForeignHostHandler(web.RequestHandler):
    """A short plain-text 403, whatever the method or path (websockets included)."""

    def initialize(self, local_url: str) -> None:
        self.local_url = local_url

    def prepare(self) -> None:
        # Plain text, and the Host it was sent is not repeated: nothing to inject.
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(
            f"403: this dashboard answers only at {self.local_url}. The request was"
            " addressed to another host name; to accept one, start pai-cost app with"
            " --allow-host NAME.\n"
        )


#: Control characters (C0, DEL, C1) that no path of the dashboard contains.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def path_is_text(path: str) -> bool:
    """Whether a request path, percent-decoded, is UTF-8 text without control characters.

    Examples
    --------
    >>> path_is_text("/voila/render/what_if.ipynb"), path_is_text("/%E5%8D%8E")
    (True, True)
    >>> path_is_text("/%ff%fe%00"), path_is_text("/%00"), path_is_text("/a%0d%0aSet-Cookie")
    (False, False, False)
    """
    try:
        text = unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not _CONTROL.search(text)


class _BadPath(Matcher):
    """Matches exactly the requests whose path is not text (so they go to the 400)."""

    def match(self, request: HTTPServerRequest) -> dict[str, Any] | None:
        return None if path_is_text(request.path or "/") else {}


class _BadPathHandler(web.RequestHandler):
    """A short plain-text 400, whatever the method (the path is not repeated)."""

    def prepare(self) -> None:
        self.set_status(400)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("400: the path of this request is not UTF-8 text.\n")


class _DashboardPageHandler(TornadoVoilaHandler):
    """Voila's page handler, setting the ``_xsrf`` cookie before the page streams.

    Voila's page shuts its kernel down on ``beforeunload`` with a beacon to
    ``/voila/api/shutdown/<kernel>`` that carries the ``_xsrf`` cookie, but Voila 0.5
    never sets that cookie: the beacon gets a 403 and the kernel lives on. Reading
    ``xsrf_token`` sets it (the cookie must go out before the first flush).
    """

    async def prepare(self) -> None:
        await super().prepare()
        _ = self.xsrf_token


class BoundedKernelManager(AsyncMappingKernelManager):
    """jupyter_server's kernel manager, refusing more than ``max_kernels`` kernels at once.

    Kernels being started count; kernels being shut down do not (so a page reloaded at
    the limit gets a kernel while the beacon of its previous load is still stopping the
    old one). The refusal is a 503 whose reason is :func:`at_limit_message`: Voila shows it
    as the page's heading.
    """

    max_kernels = Integer(
        4, config=True, help="Most kernels (each an open dashboard page) at one time."
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._starting = 0
        self._stopping: set[str] = set()

    def live_kernels(self) -> int:
        """Kernels running or starting, less those being shut down."""
        return len(self) + self._starting - len(self._stopping)

    async def start_kernel(self, **kwargs: Any) -> str:
        # a reload's shutdown beacon for its old kernel may reach the server just after
        # the new page's request: wait a moment for a slot before refusing
        waited = 0.0
        while self.live_kernels() >= self.max_kernels and waited < LIMIT_GRACE_SECONDS:
            await asyncio.sleep(0.1)
            waited += 0.1
        if self.live_kernels() >= self.max_kernels:
            self.log.warning("Refused a kernel: all %d in use", self.max_kernels)
            raise web.HTTPError(503, reason=at_limit_message(self.max_kernels))
        self._starting += 1
        try:
            return await super().start_kernel(**kwargs)
        finally:
            self._starting -= 1

    async def shutdown_kernel(self, kernel_id: str, now: bool = False, restart: bool = False):
        stopping = kernel_id in self and kernel_id not in self._stopping and not restart
        if stopping:
            self._stopping.add(kernel_id)
        try:
            return await super().shutdown_kernel(kernel_id, now=now, restart=restart)
        finally:
            if stopping:
                self._stopping.discard(kernel_id)


class DashboardVoila(Voila):
    """Voila answering only requests addressed to ``allowed_hosts``."""

    allowed_hosts = List(
        Tuple(Unicode(), Integer(allow_none=True)),
        help="(name, port) pairs the Host header may name; port None: any port.",
    )

    def init_handlers(self) -> list:
        handlers = [
            (pattern, _DashboardPageHandler, *rest)
            if handler is TornadoVoilaHandler
            else (pattern, handler, *rest)
            for pattern, handler, *rest in super().init_handlers()
        ]
        local_url = f"http://{self.ip}:{self.port}/"
        refuse = Rule(
            _ForeignHost(self.allowed_hosts), _ForeignHostHandler, {"local_url": local_url}
        )
        bad_path = Rule(_BadPath(), _BadPathHandler)
        return [refuse, bad_path, *handlers]
