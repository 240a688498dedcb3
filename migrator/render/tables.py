"""Tables: pipe tables for simple tables, HTML for the others."""

from __future__ import annotations

from collections.abc import Callable

from bs4 import Comment, Tag

from ..transforms.tree import child_tags, find_tag, find_tags
from .blocks import strip_breaks
from .escaping import BR, WS, finish_block
from .html import sanitize_html

_CELL_BLOCKS = frozenset({"p", "ul", "ol", "pre", "blockquote", "table", "h1", "h2", "h3", "h4", "h5", "h6",
                          "div", "dl"})


def simple_table(table: Tag) -> bool:
    """No nested table, no spans, at most one paragraph and no other block in a cell."""
    for cell in find_tags(table, ("td", "th")):
        if cell.find_parent("table") is not table:
            return False  # nested table
        if str(cell.get("colspan", "1")).strip() not in ("", "1") or str(cell.get("rowspan", "1")).strip() not in ("", "1"):
            return False
        blocks = find_tags(cell, _CELL_BLOCKS)
        if len([b for b in blocks if b.name != "p"]) or len([b for b in blocks if b.name == "p"]) > 1:
            return False
    return True


def bold_row(cells: list[Tag]) -> bool:
    """True when a row is a header row in all but markup: each cell empty or all bold, one at least."""
    bold = 0
    for cell in cells:
        content = [c for c in cell.children if isinstance(c, Tag) or (not isinstance(c, Comment) and str(c).strip())]
        if not content:
            continue
        if len(content) != 1 or not isinstance(content[0], Tag) or content[0].name not in ("strong", "b"):
            return False
        bold += 1
    return bold > 0


class TableConverter:
    """``<table>`` and its parts."""

    _warn: Callable[[str, str], None]
    process_tag: Callable[..., str]

    def convert_table(self, el, text, parent_tags):
        if not simple_table(el):
            self._warn("table-kept-as-html", "complex table (spans or block content) kept as HTML")
            return "\n\n" + sanitize_html(el) + "\n\n"
        rows = [tr for tr in find_tags(el, ("tr",)) if tr.find_parent("table") is el]
        if not rows:
            return ""
        grid = [[self._cell(td) for td in child_tags(tr, ("td", "th"))] for tr in rows]
        width = max(len(r) for r in grid)
        grid = [r + [""] * (width - len(r)) for r in grid]
        first = rows[0]
        cells = child_tags(first, ("td", "th"))
        if first.find_parent("thead") is None and not all(c.name == "th" for c in cells):
            if not bold_row(cells):  # a pipe table needs a header row: never an empty one
                self._warn("table-kept-as-html", "table without a header row kept as HTML")
                return "\n\n" + sanitize_html(el) + "\n\n"
            grid[0] = [c[2:-2] if len(c) > 4 and c.startswith("**") and c.endswith("**") else c for c in grid[0]]
        header, body = grid[0], grid[1:]
        caption = find_tag(el, "caption")
        lines = []
        if caption is not None and caption.get_text(strip=True):
            lines.append(finish_block(self.process_tag(caption, {"_inline"})) + "\n")
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "|".join(["---"] * width) + "|")
        lines += ["| " + " | ".join(r) + " |" for r in body]
        return "\n\n" + "\n".join(lines) + "\n\n"

    def _cell(self, cell: Tag) -> str:
        text = self.process_tag(cell, {"_inline", "td"})
        text = strip_breaks(WS.sub(" ", text.replace(BR, " ")).strip())
        return text.replace("|", "\\|")

    def convert_caption(self, el, text, parent_tags):
        return ""

    convert_thead = convert_tbody = convert_tfoot = convert_tr = convert_td = convert_th = (
        lambda self, el, text, parent_tags: text
    )
