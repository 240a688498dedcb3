"""What the block tests share: a context, rendering with problems, parsing markup."""

from __future__ import annotations

import lxml.html
from lxml import etree

from migrator.model import Document
from migrator.transforms.blocks import render_blocks
from migrator.transforms.context import Context

CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def make_ctx(content: str = "", meta=None, attachments=None, reusable=None) -> Context:
    return Context(
        doc=Document(id="1", content=content, meta=meta or {}),
        attachments=attachments or {},
        reusable_blocks=reusable or {},
    )


def render(content: str, **kw) -> tuple[str, Context]:
    ctx = make_ctx(content, **kw)
    return render_blocks(content, ctx), ctx


def tree(markup: str) -> etree._Element:
    return lxml.html.fragment_fromstring(markup, create_parent="div")


def codes(ctx: Context) -> list[str]:
    return [p.code for p in ctx.problems]
