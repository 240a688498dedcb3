"""Where each document goes: layout templates and file names safe on every OS."""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Container
from functools import lru_cache

from ..model import Document

DEFAULT_LAYOUT = "{type}s/{slug}.md"
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*]')
#: bidirectional controls: a name shown differently from what it is (``gift\u202egpj.exe``)
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MAX_SEGMENT_BYTES = 120
#: The fields a layout template may use, each as a plain ``{name}`` (README: ``--layout``).
LAYOUT_FIELDS = ("type", "slug", "id", "year", "month", "day", "status")


@lru_cache(maxsize=64)  # asked once per document
def check_layout(template: str) -> str:
    """``template`` if it uses only the documented fields, each as a plain ``{name}`` (no
    attribute or index access, no conversion or format spec, no positional field); else
    ValueError saying why."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValueError(f"--layout {template!r} is not a valid template: {exc}") from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in LAYOUT_FIELDS or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise ValueError(
                f"--layout {template!r}: {shown} is not a layout field "
                f"(use {' '.join('{' + f + '}' for f in LAYOUT_FIELDS)})"
            )
    return template


_SPACES = re.compile(r"\s+")
_DASHES = re.compile(r"-{2,}")


@lru_cache(maxsize=4096)  # a pure function of its strings, asked for the same folders over and over
def safe_segment(name: str, fallback: str = "untitled") -> str:
    """One path segment safe on Linux, macOS and Windows (unicode kept, NFC, length capped)."""
    name = unicodedata.normalize("NFC", _BIDI.sub("", name))
    name = _UNSAFE.sub("-", name)
    name = _SPACES.sub(" ", name).strip(" .")
    name = _DASHES.sub("-", name)
    if not name or set(name) <= {".", "-"}:
        name = fallback
    if name.split(".")[0].lower() in _RESERVED:
        name = "_" + name
    encoded = name.encode("utf-8")
    if len(encoded) > MAX_SEGMENT_BYTES:
        name = encoded[:MAX_SEGMENT_BYTES].decode("utf-8", errors="ignore").rstrip(" .-")
    return name


def safe_relpath(path: str) -> str:
    """Make a template result a relative path of safe segments (no '..', no absolute, no drive)."""
    parts = [p for p in re.split(r"[/\\]+", path) if p not in ("", ".", "..")]
    if not parts:
        return "untitled.md"
    stem, dot, ext = parts[-1].rpartition(".")
    last = safe_segment(stem) + dot + safe_segment(ext, "md") if dot and stem else safe_segment(parts[-1])
    return "/".join([safe_segment(p) for p in parts[:-1]] + [last])


def layout_path(template: str, doc: Document, slug_path: str) -> str:
    """Fill a layout template.  ``slug_path`` is the slug with parent slugs for child pages."""
    d = doc.date
    parts = [safe_segment(s) for s in slug_path.split("/") if s]
    values = {
        "type": safe_segment(doc.type),
        # a child's path nests under its parents' slugs only where {slug} is a whole segment
        # (``{slug}.md``): Jekyll's ``_posts/{year}-{month}-{day}-{slug}.md`` must stay one file name
        "slug": "/".join(parts) if _nestable(template) else (parts[-1] if parts else "untitled"),
        "id": safe_segment(doc.id),
        "year": f"{d.year:04d}" if d else "undated",
        "month": f"{d.month:02d}" if d else "00",
        "day": f"{d.day:02d}" if d else "00",
        "status": safe_segment(doc.status),
    }
    return safe_relpath(check_layout(template).format(**values))


@lru_cache(maxsize=64)
def _nestable(template: str) -> bool:
    """Whether every ``{slug}`` of ``template`` stands for a whole path segment (``.ext`` after it allowed)."""
    return all(
        re.fullmatch(r"\{slug\}(\.[^{}/]*)?", segment)
        for segment in template.replace("\\", "/").split("/")
        if "{slug}" in segment
    )


def layout_for(options, doc_type: str, status: str) -> str:
    """The layout template of one item: ``options.layouts`` by ``type:draft``/``type``/``*``
    (draft = any status but publish), else ``options.layout``."""
    group = "publish" if status == "publish" else "draft"
    for key in (f"{doc_type}:{group}", doc_type, f"*:{group}", "*"):
        if key in options.layouts:
            return options.layouts[key]
    return options.layout


def deduplicate(path: str, taken: Container[str]) -> str:
    """Return ``path`` or ``name-2.md``, ``name-3.md``... so that no two documents share a file.

    Comparison is case-insensitive, as on macOS and Windows file systems.
    """
    if path.lower() not in taken:
        return path
    stem, dot, ext = path.rpartition(".")
    if not dot:
        stem, ext = path, ""
    n = 2
    while True:
        candidate = f"{stem}-{n}{dot}{ext}"
        if candidate.lower() not in taken:
            return candidate
        n += 1
