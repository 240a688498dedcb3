"""Pass 1's lean reading (migrator/sources/wxr_index.py): the same index and problems as the full
reader, and every item read back from its bytes exactly as the full reader reads it."""

from __future__ import annotations

import dataclasses
import gzip
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from migrator.model import Site
from migrator.options import Options
from migrator.plan import index as ix
from migrator.sources import read_inputs
import migrator.sources.wxr_index as wi
from migrator.sources.wxr_index import scan_items

from conftest import FIXTURES, export_past_65535

HEAD = """<?xml version="1.0" encoding="{enc}"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>T &amp; "q"</title>
<link>https://ex.example</link><wp:base_site_url>https://ex.example</wp:base_site_url>
<wp:author><wp:author_login>ann</wp:author_login><wp:author_display_name>Ann É</wp:author_display_name></wp:author>
"""
ITEM = """<item><title>{title}</title><link>https://ex.example/{slug}/</link><dc:creator>{author}</dc:creator>
<content:encoded><![CDATA[{content}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{id}</wp:post_id><wp:post_date>2020-01-0{day} 10:00:00</wp:post_date><wp:post_name>{slug}</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="news"><![CDATA[News]]></category>
<wp:postmeta><wp:meta_key>k</wp:meta_key><wp:meta_value><![CDATA[v]]></wp:meta_value></wp:postmeta>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>C</wp:comment_author>
<wp:comment_content><![CDATA[hi]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>
</item>
"""
TAIL = "<wp:author><wp:author_login>bob</wp:author_login><wp:author_display_name>Bob</wp:author_display_name></wp:author></channel></rss>\n"

TRICKY = [
    "<p>an <item> and </item> inside CDATA</p>",
    "<p>]]]]><![CDATA[> split CDATA, <!-- <item> --> a comment in it</p>",
    "<p>café, Ελληνικά, 中文, 🎉</p>",
    "<p>line\r\nbreaks\rof every kind\n</p>",
]


def export(enc: str = "UTF-8", items: int = 6, between: str = "\n", tail: str = TAIL, same_id: bool = False) -> str:
    parts = [HEAD.format(enc=enc), "<!-- <item>not one</item> -->\n<?pi <item> ?>\n"]
    for n in range(1, items + 1):
        parts.append(
            ITEM.format(
                title=f"Post {n} &amp; é",
                slug=f"post-{n}",
                content=TRICKY[n % len(TRICKY)],
                id=1 if same_id and n % 2 else n,
                day=n % 9 + 1,
                author="bob" if n == items else "ann",
            )
        )
        parts.append(between)
    parts.append(tail)
    return "".join(parts)


def full_and_lean(paths: list[Path], options: Options | None = None):
    """(index rows, problems) of the full reading and of the lean one, and the lean index."""
    options = options or Options()
    out = []
    for lean in (False, True):
        problems: list = []
        index = ix.build_index(paths, options, problems) if lean else ix._build(paths, options, problems, lean=False)
        rows = (
            [dataclasses.astuple(e) for e in index.entries],
            index.db.rows("SELECT * FROM attachments ORDER BY pos"),
            index.db.rows("SELECT * FROM texts ORDER BY kind, key"),
            repr(index.site),
        )
        out.append((rows, [dataclasses.astuple(p) for p in problems], index))
    (full_rows, full_problems, full), (lean_rows, lean_problems, lean) = out
    full.close()
    assert lean_rows == full_rows
    assert lean_problems == full_problems
    return lean


def assert_spans_read_back(index, paths: list[Path]) -> None:
    """Every item read from its bytes is the full reader's document (before renaming)."""
    docs = list(read_inputs(paths, Site(), []))
    assert index.spans is not None and index.spans.usable
    for position, (doc, entry) in enumerate(zip(docs, index.entries)):
        again = index.spans.document(position)
        assert again is not None
        again.id = entry.id
        assert again == doc
        bare = index.spans.document(position, comments=False)  # a run that writes no comments
        assert bare is not None and bare.comments == []
        bare.id = entry.id
        assert bare == dataclasses.replace(doc, comments=[])


@pytest.mark.parametrize("enc,codec", [("UTF-8", "utf-8"), ("windows-1252", "cp1252"), ("ISO-8859-1", "latin-1")])
def test_byte_ranges_in_every_ascii_compatible_encoding(tmp_path: Path, enc: str, codec: str) -> None:
    path = tmp_path / "e.xml"
    text = export(enc)
    if codec != "utf-8":
        text = text.replace("中文, 🎉", "").replace("Ελληνικά, ", "")  # what the single-byte code has
    path.write_bytes(text.encode(codec))
    index = full_and_lean([path])
    assert_spans_read_back(index, [path])
    index.close()


def test_crlf_and_one_line_exports(tmp_path: Path) -> None:
    crlf, one = tmp_path / "crlf.xml", tmp_path / "one.xml"
    crlf.write_bytes(export().replace("\n", "\r\n").encode())
    one.write_bytes(export(between="").replace("\n", " ").encode())
    for path in (crlf, one):
        index = full_and_lean([path])
        assert_spans_read_back(index, [path])
        index.close()


def test_lines_past_65535(tmp_path: Path) -> None:
    """libxml2 keeps no exact element line past 65535: the parser's line is the one kept."""
    path = tmp_path / "long.xml"
    path.write_bytes(export(between="\n" * 30000).encode())
    index = full_and_lean([path])
    assert max(e.line for e in index.entries) > 65535
    assert_spans_read_back(index, [path])
    index.close()


def test_lines_capped_at_65535_keep_the_byte_ranges(tmp_path: Path) -> None:
    """libxml2 gives some items past line 65535 the line 65535 itself (this layout: one item; a
    100,000-item export: every few thousand).  Their bytes are still read back, with that line."""
    path = export_past_65535(tmp_path / "long.xml")
    index = full_and_lean([path])
    assert 65535 in {e.line for e in index.entries}
    assert_spans_read_back(index, [path])  # usable, and each item is the full reader's
    index.close()


def test_split_export_with_shared_ids(tmp_path: Path) -> None:
    """Two files, the same id for different items (renamed) and the same item twice (a
    duplicate): decided from items read back from their bytes, with authors as known then."""
    a, b = tmp_path / "a.xml", tmp_path / "b.xml"
    a.write_bytes(export(same_id=True, tail="</channel></rss>").encode())
    b.write_bytes(export(same_id=True).encode())
    index = full_and_lean([a, b])
    codes = {e.reason for e in index.entries}
    assert "duplicate-id" in codes
    assert any(e.id.startswith("1-") for e in index.entries)
    assert_spans_read_back(index, [a, b])
    index.close()
    index = full_and_lean(sorted((FIXTURES / "split").glob("*.xml")))
    assert_spans_read_back(index, sorted((FIXTURES / "split").glob("*.xml")))
    index.close()


def test_what_cannot_be_cut_is_read_in_full(tmp_path: Path) -> None:
    """A nested <item>, a gzip file, UTF-16 or a broken file: the same index, without spans."""
    nested = tmp_path / "nested.xml"
    nested.write_bytes(export().replace("<wp:meta_value><![CDATA[v]]>", "<wp:meta_value><item>x</item>", 1).encode())
    packed = tmp_path / "packed.xml.gz"
    packed.write_bytes(gzip.compress(export().encode()))
    broken = tmp_path / "broken.xml"
    broken.write_bytes(
        export().replace("<wp:status>publish</wp:status>", "<wp:status>publish & co</wp:status>", 1).encode()
    )
    wide = tmp_path / "wide.xml"
    wide.write_bytes(export("UTF-16").encode("utf-16"))
    for path in (nested, packed, broken, wide):
        index = full_and_lean([path])
        assert index.spans is None or not index.spans.usable
        index.close()


def test_fixtures_index_alike() -> None:
    for path in sorted(FIXTURES.glob("*.xml")) + sorted((FIXTURES / "hostile").glob("*.xml")):
        if path.name.startswith(("billion", "xxe")):
            continue
        full_and_lean([path]).close()


def test_scanner_finds_items_outside_cdata_comments_and_pis() -> None:
    text = export(between="").encode()
    spans = list(scan_items(io.BytesIO(text)))
    assert len(spans) == 6
    for start, end, line in spans:
        assert text[start : start + 6] == b"<item>" and text[end - 7 : end] == b"</item>"
        assert text.count(b"\n", 0, start) + 1 == line
    # chunk boundaries anywhere: the same spans
    old = wi.CHUNK
    try:
        for size in (7, 64, 1000):
            wi.CHUNK = size
            assert list(scan_items(io.BytesIO(text))) == spans
    finally:
        wi.CHUNK = old


# ---------------------------------------------------------------------------- structure and bytes
# The lean reader hears only of <rss>, <item> and the channel's fields, and reads a plain UTF-8
# file's own bytes: whatever the structure around the items and whatever the bytes, the index
# and the problems are the full reader's.

CHANNEL_BITS = [
    "<title>Site &amp; more</title>",
    "<link>https://other.example</link>",
    "<description>d</description>",
    "<language>fr</language>",
    "<generator>gen</generator>",
    "<wp:wxr_version>1.1</wp:wxr_version>",
    "<wp:base_site_url>https://b.example</wp:base_site_url>",
    "<wp:author><wp:author_login>cy</wp:author_login><wp:author_display_name>Cy</wp:author_display_name></wp:author>",
    "<wp:category><wp:category_nicename>n</wp:category_nicename><wp:cat_name>N</wp:cat_name></wp:category>",
    "<wp:tag><wp:tag_slug>t</wp:tag_slug><wp:tag_name>T</wp:tag_name></wp:tag>",
    "<wp:term><wp:term_taxonomy>x</wp:term_taxonomy><wp:term_slug>s</wp:term_slug></wp:term>",
    "<dc:title>not the site's title</dc:title>",
    "<image><title>nor this</title><link>https://img.example</link></image>",
    "<foo><item><title>deeper: no item</title><wp:post_id>900</wp:post_id></item></foo>",
    '<x:item xmlns:x="urn:x"><wp:post_id>901</wp:post_id></x:item>',
    "<!-- <item> -->",
    "<?pi <item> ?>",
    "\n",
    "<item><title>img</title><wp:post_id>950</wp:post_id><wp:post_type>attachment</wp:post_type>"
    "<guid>https://ex.example/?attachment_id=950</guid><wp:post_parent>2</wp:post_parent>"
    "<wp:attachment_url>https://ex.example/wp-content/uploads/i.jpg</wp:attachment_url>"
    "<excerpt:encoded><![CDATA[caption]]></excerpt:encoded><wp:menu_order>3</wp:menu_order>"
    "<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>alt</wp:meta_value></wp:postmeta>"
    "</item>",
]


def structured_export(bits: list[int], prolog: str, tail: str, inserted: bytes) -> bytes:
    parts = [prolog.encode(), HEAD.split("\n", 1)[1].encode()]
    for n, bit in enumerate(bits, start=1):
        if bit < len(CHANNEL_BITS):
            parts.append(CHANNEL_BITS[bit].encode())
        else:
            content = TRICKY[n % len(TRICKY)].encode() + (inserted if n == 2 else b"")
            item = ITEM.format(title=f"P{n}", slug=f"p-{n}", content="\x00", id=n % 5, day=n % 9 + 1, author="cy")
            parts.append(item.encode().replace(b"\x00", content))
    parts.append(tail.encode())
    return b"".join(parts)


PROLOGS = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    '<?xml version="1.0" encoding="utf-8" ?>\n<!-- a comment -->\n<?pi x?>\n',
    "",
    '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n',
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE rss>\n',
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE rss [<!ENTITY e "x">]>\n',
    '<?xml version="1.0" encoding="windows-1252"?>\n',
    '<?xml version="1.0" encoding="ISO-8859-1"?>\n<!-- latin -->',
]
TAILS = [
    "</channel></rss>\n",
    "<title>late title</title>" + TAIL,
    "</channel><other><item><wp:post_id>77</wp:post_id><title>under another parent</title></item></other></rss>",
    '</channel><other xmlns:wp="http://wordpress.org/export/1.1/"><item><wp:post_id>78</wp:post_id></item></other></rss>',
    "</channel><item><wp:post_id>79</wp:post_id></item></rss>",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    bits=st.lists(st.integers(0, len(CHANNEL_BITS) + 2), max_size=12),
    prolog=st.sampled_from(PROLOGS),
    tail=st.sampled_from(TAILS),
    inserted=st.sampled_from([b"", b"\xff", b"\xc3\xa9", b"\xed\xa0\x80", b"\xe2\x82", b"&#233;", b"\xc2\x85"])
    | st.binary(max_size=3).filter(lambda b: b"\x00" not in b),  # NUL: not text at all
)
def test_any_structure_and_bytes_index_alike(tmp_path: Path, bits, prolog, tail, inserted) -> None:
    path = tmp_path / "s.xml"
    path.write_bytes(structured_export(bits, prolog, tail, inserted))
    index = full_and_lean([path])
    if index.spans is not None and index.spans.usable:
        assert_spans_read_back(index, [path])
    index.close()


def test_plain_utf8_is_parsed_from_its_own_bytes(tmp_path: Path, monkeypatch) -> None:
    """The fast road is taken where it may be, and only there."""
    import migrator.sources.wxr_index as wi

    taken: list[bool] = []
    real = wi._as_is
    monkeypatch.setattr(wi, "_as_is", lambda *a: taken.append(real(*a)) or taken[-1])
    for prolog, expected in zip(PROLOGS, [True, True, True, False, False, False, False, False]):
        path = tmp_path / "p.xml"
        path.write_bytes(structured_export([30, 30], prolog, TAILS[0], b""))
        taken.clear()
        full_and_lean([path]).close()
        assert taken == [expected], prolog


SOUP = [
    b"<item>",
    b"<item >",
    b"<item/>",
    b"<itemx>",
    b"</item>",
    b"</item \n>",
    b"</item",
    b"<![CDATA[",
    b"]]>",
    b"]]",
    b"]",
    b"<!--",
    b"-->",
    b"-",
    b"<?",
    b"?>",
    b"<",
    b">",
    b"x",
    b"\n",
    b"\r\n",
    b"<a>",
    b"<!x>",
    b"<![CDATA[</item>]]>",
    b"<![CDATA[a]]]>",
    b"<!-- <item> -->",
    b"<!---->",
    b"<?pi </item>?>",
    b"<?>",
]
SOUPS = st.lists(st.sampled_from(SOUP), max_size=6).map(b"".join)
ITEMS = SOUPS.map(lambda inner: b"<item>" + inner + b"</item>")


@settings(max_examples=500, deadline=None)
@given(parts=st.lists(SOUPS | ITEMS, max_size=12), chunk=st.integers(1, 40))
@example(parts=[b"<item><!-- x --></item>"], chunk=5)
@example(parts=[b"<item><![CDATA[]]]></item><item/>x</item>"], chunk=3)
@example(parts=[b"<item><?p?></item><item><item></item>"], chunk=100)
def test_scanner_is_the_token_by_token_one(parts: list[bytes], chunk: int) -> None:
    """Matching an item's body in one go finds what looking at every token found, wherever the
    reads cut the file, whatever the tokens (unclosed sections, nested or stray items)."""
    text = b"".join(parts)
    expected = list(reference_scan(io.BytesIO(text), 1 << 20))
    assert list(reference_scan(io.BytesIO(text), chunk)) == expected
    old = wi.CHUNK
    try:
        wi.CHUNK = chunk
        assert list(scan_items(io.BytesIO(text))) == expected
    finally:
        wi.CHUNK = old


def reference_scan(raw, chunk: int):
    """The scanner as it was before its items were matched in one go (the reference)."""
    buf = b""
    base = 0  # file offset of buf[0]
    pos = 0  # where the next search starts in buf
    counted, line = 0, 1  # line is the line of buf[counted]
    start = -1  # buf index of the open item's start tag, -1 when none is open
    eof = False
    while True:
        m = wi._TOKEN.search(buf, pos)
        if m is not None and (eof or m.end() < len(buf)):  # a match at the very end may go on
            tok = m.group()
            closer = wi._CLOSE.get(tok)
            if closer is not None:
                end = buf.find(closer, m.end())
                if end >= 0:
                    pos = end + len(closer)
                    continue
                if eof:
                    return
            elif tok.startswith(b"<item"):
                if start >= 0:
                    return  # an item inside an item: not an export's item
                line += wi._lines(buf, counted, m.start())
                counted = start = m.start()
                pos = m.end()
                continue
            else:
                if start < 0:
                    return
                yield base + start, base + m.end(), line
                start = -1
                pos = m.end()
                continue
        elif eof:
            return
        else:
            pos = max(pos, len(buf) - 16)  # no token starts before this (the longest is short)
        if m is not None:
            pos = min(pos, m.start())
        data = raw.read(chunk)
        if not data:
            eof = True
            continue
        keep = start if start >= 0 else pos  # an open item stays whole
        line += wi._lines(buf, counted, keep) if counted < keep else 0
        counted = max(counted, keep) - keep
        if start >= 0:
            start -= keep
        buf = buf[keep:] + data
        base += keep
        pos -= keep
