"""migrator: WordPress archives (WXR exports, saved pages, text scrapes) to clean Markdown.

The public API: :func:`convert` and :func:`read` with :class:`Options`; :func:`validate` and
:func:`check_output` (what ``migrator validate`` / ``migrator check`` run).  Their exceptions:
:class:`InputError` (``read``: an input cannot be read at all; ``convert`` reports it instead) and
:class:`OptionsError` (options that do not fit, from ``convert``, ``read`` and ``make_options``).
"""

from ._version import __version__
from .check import check_output
from .options import Options, OptionsError, make_options
from .pipeline import convert, read
from .sources import InputError
from .validate import validate

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
