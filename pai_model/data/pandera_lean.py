"""pandera, loaded without the optional libraries the kit never validates with.

pandera looks for dask (its Dask types) and hypothesis (its data synthesis) when a model
is first built and a table first validated, and imports them wherever they are installed:
reading one catalog then costs the import of both. The kit validates pandas DataFrames
only, so pandera is loaded here with dask and hypothesis out of its sight (unless they are
imported already, in which case nothing changes); once pandera's lookups are done, both
can be imported as usual by anyone who uses them.

Every module that validates with pandera imports it from here.
"""

from __future__ import annotations

import sys

#: The optional libraries pandera would import, and the kit does not validate with.
UNUSED = ("dask", "hypothesis")


def _load() -> None:
    hidden = [name for name in UNUSED if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # "import x" raises ImportError
    try:
        import pandera.backends.pandas.builtin_checks  # its strategies look for hypothesis
        import pandera.backends.pandas.builtin_hypotheses
        import pandera.pandas
        import pandera.typing

        pandera.typing.get_index_types()  # look for dask (and cache the answer)
        pandera.typing.get_series_types()
    finally:
        for name in hidden:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]


_load()

import pandera.pandas as pa  # noqa: E402
from pandera.typing import Series  # noqa: E402

__all__ = ["Series", "pa"]
