"""The URL fast paths of issue 20 answer exactly what the standard library answers."""

from __future__ import annotations

from urllib import parse

from hypothesis import example, given, settings
from hypothesis import strategies as st

from migrator import urls
from migrator.plan.references import _ENCODE, encode_path

# URLs near the plain absolute form: every character class the fast path treats specially
_PIECES = st.sampled_from(
    [
        "http",
        "https",
        "HTTP",
        "ftp",
        ":",
        "//",
        "/",
        "?",
        "#",
        "@",
        "[",
        "]",
        "%",
        "%e6",
        " ",
        "\t",
        "\n",
        "example.com",
        "EXAMPLE.com",
        "a-b.c",
        ":8080",
        ":99999",
        ":",
        "x",
        "é",
        "&",
        "=",
        ";",
        "..",
        ".",
    ]
)
_URLS = st.lists(_PIECES, max_size=12).map("".join)


def _stdlib_split(url: str) -> parse.SplitResult:
    try:
        return parse.urlsplit(url)
    except ValueError:
        return parse.SplitResult("", "", url.replace("[", "%5B").replace("]", "%5D"), "", "")


@settings(max_examples=3000)
@given(_URLS)
@example("https://example.com")
@example("https://example.com?q#f")
@example("http://Example.COM:8080/a/b/?x=1&y=2#top")
@example("https://example.com/a#")
@example("https://example.com/a?")
@example("https://a.b:/x")
def test_split_and_host_as_the_standard_library(url: str) -> None:
    urls.urlsplit.cache_clear()
    parts = urls.urlsplit(url)
    assert parts == _stdlib_split(url)
    try:
        expected = parts.hostname
    except ValueError:
        return
    assert urls.hostname(parts) == expected
    # the plain form is joined to nothing: it is the URL itself
    if urls.PLAIN_ABSOLUTE.fullmatch(url):
        assert urls.urljoin("https://base.example/dir/page", url) == parse.urljoin("https://base.example/dir/", url)


@given(st.text(alphabet=st.sampled_from(sorted(_ENCODE) + ["a", "é", "/", "-", "港"]), max_size=30))
def test_encode_path_as_one_character_at_a_time(path: str) -> None:
    assert encode_path(path) == "".join(parse.quote(ch, safe="") if ch in _ENCODE else ch for ch in path)
