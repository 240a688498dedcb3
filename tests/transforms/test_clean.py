"""Cleaning drops executable content and says so."""

from __future__ import annotations

from migrator.model import Document
from migrator.render.markdown import render_markdown
from migrator.transforms import Context, transform


def test_script_style_and_handlers_are_dropped_with_a_warning() -> None:
    html = (
        '<p onclick="steal()">Hi <a href="javascript:alert(1)">x</a></p><script>alert(1)</script>'
        '<style>p{}</style><img src="/a.png" onerror="x()">'
    )
    ctx = Context(doc=Document(id="1", content=html, content_kind="rendered"))
    md = render_markdown(transform(ctx))
    assert "alert" not in md and "steal" not in md and "p{}" not in md and "onerror" not in md
    assert {p.code for p in ctx.problems} == {"dropped-script", "dropped-style"}
    assert "![](/a.png)" in md and "Hi x" in md
