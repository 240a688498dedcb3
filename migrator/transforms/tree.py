"""The one HTML tree of a document: BeautifulSoup over lxml, with a faster ``find_parent``.

Every transform after the WordPress filters, the references stage and the renderer work on
this single tree.  markdownify asks each tag for ``find_parent("pre")``; BeautifulSoup answers
through its generic matching machinery, which was a third of the rendering time.  Tags of this
tree answer the plain by-name question with a walk up the parents (the same result).
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag


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
