"""``manifest.json``: every input item exactly once, as a document, skipped entry or media."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from .. import __version__
from ..model import Report
from .writer import atomic_write

MANIFEST = "manifest.json"
SCHEMA_VERSION = 1


def manifest_dict(report: Report, files: list[str] | None = None, target: str = "plain") -> dict:
    data = {
        "version": SCHEMA_VERSION,
        "generator": f"migrator {__version__}",
        "target": target,
        "documents": [asdict(d) for d in report.documents],
        "skipped": [asdict(s) for s in report.skipped],
        "media": [asdict(m) for m in report.media],
        "media_files": [asdict(m) for m in report.media_files],
        "problems": [p.as_dict() for p in report.problems],
    }
    if files is not None:
        data["files"] = files  # every file the run wrote (relative paths), manifest excluded
    return data


def write_manifest(report: Report, out: Path, files: list[str] | None = None, target: str = "plain") -> None:
    text = json.dumps(manifest_dict(report, files, target), ensure_ascii=False, indent=2) + "\n"
    atomic_write(out / MANIFEST, text.encode("utf-8"))


def read_manifest(out: Path) -> dict | None:
    """The manifest of an earlier run in ``out``, or None."""
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
