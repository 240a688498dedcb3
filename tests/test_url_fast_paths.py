"""The URL fast paths of issue 20 answer exactly what the standard library answers."""

from __future__ import annotations

from urllib import parse

from hypothesis import example, given, settings
from hypothesis import strategies as st

from migrator import urls
from migrator.plan.site_urls import _ENCODE, encode_path

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


def _srcset_reference(srcset: str) -> list[tuple[str, str]]:
    """The HTML standard's candidate splitting, one character at a time (the code before the fast path)."""
    out: list[tuple[str, str]] = []
    pos, n = 0, len(srcset)
    while pos < n:
        while pos < n and (srcset[pos].isspace() or srcset[pos] == ","):
            pos += 1
        if pos >= n:
            break
        start = pos
        while pos < n and not srcset[pos].isspace():
            pos += 1
        url, descriptor = srcset[start:pos], ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            start, depth = pos, 0
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


_SRCSET = st.lists(
    st.sampled_from(
        ["a.jpg", "b.png?x=1,2", ",", " ", "\t", "\xa0", "\u2003", "300w", "2x", "(", ")", "1.5x", ",,", "x"]
    ),
    max_size=14,
).map("".join)


@settings(max_examples=3000)
@given(_SRCSET)
@example("a.jpg 300w, b.jpg 600w")
@example("a.jpg (1, 2) 300w, b.jpg 2x")
@example("a.jpg,b.jpg")
def test_srcset_split_as_the_standard_says(srcset: str) -> None:
    from migrator.media_urls import _srcset_candidates

    assert _srcset_candidates(srcset) == _srcset_reference(srcset)


_PATHS = st.lists(st.sampled_from(["a", "b", "posts", "x.md", ".", "..", "", "港"]), min_size=1, max_size=5).map(
    "/".join
)


@settings(max_examples=2000)
@given(_PATHS, _PATHS)
@example("posts/a.md", "posts")
@example("media/2020/01/x.jpg", "posts/2020/01")
def test_relative_path_as_posixpath_relpath(path: str, start: str) -> None:
    import posixpath

    from migrator.plan.site_urls import _relpath

    try:
        expected = posixpath.relpath(path, start)
    except ValueError:
        return
    assert _relpath(path, start) == expected
