"""Blocks: paragraphs, containers, headings, rules, block quotes, ``<details>``, raw HTML."""

from __future__ import annotations

from collections.abc import Callable

import re
from html import escape as html_escape

from typing import Any

from .escaping import BR, WS, finish_block
from .html import sanitize_html
from .nodes import get_text


#: Elements whose Markdown is one line (``<br>`` inside them is kept as HTML).
_ONE_LINE = frozenset({"td", "th", "h1", "h2", "h3", "h4", "h5", "h6"})
_EDGE_BREAKS = re.compile(r"^(?:<br>\s*)+|(?:\s*<br>)+$")


def strip_breaks(text: str) -> str:
    """A one-line text without ``<br>`` at its edges (a browser shows none there)."""
    return _EDGE_BREAKS.sub("", text).strip() if "<br>" in text else text


def details_summary(el: Any) -> Any:
    """The ``<summary>`` of a ``<details>``: its first ``<summary>`` child (a browser shows a
    summary nested deeper, in a nested ``<details>`` for one, as content)."""
    for child in el.iterchildren("summary"):
        return child
    return None


class BlockConverter:
    """Block-level elements other than lists, tables, code and figures."""

    _warn: Callable[[str, str], None]

    def _block(self, text: str, parent_tags) -> str:
        if "_inline" in parent_tags:
            return " " + text.replace(BR, " ").strip() + " "
        text = finish_block(text)
        return f"\n\n{text}\n\n" if text else ""

    def convert_p(self, el, text, parent_tags):
        if text.replace(BR, "").strip(" \t\r\n\u00a0") == "":
            return ""
        return self._block(text, parent_tags)

    def convert_div(self, el, text, parent_tags):
        return self._block(text, parent_tags)

    convert_section = convert_article = convert_main = convert_header = convert_footer = convert_div
    convert_aside = convert_center = convert_address = convert_nav = convert_div
    convert_figcaption = convert_div

    def convert_br(self, el, text, parent_tags):
        if "_inline" not in parent_tags:
            return BR
        # a heading or a table cell is one line in Markdown: the break stays an HTML <br>
        return "<br>" if not parent_tags.isdisjoint(_ONE_LINE) else " "

    def convert_hN(self, n, el, text, parent_tags):
        text = strip_breaks(WS.sub(" ", text.replace(BR, " ")).strip())
        if "_inline" in parent_tags:
            return text
        if not text:
            return ""
        if text.endswith("#"):
            text = text[:-1] + "\\#"
        return f"\n\n{'#' * max(1, min(6, n))} {text}\n\n"

    def convert_hr(self, el, text, parent_tags):
        # in a list item, "---" could be read as the item's marker run or a setext underline
        return "\n\n***\n\n" if "li" in parent_tags else "\n\n---\n\n"

    def convert_blockquote(self, el, text, parent_tags):
        text = finish_block(text)
        if "_inline" in parent_tags:
            return " " + text + " "
        if not text:
            return ""
        lines = [("> " + line) if line.strip() else ">" for line in text.split("\n")]
        return "\n\n" + "\n".join(lines) + "\n\n"

    def convert_details(self, el, text, parent_tags):
        """``<details>``: the HTML wrapper kept, its content (``text``: converted without the
        summary, as a block of its own) as Markdown between blank lines (CommonMark ends the
        HTML block at the blank line and reads the content as Markdown)."""
        summary = details_summary(el)
        label = html_escape(WS.sub(" ", get_text(summary)).strip()) if summary is not None else ""
        body = finish_block(text)
        if "_inline" in parent_tags:
            return " " + label + " " + body.replace("\n", " ") + " "
        opening = "<details open>" if "open" in el.attrib else "<details>"
        head = f"{opening}\n<summary>{label}</summary>" if label else opening
        return f"\n\n{head}\n\n{body}\n\n</details>\n\n" if body else f"\n\n{head}\n</details>\n\n"

    def convert_summary(self, el, text, parent_tags):
        return ""

    def convert_raw(self, el: Any, parent_tags) -> str:
        self._warn("kept-as-html", f"<{el.tag}> kept as raw HTML")
        html = sanitize_html(el)
        if "_inline" in parent_tags:
            return html.replace("\n", " ")
        return f"\n\n{html}\n\n"
