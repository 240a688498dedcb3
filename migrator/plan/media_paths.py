"""Where a downloaded media file goes: ``media/`` mirroring the uploads tree (or
``media/<host>/...``), every path segment safe on every common file system.

Pure functions that never raise for odd input: a URL they do not understand is mapped to a safe
fallback.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import unquote

from ..media_urls import WPCOM_FILES_HOST, unwrap_photon, url_host
from ..urls import urlsplit  # never raise on malformed URLs

_BLOGS_DIR = re.compile(r"/wp-content/blogs\.dir/\d+/files/(.*)$")
_WINDOWS_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\..*)?$", re.I)
_UNSAFE_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*\\]')
_MAX_SEGMENT_BYTES = 120


def uploads_relative(url: str) -> str | None:
    """The path below ``wp-content/uploads`` (or the WordPress.com files root), decoded.

    ``None`` for URLs that are not in an uploads tree.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    unwrapped = unwrap_photon(parts)
    if unwrapped is not None:
        parts = unwrapped
    path = parts.path
    if WPCOM_FILES_HOST.match(url_host(parts)):
        rel = path
    elif (match := _BLOGS_DIR.search(path)) is not None:
        rel = match.group(1)
    elif "/wp-content/uploads/" in path:
        rel = path.split("/wp-content/uploads/", 1)[1]
    else:
        return None
    rel = "/".join(_clean_segments(rel))
    return rel or None


def _safe_segment(segment: str) -> str:
    """One path component made safe for every common file system (may return '')."""
    segment = unicodedata.normalize("NFC", segment)
    segment = _UNSAFE_CHARS.sub("_", segment).strip()
    if segment in ("", ".", ".."):
        return ""
    segment = segment.rstrip(". ") or "_"
    if segment.startswith("."):
        segment = "_" + segment[1:]
    if _WINDOWS_RESERVED.match(segment):
        segment = "_" + segment
    if len(segment.encode("utf-8")) > _MAX_SEGMENT_BYTES:
        digest = hashlib.sha1(segment.encode("utf-8")).hexdigest()[:8]
        stem, dot, ext = segment.rpartition(".")
        if not dot or len(ext) > 10:
            stem, ext = segment, ""
        suffix = f"-{digest}" + (f".{ext}" if ext else "")
        budget = _MAX_SEGMENT_BYTES - len(suffix.encode("utf-8"))
        stem = stem.encode("utf-8")[:budget].decode("utf-8", "ignore").rstrip(". ")
        segment = stem + suffix
    return segment


def _clean_segments(path: str) -> list[str]:
    decoded = unquote(path)
    segments = re.split(r"[/\\]", decoded)
    return [s for s in (_safe_segment(seg) for seg in segments) if s]


def media_path(url: str) -> str:
    """Relative output path (``media/...``) for a media URL, mirroring the uploads tree.

    ``.../wp-content/uploads/2015/03/a.jpg`` and ``x.files.wordpress.com/2015/03/a.jpg`` ->
    ``media/2015/03/a.jpg``; anything else -> ``media/<host>/<path>``. Components are
    percent-decoded, NFC-normalised, stripped of ``..``, control and reserved characters,
    and length-capped, so the result never escapes ``media/``.
    """
    rel = uploads_relative(url)
    if rel:
        return "media/" + rel
    try:
        parts = urlsplit(url.strip())
        unwrapped = unwrap_photon(parts)
        if unwrapped is not None:
            parts = unwrapped
        host = _safe_segment(url_host(parts)) or "local"
        path, query = parts.path, parts.query
    except ValueError:
        host, path, query = "invalid", "", ""
    segments = _clean_segments(path)
    digest = hashlib.sha1(url.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    if not segments or path.endswith("/"):
        segments.append(f"index-{digest}")
    elif query:
        # Different queries are different resources: keep them apart.
        stem, dot, ext = segments[-1].rpartition(".")
        named = f"{stem}-{digest}.{ext}" if dot and stem else f"{segments[-1]}-{digest}"
        segments[-1] = _safe_segment(named)
    return "/".join(["media", host, *segments])
