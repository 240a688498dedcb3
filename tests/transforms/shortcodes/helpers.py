"""What the shortcode tests share: a context, a recording registry, attachments."""

import re

from migrator.model import Document
from migrator.options import Options
from migrator.transforms.context import Attachment, Context
from migrator.transforms.shortcodes import ShortcodeRegistry, do_shortcodes


def make_ctx(content: str = "", attachments=None, doc_id: str = "10", **options) -> Context:
    return Context(
        doc=Document(id=doc_id, content=content),
        attachments={a.id: a for a in (attachments or [])},
        options=Options(**options),
    )


def recorder() -> tuple[ShortcodeRegistry, list]:
    """A registry whose handlers record their arguments and show them in the output."""
    calls: list = []
    reg = ShortcodeRegistry()

    def make(name):
        def handler(attrs, content, ctx):
            calls.append((name, attrs, content))
            inner = "" if content is None else do_shortcodes(content, ctx)
            return f"<{name}>{inner}</{name}>"

        return handler

    for name in ("x", "y", "x-y", "box"):
        reg.register(name, make(name))
    return reg, calls


def attachments():
    return [
        Attachment("1", "http://s/1.jpg", title="One", caption="First", alt="alt one", parent="10", menu_order=2),
        Attachment("2", "http://s/2.png", title="Two", caption="", alt="", parent="10", menu_order=1),
        Attachment("3", "http://s/3.jpg", title="Three", caption="Third", alt="a3", parent="10", menu_order=3),
        Attachment("4", "http://s/4.pdf", title="Doc", parent="10", mime="application/pdf"),
        Attachment("5", "http://s/5.jpg", title="Other post", parent="99"),
    ]


def gallery_srcs(html: str) -> list[str]:
    return re.findall(r'<img src="([^"]+)"', html)
