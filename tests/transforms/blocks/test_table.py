"""The block handler table: built-in handlers found by name or prefix, yours added or replaced
through the options, without touching migrator."""

from __future__ import annotations

import pytest

import migrator
from conftest import FIXTURES
from migrator.options import Options
from migrator.transforms.blocks import BlockHandlers, default_block_handlers, render_blocks
from migrator.transforms.wordpress import apply_content_filters

from .helpers import codes, make_ctx, render


def test_lookup_by_name_then_prefix() -> None:
    table = default_block_handlers()
    assert table.knows("core/paragraph") and "core/gallery" in table
    assert table.knows("core-embed/youtube") and table.knows("core/post-title") and table.knows("core/query")
    assert not table.knows("acme/widget") and table.get("acme/widget") is None
    assert table.get("core/query") is not table.get("core/query-title")  # exact name before prefix
    assert "core-embed/" in table.prefixes() and "core/paragraph" in table.names()


def test_names_are_checked_and_core_is_the_default_namespace() -> None:
    table = BlockHandlers()
    table.register("notice", lambda block, r: "N")
    assert table.names() == ["core/notice"]
    for bad in ("", "Acme/Widget", "acme/", "a b/c"):
        with pytest.raises(ValueError):
            table.register(bad, lambda block, r: "")
    with pytest.raises(ValueError):
        table.register_prefix("", lambda block, r: "")
    table.unregister("notice")
    assert table.names() == []


def test_a_handler_added_through_the_options_renders_and_is_no_longer_unknown() -> None:
    doc = '<!-- wp:acme/notice {"tone":"warm"} --><div class="n"><p>Hi</p><!-- wp:paragraph --><p>In</p><!-- /wp:paragraph --></div><!-- /wp:acme/notice -->'
    out, ctx = render(doc)
    assert codes(ctx) == ["unknown-block"]
    table = default_block_handlers()
    table.register("acme/notice", lambda block, r: f'<aside data-tone="{block.attrs["tone"]}">{r.inner(block)}</aside>')
    ctx = make_ctx(doc)
    ctx.options = Options(block_handlers=table)
    assert render_blocks(doc, ctx) == '<aside data-tone="warm"><p>In</p></aside>'
    assert codes(ctx) == []
    assert "acme/notice" not in default_block_handlers()  # a fresh built-in table every time


def test_a_built_in_handler_replaced_and_a_prefix_added() -> None:
    table = default_block_handlers()
    table.register("core/spacer", lambda block, r: "<hr />")
    table.register_prefix("acme/", lambda block, r: "<p>acme</p>")
    out = render_blocks("<!-- wp:spacer /--><!-- wp:acme/one /--><!-- wp:acme/two /-->", make_ctx(), table)
    assert out == "<hr /><p>acme</p><p>acme</p>"


def test_the_run_table_reaches_reusable_blocks_and_the_chain() -> None:
    table = default_block_handlers()
    table.register("acme/box", lambda block, r: "<p>box</p>")
    ctx = make_ctx('<!-- wp:block {"ref":5} /-->', reusable={"5": "<!-- wp:acme/box /-->"})
    ctx.options = Options(block_handlers=table)
    assert apply_content_filters(ctx) == "<p>box</p>"
    assert codes(ctx) == []


def test_convert_uses_a_table_given_through_the_public_api(tmp_path) -> None:
    table = default_block_handlers()
    table.register("acme/widget", lambda block, r: f"<p>Widget of size {block.attrs.get('size', 1)}</p>")
    report = migrator.convert([FIXTURES / "validate" / "problems.xml"], tmp_path / "out", block_handlers=table, jobs=1)
    assert not [p for p in report.problems if p.code == "unknown-block"]
    texts = "".join(f.read_text() for f in (tmp_path / "out").rglob("*.md"))
    assert "Widget of size 2" in texts and "Widget of size 1" in texts
    report = migrator.convert([FIXTURES / "validate" / "problems.xml"], tmp_path / "plain", jobs=1)
    assert [p for p in report.problems if p.code == "unknown-block" and "acme/widget" in p.message]
