"""migrator: WordPress archives (WXR exports, saved pages, text scrapes) to clean Markdown."""

from ._version import __version__
from .options import Options
from .pipeline import convert, read

__all__ = ["Options", "convert", "read", "__version__"]
