"""The fast front matter paths (written directly, libyaml) write exactly what PyYAML's emitter writes."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import migrator
from migrator.render import frontmatter
from migrator.render.frontmatter import _c_safe, dump_yaml

from conftest import FIXTURES

pytestmark = __import__("pytest").mark.skipif(frontmatter._FastDumper is None, reason="PyYAML without libyaml")


def slow(data: dict) -> str:
    body = yaml.dump(
        data, Dumper=frontmatter._Dumper, sort_keys=False, allow_unicode=True, width=1_000_000, default_flow_style=False
    )
    return f"---\n{body}---\n"


def same(data: dict) -> None:
    assert dump_yaml(data) == slow(data)


TRICKY = [
    "",
    " ",
    "yes",
    "No",
    "null",
    "~",
    "123",
    "0x1F",
    "1e3",
    "- item",
    "a: b",
    "#hash",
    "@at",
    "`tick",
    "'single'",
    '"double"',
    "tab\there",
    "ÿ",
    "Ñandú",
    "港 船",
    "мост",
    "…",
    "\u00a0nbsp",
    "x\u2028y",
    "emoji 🌊",
    "trailing ",
    " leading",
    "[list]",
    "{map}",
    "!tag",
    "&anchor",
    "*alias",
    "%percent",
    "a|b",
    ">folded",
    "?q",
    "2024-01-01",
    "2024-01-01T10:00:00+01:00",
    "=",
    "<<",
    "\\back",
    "http://x.y/?a=1#f",
]


def test_tricky_values() -> None:
    for value in TRICKY:
        same({"title": value, "tags": [value, "x"], "taxonomies": {value or "k": [value]}})


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x3000), max_size=40))
def test_any_bmp_text(value: str) -> None:
    same({"title": value, "aliases": [value]})


def direct_same(data: dict) -> bool:
    """True when the direct writer took ``data`` (and wrote PyYAML's bytes)."""
    body = frontmatter._direct(data)
    if body is not None:
        assert f"---\n{body}---\n" == slow(data), data
    return body is not None


def test_tricky_values_written_directly() -> None:
    taken = [v for v in TRICKY if direct_same({"title": v, "wordpress_id": "12", "tags": [v, "x"], "draft": True})]
    # everything on one line without control characters (emoji included)
    assert set(TRICKY) - set(taken) == {"tab\there", "x\u2028y"}


# text made of the characters YAML gives a meaning to, so that every rule of the emitter is met
YAMLISH = st.text(
    alphabet=st.sampled_from(list(" -?:,[]{}#&*!|>'\"%@`.~=<+0123456789eExXoOnNyYtTfFlLa\u00a0é")), max_size=12
)


@settings(max_examples=800, deadline=None)
@given(YAMLISH, st.lists(YAMLISH, min_size=1, max_size=3), st.integers(), st.booleans())
def test_direct_writer_is_pyyaml(value: str, items: list[str], number: int, flag: bool) -> None:
    assert direct_same({"title": value, "tags": items, "n": number, "draft": flag})


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFFFF, exclude_categories=("Cs",)), max_size=30)
)
def test_direct_writer_any_bmp_text(value: str) -> None:
    direct_same({"title": value, "categories": [value]})


def test_documents_of_the_sample_export(tmp_path) -> None:
    docs = list(migrator.read([FIXTURES / "sample-export.xml"]))
    checked = direct = 0
    for doc in docs:
        data = frontmatter.front_matter(doc, slug=doc.slug, aliases=[doc.link])
        same(data)
        checked += _c_safe(data)
        direct += direct_same(data)
    assert checked > 10 and direct > 10


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x10FFFF, exclude_categories=("Cs",)), max_size=30
    ),
    st.text(alphabet=st.sampled_from(list(" -:#'\"a1🌊🐟\U0001f3c1\U00010000\U0010fffe\U0010ffff")), max_size=8),
)
def test_direct_writer_any_text(value: str, mixed: str) -> None:
    """Characters beyond the Basic Multilingual Plane (emoji in titles) are written directly too."""
    direct_same({"title": value, "excerpt": mixed, "tags": [mixed, value]})
    assert direct_same({"title": "Harbour 🌊 at dawn", "tags": ["🐟"]})
