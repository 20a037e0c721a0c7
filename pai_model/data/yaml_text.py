"""YAML read without aliases, so that a small file cannot expand to gigabytes.

An alias (``*name``) repeats a node written once; nested aliases multiply (ten levels of
ten aliases each, "billion laughs", turn 2 KB into a billion values). The kit's YAML (report
parameters, the product mapping) needs none: an alias is refused with a
:class:`yaml.YAMLError` naming its line, before anything is built from the document.
"""

from __future__ import annotations

from typing import Any

import yaml

ALIAS_MESSAGE = "found an alias (*name); the kit reads no YAML aliases: write the value out"


class _NoAliases:
    """A loader mixin whose composer refuses every alias (and so every merge key ``<<: *a``)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):  # type: ignore[attr-defined]
            mark = self.peek_event().start_mark  # type: ignore[attr-defined]
            raise yaml.composer.ComposerError(None, None, ALIAS_MESSAGE, mark)
        return super().compose_node(parent, index)  # type: ignore[misc]


def load_yaml(text: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Any:
    """The YAML document ``text``, read by ``loader`` (a SafeLoader), aliases refused.

    Raises
    ------
    yaml.YAMLError
        When ``text`` is not YAML, or holds an alias.

    Examples
    --------
    >>> load_yaml("regions: [cn-beijing]")
    {'regions': ['cn-beijing']}
    >>> load_yaml("a: &x [1]\\nb: *x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    yaml.composer.ComposerError: found an alias (*name); ...
      in "<unicode string>", line 2, column 4:
        b: *x
           ^
    """
    if not (isinstance(loader, type) and issubclass(loader, yaml.SafeLoader)):
        raise TypeError(f"loader must be a yaml.SafeLoader class; got {loader!r}")
    guarded = type(f"NoAliases{loader.__name__}", (_NoAliases, loader), {})
    return yaml.load(text, Loader=guarded)
