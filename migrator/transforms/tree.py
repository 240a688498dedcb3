"""The one HTML tree of a document: BeautifulSoup over lxml, with a faster ``find_parent``.

Every transform after the WordPress filters, the references stage and the renderer work on
this single tree.  markdownify asks each tag for ``find_parent("pre")``; BeautifulSoup answers
through its generic matching machinery, which was a third of the rendering time.  Tags of this
tree answer the plain by-name question with a walk up the parents (the same result).
"""

from __future__ import annotations

from collections.abc import Collection

from bs4 import BeautifulSoup, NavigableString, Tag


class FastTag(Tag):
    """A Tag whose ``find_parent(name)`` for a plain tag name walks the parents directly."""

    def find_parent(self, name=None, attrs=None, **kwargs):  # type: ignore[override]
        if isinstance(name, str) and not attrs and not kwargs:
            node = self.parent
            while node is not None:
                if node.name == name:
                    return node
                node = node.parent
            return None
        return super().find_parent(name, attrs, **kwargs)


def parse_html(html: str) -> BeautifulSoup:
    """Parse rendered HTML once (bs4 with the lxml parser)."""
    return BeautifulSoup(html, "lxml", element_classes={Tag: FastTag})


# Plain by-name searches without BeautifulSoup's generic matching machinery (same results as
# ``find_all``/``find`` with tag names, in document order); the renderer asks them per element.

def find_tags(node: Tag, names: Collection[str]) -> list[Tag]:
    """``node.find_all(names)``: every descendant tag named one of ``names``, in document order."""
    return [el for el in node.descendants if isinstance(el, Tag) and el.name in names]


def find_tag(node: Tag, name: str) -> Tag | None:
    """``node.find(name)``: the first descendant tag named ``name``, or None."""
    for el in node.descendants:
        if isinstance(el, Tag) and el.name == name:
            return el
    return None


def child_tags(node: Tag, names: Collection[str]) -> list[Tag]:
    """``node.find_all(names, recursive=False)``: the child tags named one of ``names``."""
    return [el for el in node.children if isinstance(el, Tag) and el.name in names]


def find_strings(node: Tag) -> list[NavigableString]:
    """``node.find_all(string=True)``: every descendant string (comments included)."""
    return [el for el in node.descendants if isinstance(el, NavigableString)]
