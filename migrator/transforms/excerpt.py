"""The excerpt rule, the same for every input: ``excerpt`` is the author's own excerpt, or nothing.

When the author wrote none, WordPress shows a generated one (``wp_trim_excerpt``: the first 55
words of the content's text, then ``[…]`` or the theme's "Continue reading" link).  An export
tells the two apart (``excerpt:encoded`` is empty); the REST API does not (``excerpt.rendered``
is either), so a REST excerpt is left out when it is WordPress's generated one: its words, without
the ellipsis and without a link to the post itself, are the content's words in order, from the
start of what the content says (the output of dynamic blocks, generated at view time, left out).
A hand-written excerpt that only repeats the opening words of the content cannot be told from a
generated one and is left out too; it adds nothing the content does not say first.
"""

from __future__ import annotations

import re

from lxml import etree

from .blocks.dom import fragment
from .blocks.dynamic import is_dynamic_output

#: How far into the content a generated excerpt may start (blocks WordPress leaves out of
#: excerpts, such as code or embeds, may come first).
_START_WITHIN = 40
_WORD = re.compile(r"\w+")
_NOT_TEXT = ("script", "style", "noscript", "template", "form", "svg")


def _same_page(href: str, link: str) -> bool:
    return bool(link) and href.split("#", 1)[0].rstrip("/") == link.split("#", 1)[0].rstrip("/")


def _words(root: etree._Element | None, link: str = "", excerpt: bool = False) -> list[str]:
    """The words of a fragment, split at element edges too (``<td>1</td><td>2</td>``: 1, 2)."""
    if root is None:
        return []
    for el in list(root.iter(*_NOT_TEXT)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in list(root.iter()):
        if el.getparent() is None or not isinstance(el.tag, str):
            continue
        if (
            excerpt
            and el.tag == "a"
            and ("more-link" in (el.get("class") or "").split() or _same_page(el.get("href") or "", link))
        ):
            el.drop_tree()
        elif not excerpt and is_dynamic_output(el.get("class")):
            el.drop_tree()
    return _WORD.findall(" ".join(root.itertext()).lower())


def _find(word: str, content: list[str], start: int) -> int:
    """The index after ``word`` in ``content`` from ``start`` (a word an element edge split,
    ``wo<b>rd</b>``, matches its pieces in a row); -1 when absent."""
    for i in range(start, len(content)):
        piece = content[i]
        if piece == word:
            return i + 1
        j = i + 1
        while word.startswith(piece) and len(piece) < len(word) and j < len(content):
            piece += content[j]
            j += 1
            if piece == word:
                return j
    return -1


def is_generated_excerpt(excerpt_html: str, content_html: str, link: str = "") -> bool:
    """Whether a rendered excerpt is WordPress's generated one for this content (see above)."""
    words = _words(fragment(excerpt_html), link, excerpt=True)
    if not words:
        return True
    content = _words(fragment(content_html))
    pos = 0
    for i, word in enumerate(words):
        pos = _find(word, content, pos)
        if pos < 0 or (i == 0 and pos > _START_WITHIN):
            return False
    return True


def rest_excerpt(excerpt_html: str, content_html: str, link: str = "") -> str:
    """A REST ``excerpt.rendered``: itself when hand-written, "" when generated."""
    return "" if is_generated_excerpt(excerpt_html, content_html, link) else excerpt_html.strip()
