"""Media URL normalisation: originals, srcset, media detection, safe output paths."""

from __future__ import annotations

import posixpath
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrator.media_urls import is_media_url, largest_srcset, original_url
from migrator.plan.media_paths import media_path, uploads_relative

UP = "https://example.com/wp-content/uploads/2015/03"


@pytest.mark.parametrize(
    "url, expected",
    [
        (f"{UP}/harbour-300x200.jpg", f"{UP}/harbour.jpg"),
        (f"{UP}/harbour-1024x683.JPG", f"{UP}/harbour.JPG"),
        (f"{UP}/harbour-scaled.jpg", f"{UP}/harbour.jpg"),
        (f"{UP}/harbour-rotated.jpeg", f"{UP}/harbour.jpeg"),
        (f"{UP}/harbour-e1426000000.png", f"{UP}/harbour.png"),
        (f"{UP}/harbour-e1426000000123.png", f"{UP}/harbour.png"),
        (f"{UP}/harbour-e1426000000-300x200.jpg", f"{UP}/harbour.jpg"),
        (f"{UP}/harbour-rotated-e1426000000123-150x150.jpg", f"{UP}/harbour.jpg"),
        (f"{UP}/harbour.jpg?w=300", f"{UP}/harbour.jpg"),
        (f"{UP}/harbour.jpg?w=300&h=200&crop=1", f"{UP}/harbour.jpg"),
        (f"{UP}/harbour.jpg?resize=300%2C200&ssl=1", f"{UP}/harbour.jpg"),
        (f"{UP}/harbour.jpg?fit=1024%2C768&quality=80&strip=all&zoom=2", f"{UP}/harbour.jpg"),
        (f"{UP}/harbour-300x200.jpg?ver=3&w=300", f"{UP}/harbour.jpg?ver=3"),
        (
            "https://i0.wp.com/example.com/wp-content/uploads/x.jpg?w=300",
            "https://example.com/wp-content/uploads/x.jpg",
        ),
        (
            "https://i2.wp.com/example.com/wp-content/uploads/2015/03/x-768x512.jpg?resize=768%2C512&ssl=1",
            "https://example.com/wp-content/uploads/2015/03/x.jpg",
        ),
        (
            "https://demo.files.wordpress.com/2015/03/a-640x480.jpg?w=640&h=480",
            "https://demo.files.wordpress.com/2015/03/a.jpg",
        ),
        ("//example.com/wp-content/uploads/a-300x200.jpg", "//example.com/wp-content/uploads/a.jpg"),
        ("/wp-content/uploads/a-300x200.jpg", "/wp-content/uploads/a.jpg"),
    ],
)
def test_original_url_normalises_variants(url: str, expected: str) -> None:
    assert original_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        # Not an uploads path: a name that merely looks like a size stays.
        "https://example.com/images/poster-300x200.jpg",
        # Only -WxH right before the extension counts.
        f"{UP}/photo-300x200-final.jpg",
        # Too small to be a WordPress size: a real name.
        f"{UP}/my-photo-2x1.jpg",
        # "-scaled" inside the name, not a suffix.
        f"{UP}/scaled-model.jpg",
        # Not an image: no size variants exist.
        f"{UP}/report-2015x03.pdf",
        # Not media at all.
        "https://example.com/2015/03/hello-world/?w=1",
        "https://example.com/page-300x200/",
        "mailto:someone@example.com",
        "",
    ],
)
def test_original_url_leaves_other_urls_alone(url: str) -> None:
    assert original_url(url) == url


def test_original_url_strips_one_size_only() -> None:
    # An upload named like a size variant gets its own variants; only the last one goes.
    assert original_url(f"{UP}/photo-300x200-150x150.jpg") == f"{UP}/photo-300x200.jpg"


def test_original_url_keeps_unrelated_query_parameters() -> None:
    url = f"{UP}/harbour.jpg?ver=2&w=300&token=abc"
    assert original_url(url) == f"{UP}/harbour.jpg?ver=2&token=abc"


def test_original_url_is_idempotent_on_examples() -> None:
    for url in (
        f"{UP}/a-e1426000000-300x200.jpg?w=3&v=1",
        "https://i1.wp.com/example.com/wp-content/uploads/b-scaled.png?ssl=1",
    ):
        once = original_url(url)
        assert original_url(once) == once


@pytest.mark.parametrize(
    "srcset, expected",
    [
        ("a-300x200.jpg 300w, a-1024x683.jpg 1024w, a-768x512.jpg 768w", "a-1024x683.jpg"),
        ("small.jpg, big.jpg 2x, mid.jpg 1.5x", "big.jpg"),
        ("only.jpg", "only.jpg"),
        # commas inside a URL (Photon resize) do not split candidates
        (
            "https://i0.wp.com/e.com/x.jpg?resize=300,200 300w, https://i0.wp.com/e.com/x.jpg?resize=1200,800 1200w",
            "https://i0.wp.com/e.com/x.jpg?resize=1200,800",
        ),
        ("  a.jpg   100w ,b.jpg 50w  ", "a.jpg"),
        ("a.jpg bogus, b.jpg 10w", "b.jpg"),
        ("", None),
        (" , , ", None),
    ],
)
def test_largest_srcset(srcset: str, expected: str | None) -> None:
    assert largest_srcset(srcset) == expected


@pytest.mark.parametrize(
    "url, expected",
    [
        (f"{UP}/harbour.jpg", True),
        (f"{UP}/notes.txt", True),  # anything in uploads is an attachment
        ("https://demo.files.wordpress.com/2015/03/a.jpg", True),
        ("https://i0.wp.com/example.com/wp-content/uploads/x.jpg", True),
        ("https://cdn.example.net/pics/cat.webp", True),
        ("https://example.org/talk.mp3", True),
        ("https://example.org/paper.PDF", True),
        ("https://example.com/2015/03/hello-world/", False),
        ("https://example.com/wp-content/uploads/", False),
        ("https://example.com/feed.xml", False),
        ("ftp://example.com/a.jpg", False),
        ("javascript:alert(1)//.jpg", False),
    ],
)
def test_is_media_url(url: str, expected: bool) -> None:
    assert is_media_url(url) is expected


@pytest.mark.parametrize(
    "url, expected",
    [
        (f"{UP}/harbour.jpg", "media/2015/03/harbour.jpg"),
        ("https://x.files.wordpress.com/2015/03/a.jpg", "media/2015/03/a.jpg"),
        ("https://i0.wp.com/example.com/wp-content/uploads/2015/03/a.jpg", "media/2015/03/a.jpg"),
        ("https://example.com/wp-content/blogs.dir/3/files/2011/01/old.png", "media/2011/01/old.png"),
        ("https://example.com/wp-content/uploads/sites/2/2019/05/b.png", "media/sites/2/2019/05/b.png"),
        ("https://cdn.example.net/pics/cat.webp", "media/cdn.example.net/pics/cat.webp"),
        (f"{UP}/caf%C3%A9%20menu.jpg", "media/2015/03/café menu.jpg"),
        ("https://Example.COM:8080/a/b.png", "media/example.com/a/b.png"),
    ],
)
def test_media_path(url: str, expected: str) -> None:
    assert media_path(url) == expected


def test_media_path_percent_decoding_is_nfc() -> None:
    decomposed = "cafe%CC%81.jpg"  # e + combining acute
    path = media_path(f"{UP}/{decomposed}")
    assert path == "media/2015/03/" + unicodedata.normalize("NFC", "café.jpg")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/wp-content/uploads/../../../etc/passwd",
        "https://example.com/wp-content/uploads/%2e%2e/%2e%2e/etc/passwd",
        "https://example.com/wp-content/uploads/..%2F..%2Fetc%2Fpasswd",
        "https://example.com/wp-content/uploads/..%5C..%5Cwin.ini",
        "https://example.com/wp-content/uploads//abs/x.jpg",
        "https://example.com/wp-content/uploads/a%00b%0A.jpg",
        "https://x.files.wordpress.com/../../x.jpg",
        "https://evil.example/%2e%2e/%2e%2e/x.jpg",
        "https://example.com/wp-content/uploads/" + "a" * 400 + ".jpg",
        "https://example.com/wp-content/uploads/%2e%2e",
        "https://[::1]/x.jpg",
        "not a url at all",
    ],
)
def test_media_path_never_escapes(url: str) -> None:
    _assert_safe(media_path(url))


def test_media_path_long_names_are_capped_and_distinct() -> None:
    a = media_path(f"{UP}/{'a' * 300}-one.jpg")
    b = media_path(f"{UP}/{'a' * 300}-two.jpg")
    assert a != b
    assert a.endswith(".jpg") and b.endswith(".jpg")
    assert all(len(seg.encode()) <= 120 for seg in a.split("/"))


def test_media_path_distinguishes_queries_off_uploads() -> None:
    one = media_path("https://cdn.example.net/img.php?id=1")
    two = media_path("https://cdn.example.net/img.php?id=2")
    assert one != two
    assert one.startswith("media/cdn.example.net/img-") and one.endswith(".php")


def test_uploads_relative() -> None:
    assert uploads_relative(f"{UP}/harbour.jpg") == "2015/03/harbour.jpg"
    assert uploads_relative("https://example.com/images/harbour.jpg") is None


def _assert_safe(path: str) -> None:
    assert path.startswith("media/")
    segments = path.split("/")
    assert all(seg not in ("", ".", "..") for seg in segments), path
    assert not any(ord(ch) < 32 or ch == "\\" for ch in path), path
    assert posixpath.normpath(path) == path
    assert all(len(seg.encode("utf-8")) <= 120 for seg in segments), path


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_media_path_property_safe(tail: str) -> None:
    for base in ("https://example.com/wp-content/uploads/", "https://h.example/"):
        _assert_safe(media_path(base + tail))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_original_url_never_raises_and_only_shortens(tail: str) -> None:
    url = UP + "/" + tail
    result = original_url(url)
    assert isinstance(result, str)
    assert len(result) <= len(url)
