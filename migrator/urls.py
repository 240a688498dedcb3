"""``urlsplit``/``urljoin`` that never raise on hostile input; ``is_dangerous_url``.

The standard library raises ``ValueError`` for some malformed URLs (``http://[bad/`` -> "Invalid
IPv6 URL", NUL in a scheme-relative netloc...).  Content is hostile: a malformed URL must count
as a URL with no host, never stop a reader or a transform.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib import parse

SplitResult = parse.SplitResult


# A pure function of its strings, called several times per link (the standard library's own
# cache holds only 128 URLs): a bounded cache per process (three calls in four hit it).
@lru_cache(maxsize=2048)
def urlsplit(url: str, scheme: str = "", allow_fragments: bool = True) -> parse.SplitResult:
    plain = PLAIN_ABSOLUTE.fullmatch(url)
    if plain is not None and allow_fragments:  # the standard library's answer, read off the match
        return parse.SplitResult(*plain.groups(""))
    try:
        return parse.urlsplit(url, scheme, allow_fragments)
    except ValueError:
        return parse.SplitResult("", "", url.replace("[", "%5B").replace("]", "%5D"), "", "")


# An absolute http(s) URL in the form the standard library gives back unchanged (lower-case
# scheme, a plain host, no parameters, whitespace, brackets or empty query/fragment): joining it
# to any base is the URL itself, without parsing either; its parts are the match's groups.
_URL_CHARS = r"[A-Za-z0-9._~!$&'()*+,=:@/%-]"
PLAIN_ABSOLUTE = re.compile(
    rf"(?P<scheme>https?)://(?P<netloc>[A-Za-z0-9.-]+(?::[0-9]+)?)(?P<path>(?:/{_URL_CHARS}*)?)"
    rf"(?:\?(?P<query>{_URL_CHARS}+))?(?:#(?P<fragment>{_URL_CHARS}+))?"
)


_PLAIN_NETLOC = re.compile(r"[A-Za-z0-9.-]+")


def hostname(parts: parse.SplitResult) -> str | None:
    """``parts.hostname`` (which parses the netloc again on every call), without the parsing
    for a netloc that is a plain host name (no user, port, brackets or ``%``)."""
    netloc = parts.netloc
    if _PLAIN_NETLOC.fullmatch(netloc):
        return netloc.lower()
    return parts.hostname


def urljoin(base: str, url: str, allow_fragments: bool = True) -> str:
    if isinstance(url, str) and PLAIN_ABSOLUTE.fullmatch(url) and (allow_fragments or "#" not in url):
        return url
    try:
        return parse.urljoin(base, url, allow_fragments)
    except ValueError:
        return url


_SCHEMES = ("javascript", "vbscript", "livescript", "mocha", "data")
_SCHEME = re.compile(rf"^(?:{'|'.join(_SCHEMES)}):", re.I)
_SAFE_DATA = re.compile(r"^data:image/(?:png|gif|jpe?g|webp|avif|bmp)[;,]", re.I)
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")  # what browsers skip inside a URL scheme
_IGNORED_CHARS = "".join(map(chr, range(0x21))) + "\x7f"  # the same, for str.lstrip
#: The ASCII letters those schemes can start with (other characters: any non-ASCII one could
#: match one of their letters case-insensitively, as ``\u212a`` matches ``k``).
_SCHEME_FIRST = frozenset(s[0] for s in _SCHEMES) | frozenset(s[0].upper() for s in _SCHEMES)


def is_dangerous_url(value: str) -> bool:
    """True for ``javascript:``/``vbscript:`` URLs and ``data:`` URLs other than raster images,
    however obfuscated with spaces, tabs, newlines or control characters (browsers ignore them)."""
    if ":" not in value:
        return False  # no scheme at all (most attribute values)
    first = value.lstrip(_IGNORED_CHARS)[:1]
    if first < "\x80" and first not in _SCHEME_FIRST:
        return False  # none of those schemes starts with it (``https:``, ``/a:b``)
    squeezed = _IGNORED.sub("", value)
    if not _SCHEME.match(squeezed):
        return False
    return not _SAFE_DATA.match(squeezed)


_AUTHORITY = re.compile(r"\s*https?://", re.I)


def hostless_meaning(url: str) -> str | None:
    """What an http(s) URL written with ``//`` but an empty host can mean (WordPress 6.1's
    social links write ``https:///about/`` for ``/about/`` and ``https://#`` for ``#``): the
    site-relative URL when that is the only reading (a path from the root: ``/about/?a#b``), ""
    when it has none (``https://``, ``https://#x``, ``https://?q``, ``https:////x/``); None for a
    URL with a host, or not written that way."""
    if not _AUTHORITY.match(url):
        return None
    parts = urlsplit(url.strip())
    if parts.netloc:
        return None
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return ""
    return parse.urlunsplit(("", "", parts.path, parts.query, parts.fragment))
