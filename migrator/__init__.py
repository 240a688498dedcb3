"""migrator: WordPress archives (WXR exports, saved pages, text scrapes) to clean Markdown."""

__version__ = "0.1.0"

from .options import Options  # noqa: E402
from .pipeline import convert, read  # noqa: E402

__all__ = ["Options", "convert", "read", "__version__"]
