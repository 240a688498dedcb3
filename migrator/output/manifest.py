"""``manifest.json``: every input item exactly once, as a document, skipped entry or media."""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from collections.abc import Iterable, Iterator
from dataclasses import asdict, fields
from pathlib import Path

from .._version import __version__
from ..model import Report
from .writer import atomic_write_chunks

MANIFEST = "manifest.json"
SCHEMA_VERSION = 1


def manifest_dict(
    report: Report, files: list[str] | None = None, target: str = "plain", hashes: dict[str, str] | None = None
) -> dict:
    """The whole manifest as one dict, every record in memory: for tests and small reports
    only (the run writes it with :func:`write_manifest`, which streams)."""
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
    if hashes is not None:
        data["file_hashes"] = hashes  # path -> SHA-256 of its content: what proves a file ours
    return data


def write_manifest(
    report: Report,
    out: Path,
    files: Iterable[str] | None = None,
    target: str = "plain",
    hashes: Iterable[tuple[str, str]] | None = None,
) -> None:
    """Write the manifest record by record (memory does not grow with its size).

    The bytes are those of ``json.dumps(manifest_dict(report, files, target, dict(hashes)),
    ensure_ascii=False, indent=2)`` plus a newline; an unchanged manifest is left alone (as
    :func:`atomic_write` does).  ``hashes``: (path, SHA-256) pairs, sorted by path.
    """
    atomic_write_chunks(out / MANIFEST, _manifest_chunks(report, files, target, hashes))


def _record(entry: object) -> dict:
    """A report entry as a dict, field by field: what ``asdict`` gives for these records (their
    fields hold strings, numbers, None and lists/dicts of those), without its deep copy."""
    return {f.name: getattr(entry, f.name) for f in fields(entry)}


#: How json.dumps writes a scalar of exactly these types (``str`` through the same encoder it
#: uses with ``ensure_ascii=False``); any other value goes to json.dumps itself.
_SCALAR_TEXT = {
    str: encode_basestring,
    bool: lambda value: "true" if value else "false",
    int: int.__repr__,
    type(None): lambda value: "null",
}


def _indented(record: object, pad: str = "    ") -> str:
    """``json.dumps(record, ensure_ascii=False, indent=2)``, every line after the first indented
    by ``pad``: written directly for a scalar, or a dict of text keys whose values are text,
    integers, booleans, None or lists of those (what report records hold; the pure-Python
    encoder that ``indent`` needs costs five times more), through json.dumps otherwise."""
    write = _SCALAR_TEXT.get(type(record))
    if write is not None:
        return write(record)
    if type(record) is not dict:
        return json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)
    lines = []
    for key, value in record.items():
        write = _SCALAR_TEXT.get(type(value))
        if write is not None:
            text = write(value)
        elif type(value) is list:
            items = [_SCALAR_TEXT.get(type(item)) for item in value]
            if None in items:
                break
            inner = ",\n".join(f"{pad}    {item_text(item)}" for item_text, item in zip(items, value))
            text = f"[\n{inner}\n{pad}  ]" if value else "[]"
        else:
            break
        if type(key) is not str:
            break
        lines.append(f"{pad}  {encode_basestring(key)}: {text}")
    else:
        return "{\n" + ",\n".join(lines) + f"\n{pad}}}" if lines else "{}"
    return json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)


def _manifest_chunks(
    report: Report,
    files: Iterable[str] | None = None,
    target: str = "plain",
    hashes: Iterable[tuple[str, str]] | None = None,
) -> Iterator[str]:
    head = {"version": SCHEMA_VERSION, "generator": f"migrator {__version__}", "target": target}
    lists = (
        ("documents", report.documents, _record),
        ("skipped", report.skipped, _record),
        ("media", report.media, _record),
        ("media_files", report.media_files, _record),
        ("problems", report.problems, lambda p: p.as_dict()),
    )
    if files is not None:
        lists += (("files", files, lambda f: f),)
    yield "{\n"
    for key, value in head.items():
        yield f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n"
    for n, (key, records, as_dict) in enumerate(lists):
        yield f"  {json.dumps(key)}: ["
        empty = True
        for record in records:  # any iterable: records stream from disk
            yield ("\n" if empty else ",\n") + "    " + _indented(as_dict(record))
            empty = False
        yield "]" if empty else "\n  ]"
        yield ",\n" if n < len(lists) - 1 or hashes is not None else "\n"
    if hashes is not None:
        yield '  "file_hashes": {'
        empty = True
        for rel, value in hashes:
            yield ("\n" if empty else ",\n") + f"    {json.dumps(rel, ensure_ascii=False)}: {json.dumps(value)}"
            empty = False
        yield "}\n" if empty else "\n  }\n"
    yield "}\n"


def read_manifest(out: Path) -> dict | None:
    """The manifest of an earlier run in ``out``, or None."""
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
