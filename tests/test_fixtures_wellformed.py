"""The project's own WXR fixtures parse (or fail) as fixtures/README.md says they do."""

from __future__ import annotations

import ipaddress
import json
import re
from pathlib import Path

import pytest
from lxml import etree

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
README = FIXTURES / "README.md"
GOOD = ["sample-export.xml", "split/part-1.xml", "split/part-2.xml", "wxr10.xml"]
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]


def strict_parse(path: Path) -> etree._ElementTree:
    """Parse with lxml, no recovery, no entity resolution, no network."""
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    return etree.parse(str(path), parser)


def wp_ns(tree: etree._ElementTree) -> str:
    """The `wp` namespace URI declared on the rss root."""
    return tree.getroot().nsmap["wp"]


def wp(tree: etree._ElementTree, el: etree._Element, name: str) -> str:
    """Text of child `wp:name` of `el` ('' when absent or empty)."""
    return el.findtext("{%s}%s" % (wp_ns(tree), name)) or ""


def cells(line: str) -> list[str]:
    """Split a Markdown table row on unescaped pipes."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]


def readme_sections() -> dict[str, list[str]]:
    """Map README heading text -> lines below it."""
    sections: dict[str, list[str]] = {}
    current = ""
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = []
        elif current:
            sections[current].append(line)
    return sections


def table_rows(lines: list[str]) -> list[list[str]]:
    """Data rows of the first Markdown table in `lines` (header and rule skipped)."""
    rows = [cells(l) for l in lines if l.startswith("|")]
    return rows[2:]


def readme_counts() -> dict[str, dict[str, str]]:
    rows = [cells(l) for l in readme_sections()["Counts"] if l.startswith("|")]
    header = rows[0]
    return {r[0].strip("`"): dict(zip(header[1:], r[1:])) for r in rows[2:]}


def readme_items(fixture: str) -> dict[int, tuple[str, str, str]]:
    rows = table_rows(readme_sections()[fixture])
    return {int(r[0]): (r[1], r[2], r[3]) for r in rows}


# ----------------------------------------------------------------- good fixtures


@pytest.mark.parametrize("name", GOOD)
def test_good_fixture_is_strict_wellformed_rss(name: str) -> None:
    tree = strict_parse(FIXTURES / name)
    root = tree.getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert root.find("channel") is not None


@pytest.mark.parametrize("name", GOOD)
def test_counts_match_readme(name: str) -> None:
    tree = strict_parse(FIXTURES / name)
    ch = tree.getroot().find("channel")
    ns = wp_ns(tree)
    want = readme_counts()[name]
    assert ns == "http://wordpress.org/export/%s/" % want["wxr"]
    assert ch.findtext("{%s}wxr_version" % ns) == want["wxr"]
    got = {
        "items": len(ch.findall("item")),
        "authors": len(ch.findall("{%s}author" % ns)),
        "categories": len(ch.findall("{%s}category" % ns)),
        "tags": len(ch.findall("{%s}tag" % ns)),
        "terms": len(ch.findall("{%s}term" % ns)),
        "comments": len(ch.findall("item/{%s}comment" % ns)),
    }
    assert got == {k: int(want[k]) for k in got}


@pytest.mark.parametrize("name", GOOD)
def test_item_tables_match_fixture(name: str) -> None:
    tree = strict_parse(FIXTURES / name)
    actual = {
        int(wp(tree, it, "post_id")): (wp(tree, it, "post_type"), wp(tree, it, "status"), wp(tree, it, "post_name"))
        for it in tree.getroot().iter("item")
    }
    assert readme_items(name) == actual


def test_readme_lists_every_fixture_file() -> None:
    listed = {cells(l)[0].strip("`") for l in readme_sections()["Files"] if l.startswith("| `")}
    on_disk = {str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*") if p.is_file() and p.name != "README.md"}
    assert listed == on_disk


def _sample() -> etree._ElementTree:
    return strict_parse(FIXTURES / "sample-export.xml")


def _items_by_id(tree: etree._ElementTree) -> dict[int, etree._Element]:
    return {int(wp(tree, it, "post_id")): it for it in tree.getroot().iter("item")}


def _meta(tree: etree._ElementTree, it: etree._Element) -> dict[str, str]:
    ns = wp_ns(tree)
    return {
        pm.findtext("{%s}meta_key" % ns): pm.findtext("{%s}meta_value" % ns) or ""
        for pm in it.findall("{%s}postmeta" % ns)
    }


def test_sample_references_resolve() -> None:
    tree = _sample()
    items = _items_by_id(tree)
    for it in items.values():
        thumb = _meta(tree, it).get("_thumbnail_id")
        if thumb:
            assert wp(tree, items[int(thumb)], "post_type") == "attachment"
        parent = int(wp(tree, it, "post_parent"))
        if parent:
            assert parent in items
        content = it.findtext("{%s}encoded" % CONTENT_NS) or ""
        for ref in re.findall(r'<!-- wp:block \{"ref":(\d+)\}', content):
            assert wp(tree, items[int(ref)], "post_type") == "wp_block"
    assert wp(tree, items[121], "post_parent") == "101"


def test_sample_edge_cases_present() -> None:
    tree = _sample()
    items = _items_by_id(tree)
    published = [
        i for i, it in items.items() if wp(tree, it, "post_type") == "post" and wp(tree, it, "status") == "publish"
    ]
    slugs = [wp(tree, items[i], "post_name") for i in published]
    assert slugs.count("lighthouse-keeper") == 2
    # the site is not in UTC: local and GMT dates differ for every dated published post
    for i in published:
        assert wp(tree, items[i], "post_date") != wp(tree, items[i], "post_date_gmt")
    assert wp(tree, items[106], "post_date_gmt") == "0000-00-00 00:00:00"
    assert wp(tree, items[101], "post_modified") != wp(tree, items[101], "post_date")
    assert wp(tree, items[112], "post_password") == "bowline"
    assert wp(tree, items[117], "is_sticky") == "1"
    assert items[116].findtext("title").startswith("- ")
    footnotes = json.loads(_meta(tree, items[102])["footnotes"])
    assert len(footnotes) == 2
    for note in footnotes:
        assert 'data-fn="%s"' % note["id"] in items[102].findtext("{%s}encoded" % CONTENT_NS)
    content101 = items[101].findtext("{%s}encoded" % CONTENT_NS)
    assert "<!--more-->" in content101 and "dawn-300x200.jpg" in content101
    assert "<script" in items[118].findtext("{%s}encoded" % CONTENT_NS)
    comments = items[101].findall("{%s}comment" % wp_ns(tree))
    kinds = sorted(
        (wp(tree, c, "comment_type"), wp(tree, c, "comment_approved"), wp(tree, c, "comment_parent")) for c in comments
    )
    assert kinds == [("comment", "0", "0"), ("comment", "1", "0"), ("comment", "1", "1"), ("pingback", "1", "0")]


@pytest.mark.parametrize("name", GOOD)
def test_personal_data_is_fake(name: str) -> None:
    tree = strict_parse(FIXTURES / name)
    text = (FIXTURES / name).read_text(encoding="utf-8")
    for email in re.findall(r"[\w.+-]+@[\w.-]+\.\w+", text):
        assert re.search(r"@example\.(com|org|net)$", email), email
    for c in tree.getroot().iter("{%s}comment_author_IP" % wp_ns(tree)):
        if c.text:
            assert any(ipaddress.ip_address(c.text) in n for n in DOC_NETS), c.text


def test_split_parts_share_channel_and_cross_reference() -> None:
    p1 = strict_parse(FIXTURES / "split/part-1.xml")
    p2 = strict_parse(FIXTURES / "split/part-2.xml")
    for tag in ("title", "link"):
        assert p1.getroot().find("channel").findtext(tag) == p2.getroot().find("channel").findtext(tag)
    ids1, ids2 = _items_by_id(p1), _items_by_id(p2)
    assert not set(ids1) & set(ids2)
    assert _meta(p1, ids1[11])["_thumbnail_id"] == "21" and 21 in ids2 and 21 not in ids1
    assert int(wp(p2, ids2[22], "post_parent")) in ids1


def test_wxr10_has_domainless_categories_and_no_authors() -> None:
    tree = strict_parse(FIXTURES / "wxr10.xml")
    ch = tree.getroot().find("channel")
    assert ch.find("{%s}author" % wp_ns(tree)) is None
    assert any(c.get("domain") is None for c in ch.iter("category"))
    assert all(c.find("{%s}term_id" % wp_ns(tree)) is None for c in ch.findall("{%s}category" % wp_ns(tree)))


# ----------------------------------------------------------------- bad fixtures

BAD = FIXTURES / "bad"


def test_empty_is_empty() -> None:
    assert (BAD / "empty.xml").stat().st_size == 0
    with pytest.raises(etree.XMLSyntaxError):
        strict_parse(BAD / "empty.xml")


def test_not_xml_is_not_xml() -> None:
    with pytest.raises(etree.XMLSyntaxError):
        strict_parse(BAD / "not-xml.txt")


def test_not_an_export_is_wellformed_but_not_rss() -> None:
    root = strict_parse(BAD / "not-an-export.xml").getroot()
    assert root.tag != "rss" and root.find("channel") is None


def test_truncated_is_cut_inside_third_item() -> None:
    text = (BAD / "truncated.xml").read_text(encoding="utf-8")
    assert text.count("<item>") == 3 and text.count("</item>") == 2
    assert "</rss>" not in text
    with pytest.raises(etree.XMLSyntaxError):
        strict_parse(BAD / "truncated.xml")


def test_control_chars_are_the_only_defect() -> None:
    raw = (BAD / "control-chars.xml").read_bytes()
    assert b"\x0b" in raw and b"\x1c" in raw
    with pytest.raises(etree.XMLSyntaxError):
        strict_parse(BAD / "control-chars.xml")
    cleaned = raw.replace(b"\x0b", b"").replace(b"\x1c", b"")
    assert etree.fromstring(cleaned).tag == "rss"


def test_bare_ampersand_is_the_only_defect() -> None:
    raw = (BAD / "bare-ampersand.xml").read_bytes()
    with pytest.raises(etree.XMLSyntaxError):
        strict_parse(BAD / "bare-ampersand.xml")
    fixed = re.sub(rb"&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)", b"&amp;", raw)
    root = etree.fromstring(fixed)
    links = [l.text for l in root.iter("link")]
    assert any(l and "?replytocom=3&utm_source=feed" in l for l in links)
