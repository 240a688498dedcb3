"""Pass 1's URL keys: the plain-URL shortcut gives urlsplit's path, and a slug two items claim
is nobody's, as the two statements it replaced decided."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

from hypothesis import example, given, settings
from hypothesis import strategies as st

from migrator.plan.index import path_key, url_path
from migrator.plan.store import Database, TextMap

PIECES = ["http://", "https://", "HTTP://", "ftp://", "//", "h.example", "x-y.example", ":8080", ":", "@", "u",
          "/", "//", "/a", "%2F", "%E6%B8%AF", "港", "?", "#", "=", "&", "[", "]", "[::1]", "\t", "\n", "\r",
          " ", "\x01", "\\", ".", "..", ";p", "A"]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=10).map("".join))
@example("https://h.example/2020/01/a/?p=1#x")
@example("http://h.example?x=/y")
@example("http://h.example#/y?z")
@example("https://h.example:8080")
@example("https://u@h.example/a")
@example("https://[::1]/a")
@example("https://h.example/a\tb")
def test_url_path_is_urlsplits(url: str) -> None:
    try:
        expected: str | None = urlsplit(url.strip()).path
    except ValueError:
        expected = url.strip().replace("[", "%5B").replace("]", "%5D")  # migrator.urls' answer
    assert url_path(url) == expected


@given(st.lists(st.sampled_from(["/", "//", "///", "a", "%2F", "%e6%b8%af", "ẞ", "Å", "A\u030a", "."]), max_size=8))
def test_path_key_unchanged(parts: list[str]) -> None:
    path = "".join(parts)
    old = re.sub(r"/{2,}", "/", unicodedata.normalize("NFC", unquote(path, errors="replace"))).casefold()
    assert path_key(path) == old.rstrip("/")


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c\udcff"]), st.sampled_from(["1", "2", "", "3\udc80"]))))
def test_share_is_get_then_set(claims: list[tuple[str, str]]) -> None:
    db = Database(private=True)
    try:
        new, old = TextMap(db, "new"), TextMap(db, "old")
        for key, value in claims:
            new.share(key, value)
            old[key] = "" if old.get(key, value) != value else value
        assert list(new.items()) == list(old.items())
    finally:
        db.close()
