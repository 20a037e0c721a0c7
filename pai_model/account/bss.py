"""BssOpenApi calls on the right site: the China site, or the international one.

Which site an account belongs to is not something the kit can know in advance. With
``site="auto"`` a call goes to the China site (``business.aliyuncs.com``, ``*_cn``
product types) first; the answer ``NotApplicable`` moves this and every later call to the
international site (``business.ap-southeast-1.aliyuncs.com``, ``*_intl`` product types),
as Alibaba's Terraform provider does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pai_model.account.calls import Caller
from pai_model.account.clients import BSS_ENDPOINTS, SITE_NAMES, Clients
from pai_model.errors import ApiError, PaiModelError

SITE_CHOICES = ("auto", "cn", "intl")


class Bss:
    """BssOpenApi calls with the site fallback; ``site`` is the site in use, ``notes`` why.

    ``request(site)`` builds the SDK request for a site (product types differ per site);
    ``method(client, request)`` sends it.
    """

    def __init__(self, clients: Clients, caller: Caller, site: str = "auto") -> None:
        if site not in SITE_CHOICES:
            raise PaiModelError(f"site {site!r}: use auto, cn or intl")
        self.clients, self.caller = clients, caller
        self.auto = site == "auto"
        self.site = "cn" if self.auto else site
        self.notes: list[str] = []

    def call(
        self, action: str, request: Callable[[str], Any], method: Callable[[Any, Any], Any]
    ) -> Any:
        """The response body of one call (see the module docstring for the site)."""
        site = self.site
        try:
            return self._send(site, action, request, method)
        except ApiError as error:
            if not (self.auto and site == "cn" and error.code == "NotApplicable"):
                raise
        self.site = "intl"
        self.notes.append(
            "the China site answered NotApplicable: prices and products are from the"
            f" international site ({self.endpoint}), with the *_intl product types"
        )
        return self._send("intl", action, request, method)

    @property
    def endpoint(self) -> str:
        """The endpoint of the site in use."""
        return self.clients.endpoint("bss", self.site) or BSS_ENDPOINTS[self.site]

    @property
    def site_name(self) -> str:
        """E.g. "international site (business.ap-southeast-1.aliyuncs.com)"."""
        return f"{SITE_NAMES[self.site]} ({self.endpoint})"

    def _send(
        self,
        site: str,
        action: str,
        request: Callable[[str], Any],
        method: Callable[[Any, Any], Any],
    ) -> Any:
        client = self.clients.get("bss", site)
        return self.caller.call("bss", action, lambda: method(client, request(site)))
