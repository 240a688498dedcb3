"""Lists: ``-`` bullets and numbers with 4-space nesting (read the same by CommonMark and
Python-Markdown)."""

from __future__ import annotations

from bs4 import Tag

from .escaping import finish_block


class ListConverter:
    """``<ul>``, ``<ol>`` and ``<li>``."""

    def convert_list(self, el, text, parent_tags):
        text = text.strip("\n")
        if not text:
            return ""
        if "li" in parent_tags:
            return "\n" + text + "\n"  # nested: attached to the item's text (tight)
        return "\n\n" + text + "\n\n"

    convert_ul = convert_ol = convert_list

    def convert_li(self, el, text, parent_tags):
        text = finish_block(text)
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = str(parent.get("start") or "1")
            start_n = int(start) if start.isdigit() else 1
            index = len([s for s in el.previous_siblings if isinstance(s, Tag) and s.name == "li"])
            bullet = f"{start_n + index}. "
        else:
            bullet = "- "
        indent = " " * max(4, len(bullet))
        if not text:
            return bullet.rstrip() + "\n"
        lines = text.split("\n")
        out = [bullet + lines[0]]
        out += [(indent + line) if line.strip() else "" for line in lines[1:]]
        loose = any(not line for line in out)
        return "\n".join(out) + ("\n\n" if loose else "\n")


def nest_stray_lists(lists: list[Tag]) -> None:
    """A list directly inside a list (invalid, common in old posts) belongs to the item before it,
    as browsers show it."""
    for lst in lists:
        if lst.parent is None or lst.parent.name not in ("ul", "ol"):
            continue
        prev = lst.find_previous_sibling()
        if prev is not None and prev.name == "li":
            prev.append(lst.extract())
        else:
            lst.wrap(Tag(name="li"))
