"""Content comparison: the words of the old item against the main text of its new page.

Text is read block by block (a table cell, a list item, a paragraph each end a word), then cut
into words (``\\w+``, NFKC, case-folded).  The old side is the item's title and content: HTML
as WordPress served it (live sites, saved pages), or the stored ``post_content`` of an export
with its block comments and shortcode tags left out (their inner text stays).  The new side is
the page's main element (the first of ``main article``, ``article``, ``main``, ``[role=main]``,
``body``) without scripts, styles, navigation, forms and comment sections.

Both word sequences are aligned in order (:class:`difflib.SequenceMatcher`):

* recall: the share of old words found on the new page;
* precision: the share of the new page's words found in the old content;
* missing: the longest run of consecutive old words the new page does not have (a paragraph
  lost or changed, even on a long page where the shares hardly move).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from ..model import Document

WORD = re.compile(r"\w+")
#: A shortcode tag (``[caption id=...]``, ``[/caption]``, ``[gallery ids="1,2"]``); ``[[x]]`` is an
#: escaped literal and stays.
SHORTCODE = re.compile(r"(?<!\[)\[/?[A-Za-z][\w-]*(?:[\s/][^\[\]]*)?\](?!\])")
BLOCKS = frozenset(
    """address article aside blockquote br caption dd details dialog div dl dt fieldset
figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr img li main nav ol p pre section summary
table tbody td tfoot th thead tr ul video audio iframe""".split()
)
DROPPED = "//script|//style|//noscript|//template|//nav|//form"
COMMENT_SECTIONS = (
    "//*[@id='comments']|//*[contains(concat(' ', normalize-space(@class), ' '), ' comments ')]"
    "|//*[contains(concat(' ', normalize-space(@class), ' '), ' comment-list ')]"
)
MAIN = ("//main//article", "//article", "//main", "//*[@role='main']", "//body")
#: Beyond this many words the alignment uses difflib's junk heuristic (fast, slightly rough).
EXACT_LIMIT = 20000
PASSAGE_WORDS = 12  # words of a missing passage quoted in the report


@dataclass(frozen=True)
class Score:
    recall: float
    precision: float
    missing: int  # longest run of old words absent from the new page
    old_words: int
    new_words: int
    passage: str = ""  # the start of the longest missing passage

    def text(self) -> str:
        text = (
            f"recall {self.recall:.2f}, precision {self.precision:.2f}, longest missing passage "
            f"{self.missing} words ({self.old_words} old words, {self.new_words} on the new page)"
        )
        return text + (f'; missing: "{self.passage}"' if self.passage else "")


def words(text: str) -> list[str]:
    return [w.casefold() for w in WORD.findall(unicodedata.normalize("NFKC", text))]


def element_text(root) -> str:
    """The text of an element with block boundaries as line breaks (``<td>a</td><td>b</td>`` is
    two words, not ``ab``)."""
    parts: list[str] = []

    def walk(el) -> None:
        block = isinstance(el.tag, str) and el.tag.lower() in BLOCKS
        if block:
            parts.append("\n")
        if isinstance(el.tag, str) and el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(root)
    return "".join(parts)


def fragment_words(fragment: str) -> list[str]:
    """Words of an HTML fragment (comments, scripts and styles left out)."""
    if not fragment.strip():
        return []
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return words(re.sub(r"<[^>]+>", " ", fragment))
    for el in root.xpath("//script|//style|//noscript|//template"):
        el.drop_tree()
    return words(element_text(root))


def source_words(doc: Document) -> list[str]:
    """The title and content of an old item, as words."""
    content = doc.content or ""
    if doc.content_kind == "stored":
        content = SHORTCODE.sub(" ", content)
    return words(doc.title or "") + fragment_words(content)


def main_element(page: str):
    """The main content element of a built page, cleaned (None when the page does not parse)."""
    try:
        root = lxml_html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return None
    for el in root.xpath(DROPPED):
        el.drop_tree()
    for el in root.xpath(COMMENT_SECTIONS):
        if el.getparent() is not None:
            el.drop_tree()
    for xpath in MAIN:
        found = root.xpath(xpath)
        if found:
            return found[0]
    return root


def page_words(main) -> list[str]:
    return words(element_text(main)) if main is not None else []


def compare(old: list[str], new: list[str]) -> Score:
    if not old and not new:
        return Score(1.0, 1.0, 0, 0, 0)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=max(len(old), len(new)) > EXACT_LIMIT)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    gaps = [(i2 - i1, i1) for tag, i1, i2, _j1, _j2 in matcher.get_opcodes() if tag in ("replace", "delete")]
    missing, start = max(gaps, key=lambda g: (g[0], -g[1]), default=(0, 0))
    passage = " ".join(old[start : start + min(missing, PASSAGE_WORDS)]) + (" ..." if missing > PASSAGE_WORDS else "")
    return Score(
        matched / len(old) if old else 1.0,
        matched / len(new) if new else (1.0 if not old else 0.0),
        missing,
        len(old),
        len(new),
        passage if missing else "",
    )
