"""Where output files are on the new site: site-absolute URLs of documents and files, the
relative path from one file to another, percent-encoded for Markdown; old URL paths decoded;
the host key that says which URLs are the same site.  Pure functions, cached where a run calls
them once per link.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import quote

from ..urls import hostname, urlsplit  # never raise on malformed URLs

# Characters written percent-encoded in local paths (non-ASCII is kept readable).
_ENCODE = set(" %#?&<>()[]\\\"`{}|^'") | {chr(c) for c in range(0x21)} | {"\x7f"}

_ENCODED = re.compile("[" + re.escape("".join(sorted(_ENCODE))) + "]")


def encode_path(path: str) -> str:
    """A relative path safe as a Markdown link destination; unicode stays readable."""
    return _ENCODED.sub(_quote_match, path)


def _quote_match(match: re.Match) -> str:
    return quote(match.group(), safe="")


def netloc_key(host: str, port: int | None) -> str:
    """Host (without ``www.``) plus a non-default port: the unit of "same site"."""
    host = host.rstrip(".").lower()
    if host.startswith("www."):
        host = host[4:]
    return f"{host}:{port}" if port and port not in (80, 443) else host


@lru_cache(maxsize=4096)
def netloc_of(url: str) -> str | None:
    try:
        parts = urlsplit(url.strip())
        host = hostname(parts)
        return netloc_key(host, None if host == parts.netloc.lower() else parts.port) if host else None
    except ValueError:
        return None


def document_url(path: str, base_url: str = "/") -> str:
    """The site-absolute URL of an output file: ``posts/a.md``/``posts/a/index.md`` -> ``/posts/a/``."""
    stem = path[:-3] if path.endswith(".md") else path
    if stem == "index" or stem == "_index":
        stem = ""
    elif stem.endswith("/index") or stem.endswith("/_index"):
        stem = stem.rsplit("/", 1)[0]
    base = base_url if base_url.endswith("/") else base_url + "/"
    return encode_path(base + (stem + "/" if stem else ""))


def file_url(path: str, base_url: str = "/") -> str:
    """The site-absolute URL of a media file written at ``path``."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    return encode_path(base + path)


def relative_path(target: str, from_file: str) -> str:
    """``target`` (output-relative) as seen from the file ``from_file``, encoded for Markdown."""
    rel = _relpath(target, posixpath.dirname(from_file) or ".")
    return encode_path(rel)


def _relpath(path: str, start: str) -> str:
    """``posixpath.relpath`` for two paths below the same root, without its two ``getcwd``
    calls (one link after another, they added up)."""
    to, here = path.split("/"), _folder_parts(start)
    if here is None or not path or path[0] == "/" or "" in to or "." in to or ".." in to:
        return _normalised_relpath(path, start)
    return _climb(to, here)  # ``path`` is normalised already: its parts as they are


def _climb(to: list[str], here: Sequence[str]) -> str:
    """The relative path from the folder of parts ``here`` to the path of parts ``to``."""
    common = 0
    while common < min(len(to), len(here)) and to[common] == here[common]:
        common += 1
    parts = [".."] * (len(here) - common) + to[common:]
    return "/".join(parts) if parts else "."


@lru_cache(maxsize=256)
def _folder_parts(start: str) -> tuple[str, ...] | None:
    """The parts of a normalised folder below the root (None: it is not below it)."""
    start = posixpath.normpath(start)
    if start.startswith(("/", "..")):
        return None
    return tuple(part for part in start.split("/") if part not in ("", "."))


def _normalised_relpath(path: str, start: str) -> str:
    path, start = posixpath.normpath(path), posixpath.normpath(start)
    if path.startswith(("/", "..")) or start.startswith(("/", "..")):
        return posixpath.relpath(path, start)
    to = [part for part in path.split("/") if part not in ("", ".")]
    return _climb(to, [part for part in start.split("/") if part not in ("", ".")])


def bundle_layout(layout: str) -> str:
    """A layout writing page bundles: ``{type}s/{slug}.md`` -> ``{type}s/{slug}/index.md``."""
    if layout.endswith("/index.md") or layout.endswith("/_index.md"):
        return layout
    stem = layout[:-3] if layout.endswith(".md") else layout
    return stem + "/index.md"


_PCT = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def decode_path(path: str) -> str:
    """Percent-decode a URL path where it decodes to UTF-8 (``%2F`` and invalid bytes stay)."""

    def repl(match: re.Match) -> str:
        raw = bytes.fromhex(match.group(0).replace("%", ""))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return match.group(0).upper()
        return "".join(quote(ch, safe="") if ch in "/?#% " or ord(ch) < 0x20 else ch for ch in text)

    return _PCT.sub(repl, path)


__all__ = [
    "bundle_layout",
    "decode_path",
    "document_url",
    "encode_path",
    "file_url",
    "netloc_key",
    "netloc_of",
    "relative_path",
]
