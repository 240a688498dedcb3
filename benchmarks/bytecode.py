"""The timed migrator's modules compiled to bytecode first, as an installed copy has them.

``pip install`` compiles a package's modules as it installs them, and Python writes the
bytecode of a source tree the first time it imports it, unless told not to: with
``PYTHONDONTWRITEBYTECODE`` set (some CI machines and containers do) every run compiles all of
migrator's modules again, about 0.4 s of CPU and wall time per run that no installed copy
spends.  The benchmarks therefore compile the tree they time before they time it (into its
``__pycache__`` folders, which git ignores); the peers they are measured against are installed
copies, compiled already.
"""

from __future__ import annotations

import compileall
import importlib.util
from pathlib import Path


def compile_package(tree: Path | None = None) -> Path:
    """Compile the ``migrator`` package of ``tree`` (default: the one this interpreter
    imports) and return its folder."""
    if tree is not None:
        package = tree / "migrator"
    else:
        spec = importlib.util.find_spec("migrator")
        if spec is None or spec.origin is None:
            raise SystemExit("migrator is not importable here")
        package = Path(spec.origin).parent
    if not compileall.compile_dir(str(package), quiet=1):
        raise SystemExit(f"could not compile {package}")
    return package
