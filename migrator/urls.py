"""``urlsplit``/``urljoin`` that never raise on hostile input.

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
    try:
        return parse.urlsplit(url, scheme, allow_fragments)
    except ValueError:
        return parse.SplitResult("", "", url.replace("[", "%5B").replace("]", "%5D"), "", "")


# An absolute http(s) URL in the form the standard library gives back unchanged (lower-case
# scheme, a plain host, no query, fragment, parameters, whitespace or brackets): joining it to
# any base is the URL itself, without parsing either.
_PLAIN_ABSOLUTE = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[A-Za-z0-9._~!$&'()*+,=:@/%-]*)?")


def urljoin(base: str, url: str, allow_fragments: bool = True) -> str:
    if isinstance(url, str) and _PLAIN_ABSOLUTE.fullmatch(url):
        return url
    try:
        return parse.urljoin(base, url, allow_fragments)
    except ValueError:
        return url
