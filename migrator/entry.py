"""The ``migrator`` command's entry point.

Python takes up to a second to load the tool.  Ctrl-C meanwhile ends the command as it does
later (:func:`migrator.cli.main`: exit 130, a one-line message, no traceback): this module, and
the package it is in, import nothing more until they are already listening for it.
"""

from __future__ import annotations

import sys


def main() -> int:
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        print("migrator: interrupted", file=sys.stderr)
        return 130
    return run()
