"""Tables: pipe tables for simple tables, HTML for the others."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .blocks import strip_breaks
from .escaping import BR, WS, finish_block
from .html import sanitize_html
from .nodes import child_tags, find_parent, find_tags, get_text, iter_tags

_CELL_BLOCKS = frozenset(
    {"p", "ul", "ol", "pre", "blockquote", "table", "h1", "h2", "h3", "h4", "h5", "h6", "div", "dl"}
)


def simple_table(table: Any) -> bool:
    """No nested table, no spans, at most one paragraph and no other block in a cell.

    Looks no further than it must (the first nested cell or second block decides), so that a
    table nested in tables costs each of them little, not a walk over all the tables inside."""
    for cell in iter_tags(table, ("td", "th")):
        if find_parent(cell, "table") is not table:
            return False  # nested table
        if str(cell.get("colspan", "1")).strip() not in ("", "1") or str(cell.get("rowspan", "1")).strip() not in (
            "",
            "1",
        ):
            return False
        paragraphs = 0
        for block in iter_tags(cell, _CELL_BLOCKS):
            paragraphs += 1
            if block.tag != "p" or paragraphs > 1:
                return False
    return True


def bold_row(cells: list[Any]) -> bool:
    """True when a row is a header row in all but markup: each cell empty or all bold, one at least."""
    bold = 0
    for cell in cells:
        texts = bool(cell.text and cell.text.strip()) or any(c.tail and c.tail.strip() for c in cell)
        tags = [c for c in cell if isinstance(c.tag, str)]
        if not texts and not tags:
            continue
        if texts or len(tags) != 1 or tags[0].tag not in ("strong", "b"):
            return False
        bold += 1
    return bold > 0


class TableConverter:
    """``<table>`` and its parts."""

    _warn: Callable[[str, str], None]
    process_tag: Callable[..., str]

    def convert_table(self, el, text, parent_tags):
        # the table's own captions are converted here, once (the walk over its children skips
        # them): converting one again per level made nested captions cost 2^depth
        captions = [(c, self.process_tag(c, {"_inline", "_own_caption"})) for c in child_tags(el, ("caption",))]
        if not simple_table(el):
            self._warn("table-kept-as-html", "complex table (spans or block content) kept as HTML")
            return self._kept_as_html(el)
        rows = [tr for tr in find_tags(el, ("tr",)) if find_parent(tr, "table") is el]
        grid = [[self._cell(td) for td in child_tags(tr, ("td", "th"))] for tr in rows]
        width = max((len(r) for r in grid), default=0)
        if not width:  # no cells: what the table still says is its caption
            caption = captions[0][1] if captions and get_text(captions[0][0], strip=True) else ""
            return "\n\n" + finish_block(caption) + "\n\n" if caption.strip() else ""
        grid = [r + [""] * (width - len(r)) for r in grid]
        first = rows[0]
        cells = child_tags(first, ("td", "th"))
        if find_parent(first, "thead") is None and not all(c.tag == "th" for c in cells):
            if not bold_row(cells):  # a pipe table needs a header row: never an empty one
                self._warn("table-kept-as-html", "table without a header row kept as HTML")
                return self._kept_as_html(el)
            grid[0] = [c[2:-2] if len(c) > 4 and c.startswith("**") and c.endswith("**") else c for c in grid[0]]
        header, body = grid[0], grid[1:]
        lines = []
        if captions and get_text(captions[0][0], strip=True):
            lines.append(finish_block(captions[0][1]) + "\n")
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "|".join(["---"] * width) + "|")
        lines += ["| " + " | ".join(r) + " |" for r in body]
        return "\n\n" + "\n".join(lines) + "\n\n"

    def _kept_as_html(self, el: Any) -> str:
        """A table kept as HTML, sanitised; inside another table nothing: a table holding a
        table with cells is kept as HTML itself, serialised whole, this table in it (serialising
        each of nested tables too cost the square of the depth)."""
        if find_parent(el, "table") is not None:
            return ""
        return "\n\n" + sanitize_html(el) + "\n\n"

    def _cell(self, cell: Any) -> str:
        text = self.process_tag(cell, {"_inline", "td"})
        text = strip_breaks(WS.sub(" ", text.replace(BR, " ")).strip())
        return text.replace("|", "\\|")

    def convert_caption(self, el, text, parent_tags):
        # written by its table, above it (convert_table); the walk over the table's children skips it
        return text if "_own_caption" in parent_tags else ""

    convert_thead = convert_tbody = convert_tfoot = convert_tr = convert_td = convert_th = (
        lambda self, el, text, parent_tags: text
    )
