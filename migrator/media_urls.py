"""WordPress media URLs: which URLs are media files, the original upload behind a resized or
proxied one, the largest ``srcset`` candidate.  (Where a media file goes on disk is planned in
:mod:`migrator.plan.media_paths`.)

All functions are pure and never raise for odd input: a URL they do not understand is
returned unchanged (``original_url``).
"""

from __future__ import annotations

import re
from urllib.parse import unquote, unquote_plus, urlunsplit

from .urls import hostname, urlsplit  # never raise on malformed URLs

#: Extensions of images WordPress makes size variants of.
IMAGE_EXTENSIONS = frozenset("jpg jpeg jpe png gif webp avif bmp tif tiff heic heif ico svg".split())
#: Extensions treated as media (downloadable attachments) wherever they are hosted.
MEDIA_EXTENSIONS = IMAGE_EXTENSIONS | frozenset(
    "mp3 m4a ogg oga wav flac aac opus mp4 m4v mov webm ogv avi wmv mkv 3gp "
    "pdf doc docx xls xlsx ppt pptx pps ppsx odt ods odp key pages numbers rtf epub".split()
)
#: Jetpack Photon / WordPress.com image-resizing query parameters (dropped from originals).
PHOTON_PARAMS = frozenset(
    "w h resize fit crop ssl quality strip zoom lb ulb filter brightness contrast colorize smooth".split()
)

_PHOTON_HOST = re.compile(r"^i[0-9]\.wp\.com$")
WPCOM_FILES_HOST = re.compile(r"^[a-z0-9-]+\.files\.wordpress\.com$")
_UPLOADS_MARKERS = ("/wp-content/uploads/", "/wp-content/blogs.dir/")
# Size variant: -<w>x<h> right before the extension; 2-5 digit dimensions without a
# leading zero (so "photo-2x1.jpg" is left alone: WordPress never makes 2-pixel sizes).
_SIZE_SUFFIX = re.compile(r"-[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$")
# Edit suffix added by the WordPress image editor: -e + time() (+ 3 random digits).
_EDIT_SUFFIX = re.compile(r"-e[0-9]{10,13}$")
_BIG_SUFFIX = re.compile(r"-(?:scaled|rotated)$")


def _extension(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    if "." not in name:
        return ""
    return name.rsplit(".", 1)[-1].lower()


def url_host(url_parts) -> str:
    """The lower-cased host of split URL parts ("" when there is none or it is malformed)."""
    try:
        return (hostname(url_parts) or "").rstrip(".").lower()
    except ValueError:
        return ""


def is_wpcom_media_host(host: str) -> bool:
    """True for WordPress.com media hosts: ``*.files.wordpress.com`` and ``iN.wp.com``."""
    host = host.lower().rstrip(".")
    return bool(WPCOM_FILES_HOST.match(host) or _PHOTON_HOST.match(host))


def unwrap_photon(parts):
    """``i0.wp.com/example.com/path`` -> parts of ``https://example.com/path`` (or None)."""
    if not _PHOTON_HOST.match(url_host(parts)):
        return None
    inner = parts.path.lstrip("/")
    if "/" not in inner:
        return None
    host, path = inner.split("/", 1)
    if not host or "." not in host:
        return None
    return urlsplit(urlunsplit(("https", host, "/" + path, parts.query, "")))


def _is_uploads_path(parts) -> bool:
    if WPCOM_FILES_HOST.match(url_host(parts)):
        return True
    return any(marker in parts.path for marker in _UPLOADS_MARKERS)


def is_media_url(url: str) -> bool:
    """Whether ``url`` points at a media file (uploads path, WordPress.com media, media ext)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return False
    host = url_host(parts)
    if _PHOTON_HOST.match(host):
        return unwrap_photon(parts) is not None
    if WPCOM_FILES_HOST.match(host) and parts.path not in ("", "/"):
        return True
    if _is_uploads_path(parts) and not parts.path.endswith("/"):
        return True
    return _extension(unquote(parts.path)) in MEDIA_EXTENSIONS


def _strip_size_suffixes(path: str) -> str:
    """Remove WordPress size/edit/scaled suffixes from the file name of an image path."""
    directory, _, name = path.rpartition("/")
    if "." not in name:
        return path
    stem, ext = name.rsplit(".", 1)
    if ext.lower() not in IMAGE_EXTENSIONS:
        return path
    original = stem
    stem = _SIZE_SUFFIX.sub("", stem, count=1)
    # "-scaled", "-rotated" and edit suffixes may stack (photo-rotated-e1700000000123).
    while True:
        shorter = _EDIT_SUFFIX.sub("", _BIG_SUFFIX.sub("", stem, count=1), count=1)
        if shorter == stem:
            break
        stem = shorter
    if not stem or stem.startswith("."):
        stem = original
    return f"{directory}/{stem}.{ext}" if directory or path.startswith("/") else f"{stem}.{ext}"


#: The media shortcodes' instance counter (``add_query_arg( '_', $instance, $url )``).
_INSTANCE = re.compile(r"_=\d+")


def original_url(url: str) -> str:
    """The URL of the original upload a (resized, proxied) media URL was derived from.

    Unwraps ``iN.wp.com`` proxies, drops Photon/WordPress.com resize parameters, drops the
    ``_=N`` instance counter ``[audio]`` and ``[video]`` add to their sources (``x.mp3?_=1``), and
    strips WordPress size suffixes (``-300x200``, ``-scaled``, ``-rotated``, ``-e<timestamp>``)
    right before an image extension in an uploads path. Other URLs come back unchanged.
    """
    if not url or not url.strip():
        return url
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    if parts.scheme.lower() not in ("http", "https", ""):
        return url
    if not is_media_url(url):
        return url
    unwrapped = unwrap_photon(parts)
    photon = unwrapped is not None
    if photon:
        parts = unwrapped
    query = parts.query
    if query and (photon or _extension(unquote(parts.path)) in IMAGE_EXTENSIONS):
        # Drop resize parameters; keep every other parameter exactly as written.
        query = "&".join(
            piece
            for piece in query.split("&")
            if piece and unquote_plus(piece.split("=", 1)[0]).lower() not in PHOTON_PARAMS
        )
    if query:
        query = "&".join(piece for piece in query.split("&") if not _INSTANCE.fullmatch(piece))
    path = parts.path
    if _is_uploads_path(parts):
        path = _strip_size_suffixes(path)
    return urlunsplit((parts.scheme, parts.netloc, path, query, parts.fragment))


_SEPARATORS = re.compile(r"[\s,]*")  # \s is str.isspace's set
_NOT_SPACE = re.compile(r"\S*")


def _srcset_candidates(srcset: str) -> list[tuple[str, str]]:
    """Split a srcset into (url, descriptor) pairs following the HTML parsing rules.

    URLs are whitespace-delimited, so commas inside them (``?resize=300,200``) survive.
    """
    out: list[tuple[str, str]] = []
    pos, n = 0, len(srcset)
    while pos < n:
        pos = _SEPARATORS.match(srcset, pos).end()  # type: ignore[union-attr]
        if pos >= n:
            break
        start = pos
        pos = _NOT_SPACE.match(srcset, pos).end()  # type: ignore[union-attr]
        url = srcset[start:pos]
        descriptor = ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            start = pos
            comma = srcset.find(",", pos)
            if comma < 0:
                comma = n
            if "(" not in srcset[start:comma]:
                pos = comma  # no parenthesis: the descriptor ends at the next comma
            else:
                depth = 0
                while pos < n:
                    ch = srcset[pos]
                    if ch == "(":
                        depth += 1
                    elif ch == ")" and depth:
                        depth -= 1
                    elif ch == "," and not depth:
                        break
                    pos += 1
            descriptor = srcset[start:pos].strip()
            pos += 1
        if url:
            out.append((url, descriptor))
    return out


def _descriptor_value(descriptor: str) -> tuple[str, float] | None:
    """('w', width) or ('x', density); None when the descriptor is invalid."""
    kind, value = "x", 1.0
    for token in descriptor.split():
        match = re.fullmatch(r"([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)([wxh])", token.lower())
        if not match:
            return None
        if match.group(2) == "h":
            continue
        kind, value = match.group(2), float(match.group(1))
    return kind, value


def largest_srcset(srcset: str) -> str | None:
    """The URL of the largest candidate in a ``srcset`` (by width, else by density)."""
    if not srcset:
        return None
    best: dict[str, tuple[float, str]] = {}
    for url, descriptor in _srcset_candidates(srcset):
        parsed = _descriptor_value(descriptor)
        if parsed is None:
            continue
        kind, value = parsed
        if kind not in best or value > best[kind][0]:
            best[kind] = (value, url)
    if "w" in best:
        return best["w"][1]
    if "x" in best:
        return best["x"][1]
    return None
