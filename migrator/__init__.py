"""migrator: WordPress archives (WXR exports, saved pages, text scrapes) to clean Markdown.

The public API: :func:`convert` and :func:`read` with :class:`Options`; :func:`validate` and
:func:`check_output` (what ``migrator validate`` / ``migrator check`` run).  Their exceptions:
:class:`InputError` (``read``: an input cannot be read at all; ``convert`` reports it instead) and
:class:`OptionsError` (options that do not fit, from ``convert``, ``read`` and ``make_options``).

The names are imported on first use (``import migrator`` alone loads nothing else), so the
``migrator`` command (:mod:`migrator.entry`) is listening for Ctrl-C before the tool loads.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .check import check_output
    from .options import Options, OptionsError, make_options
    from .pipeline import convert, read
    from .sources import InputError
    from .validate import validate

#: Each public name and the module it lives in.
_HOMES = {
    "InputError": ".sources",
    "Options": ".options",
    "OptionsError": ".options",
    "check_output": ".check",
    "convert": ".pipeline",
    "make_options": ".options",
    "read": ".pipeline",
    "validate": ".validate",
}

__all__ = [
    "InputError",
    "Options",
    "OptionsError",
    "check_output",
    "convert",
    "make_options",
    "read",
    "validate",
    "__version__",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'migrator' has no attribute {name!r}")
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value  # asked once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """This package: importing its submodule ``validate`` must not hide the function
    ``validate`` (Python names the package's attribute after each submodule it imports)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _HOMES and isinstance(value, types.ModuleType):
            return  # ``migrator.validate`` stays the function; the module is in sys.modules
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
