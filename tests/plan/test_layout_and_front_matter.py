"""File naming and YAML front matter."""

from __future__ import annotations

import yaml
from hypothesis import given, strategies as st

from migrator.model import Document, Term
from migrator.plan.layout import deduplicate, layout_path, safe_relpath, safe_segment
from migrator.render.frontmatter import dump_yaml, front_matter


def test_safe_segment() -> None:
    assert safe_segment("../etc/passwd") == "-etc-passwd"
    assert safe_segment("CON") == "_CON" and safe_segment("com1.md") == "_com1.md"
    assert safe_segment("a\x00b\x1fc") == "a-b-c"
    assert safe_segment("港の朝") == "港の朝"
    assert len(safe_segment("é" * 300).encode()) <= 120
    assert safe_segment("...") == "untitled"


def test_relpath_never_escapes() -> None:
    for bad in ["../../x.md", "/etc/x.md", "C:\\Windows\\x.md", "a/../../b.md"]:
        out = safe_relpath(bad)
        assert not out.startswith("/") and ".." not in out.split("/") and ":" not in out


def test_layout_and_dedup() -> None:
    doc = Document(id="7", type="page")
    assert layout_path("{type}s/{slug}.md", doc, "about/team") == "pages/about/team.md"
    taken = {"posts/a.md"}
    assert deduplicate("posts/A.md", taken) == "posts/A-2.md"


@given(st.text(min_size=1), st.lists(st.text(min_size=1), max_size=3))
def test_front_matter_round_trips(title: str, tags: list[str]) -> None:
    doc = Document(id="1", title=title, slug="s", terms=[Term("post_tag", f"t{i}", t) for i, t in enumerate(tags)])
    text = dump_yaml(front_matter(doc))
    assert text.startswith("---\n") and text.endswith("---\n")
    data = yaml.safe_load(text[4:-4])
    assert data["title"] == title
    assert data.get("tags", []) == tags
