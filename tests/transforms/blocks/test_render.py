"""Rendering per block type, through the built-in handler table."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES as ALL_FIXTURES
from migrator.transforms.blocks import render_blocks
from migrator.transforms.context import Attachment

from .helpers import CONTENT, codes, make_ctx, render, tree

FIXTURES = ALL_FIXTURES / "blocks"


# --------------------------------------------------------------------------- rendering


def test_text_blocks_render_their_saved_html() -> None:
    doc = (
        '<!-- wp:heading {"level":3} --><h3 class="wp-block-heading">Title</h3><!-- /wp:heading -->'
        "<!-- wp:paragraph --><p>Body &amp; soul</p><!-- /wp:paragraph -->"
        '<!-- wp:preformatted --><pre class="wp-block-preformatted">a\n  b</pre><!-- /wp:preformatted -->'
        '<!-- wp:verse --><pre class="wp-block-verse">roses\nare red</pre><!-- /wp:verse -->'
        '<!-- wp:separator --><hr class="wp-block-separator"/><!-- /wp:separator -->'
        '<!-- wp:table --><figure class="wp-block-table"><table><tbody><tr><td>1</td></tr></tbody></table>'
        "<figcaption>T</figcaption></figure><!-- /wp:table -->"
    )
    out, ctx = render(doc)
    root = tree(out)
    assert root.xpath("string(.//h3)") == "Title"
    assert root.xpath("string(.//p)") == "Body & soul"
    assert [p.text for p in root.iter("pre")] == ["a\n  b", "roses\nare red"]
    assert root.find(".//hr") is not None
    assert root.xpath("string(.//table//td)") == "1"
    assert ctx.problems == []


def test_nested_list_items() -> None:
    doc = (
        "<!-- wp:list --><ul><!-- wp:list-item --><li>One<!-- wp:list --><ul>"
        "<!-- wp:list-item --><li>One.a</li><!-- /wp:list-item --></ul><!-- /wp:list --></li>"
        "<!-- /wp:list-item --><!-- wp:list-item --><li>Two</li><!-- /wp:list-item --></ul><!-- /wp:list -->"
    )
    out, _ = render(doc)
    root = tree(out)
    top = root.find("ul")
    items = top.findall("li")
    assert [li.text for li in items] == ["One", "Two"]
    assert items[0].xpath("string(./ul/li)") == "One.a"


def test_quote_and_pullquote_keep_citation() -> None:
    doc = (
        '<!-- wp:quote --><blockquote class="wp-block-quote"><!-- wp:paragraph --><p>Be brief.</p>'
        "<!-- /wp:paragraph --><cite>A. Writer</cite></blockquote><!-- /wp:quote -->"
        '<!-- wp:pullquote --><figure class="wp-block-pullquote"><blockquote><p>Pulled</p>'
        "<cite>Someone</cite></blockquote></figure><!-- /wp:pullquote -->"
    )
    root = tree(render(doc)[0])
    quotes = root.findall(".//blockquote")
    assert [q.xpath("string(./p)") for q in quotes] == ["Be brief.", "Pulled"]
    assert [q.findtext("cite") for q in quotes] == ["A. Writer", "Someone"]


def test_image_block_keeps_link_caption_alt() -> None:
    doc = (
        '<!-- wp:image {"id":5,"linkDestination":"media"} --><figure class="wp-block-image">'
        '<a href="https://ex.org/big.jpg"><img src="https://ex.org/small.jpg" alt="Dunes"/></a>'
        "<figcaption>Sand</figcaption></figure><!-- /wp:image -->"
    )
    fig = tree(render(doc)[0]).find("figure")
    assert fig.find("a").get("href") == "https://ex.org/big.jpg"
    assert fig.find("a/img").get("alt") == "Dunes"
    assert fig.findtext("figcaption") == "Sand"


def test_new_gallery_with_inner_image_blocks() -> None:
    doc = (
        '<!-- wp:gallery {"linkTo":"none"} --><figure class="wp-block-gallery has-nested-images">'
        '<!-- wp:image {"id":1} --><figure class="wp-block-image"><img src="https://ex.org/1.jpg" alt="one"/>'
        '</figure><!-- /wp:image --><!-- wp:image {"id":2} --><figure class="wp-block-image">'
        '<img src="https://ex.org/2.jpg" alt="two"/><figcaption>Second</figcaption></figure><!-- /wp:image -->'
        '<figcaption class="blocks-gallery-caption">Both</figcaption></figure><!-- /wp:gallery -->'
    )
    gallery = tree(render(doc)[0]).find("figure")
    assert "wp-block-gallery" in gallery.get("class")
    figures = gallery.findall("figure")
    assert [f.find("img").get("src") for f in figures] == ["https://ex.org/1.jpg", "https://ex.org/2.jpg"]
    assert figures[1].findtext("figcaption") == "Second"
    assert gallery.findtext("figcaption") == "Both"


def test_old_gallery_from_saved_list_renders_as_saved() -> None:
    """WordPress shows a gallery's saved HTML (a static block): its list of linked, captioned
    figures stays, as the live site's rendered content has it."""
    doc = (
        '<!-- wp:gallery {"ids":[7,8],"columns":2,"linkTo":"media"} --><figure class="wp-block-gallery columns-2">'
        '<ul class="blocks-gallery-grid"><li class="blocks-gallery-item"><figure><a href="https://ex.org/7.jpg">'
        '<img src="https://ex.org/7-300.jpg" alt="Seven" data-id="7"/></a><figcaption class="blocks-gallery-item__caption">'
        'Cap <em>7</em></figcaption></figure></li><li class="blocks-gallery-item"><figure>'
        '<img src="https://ex.org/8.jpg" alt="" data-id="8"/></figure></li></ul></figure><!-- /wp:gallery -->'
    )
    gallery = tree(render(doc)[0]).find("figure")
    assert gallery.get("class") == "wp-block-gallery columns-2"
    figures = gallery.findall(".//li/figure")
    assert len(figures) == 2
    assert figures[0].find("a").get("href") == "https://ex.org/7.jpg"
    assert figures[0].find("a/img").get("src") == "https://ex.org/7-300.jpg"
    assert figures[0].xpath("string(figcaption)") == "Cap 7"
    assert figures[1].find("img").get("src") == "https://ex.org/8.jpg"
    assert figures[1].find("figcaption") is None


def test_old_gallery_ids_only_resolved_through_attachments() -> None:
    attachments = {
        "11": Attachment(id="11", url="https://ex.org/a.jpg", alt="Alpha", caption="First & best"),
        "12": Attachment(id="12", url="https://ex.org/b.jpg"),
    }
    doc = '<!-- wp:gallery {"ids":[11,"12",13]} --><!-- /wp:gallery -->'
    out, ctx = render(doc, attachments=attachments)
    figures = tree(out).findall("figure/figure")
    assert [f.find("img").get("src") for f in figures] == ["https://ex.org/a.jpg", "https://ex.org/b.jpg"]
    assert figures[0].find("img").get("alt") == "Alpha"
    assert figures[0].findtext("figcaption") == "First & best"
    assert codes(ctx) == ["missing-attachment"] and "13" in ctx.problems[0].message


@pytest.mark.parametrize(
    ("opener", "expected"),
    [
        ('<!-- wp:code {"language":"rust"} -->', "language-rust"),
        ('<!-- wp:code {"className":"lang-go"} -->', "language-go"),
        ("<!-- wp:code -->", None),
    ],
)
def test_code_block_language_and_text_unchanged(opener: str, expected: str | None) -> None:
    text = "fn main() {\n    let x = a &lt; b &amp;&amp; c;\n}"
    doc = f'{opener}<pre class="wp-block-code"><code>{text}</code></pre><!-- /wp:code -->'
    out, _ = render(doc)
    code = tree(out).find("pre/code")
    assert code.get("class") == expected
    assert re.search(r"<code[^>]*>([\s\S]*)</code>", out).group(1) == text


def test_code_block_keeps_existing_language_class() -> None:
    doc = (
        '<!-- wp:code {"language":"js"} --><pre class="wp-block-code"><code class="language-ts">x</code></pre>'
        "<!-- /wp:code -->"
    )
    assert tree(render(doc)[0]).find("pre/code").get("class") == "language-ts"


def test_syntaxhighlighter_plugin_block_becomes_code() -> None:
    doc = (
        '<!-- wp:syntaxhighlighter/code {"language":"php"} --><pre class="wp-block-syntaxhighlighter-code">'
        "echo $a &lt;=&gt; $b;</pre><!-- /wp:syntaxhighlighter/code -->"
    )
    out, ctx = render(doc)
    code = tree(out).find("pre/code")
    assert code.get("class") == "language-php"
    assert code.text == "echo $a <=> $b;"
    assert "unknown-block" not in codes(ctx)


@pytest.mark.parametrize(
    "doc",
    [
        '<!-- wp:embed {"url":"https://vimeo.com/123","providerNameSlug":"vimeo"} --><figure class="wp-block-embed">'
        '<div class="wp-block-embed__wrapper">\nhttps://vimeo.com/123\n</div><figcaption>Clip</figcaption></figure>'
        "<!-- /wp:embed -->",
        '<!-- wp:core-embed/vimeo {"url":"https://vimeo.com/123"} --><figure class="wp-block-embed-vimeo">'
        '<div class="wp-block-embed__wrapper">\nhttps://vimeo.com/123\n</div><figcaption>Clip</figcaption></figure>'
        "<!-- /wp:core-embed/vimeo -->",
        # No url attribute: the URL is read from the wrapper.
        '<!-- wp:embed --><figure class="wp-block-embed"><div class="wp-block-embed__wrapper">\n'
        "https://vimeo.com/123\n</div><figcaption>Clip</figcaption></figure><!-- /wp:embed -->",
    ],
)
def test_embeds_become_links(doc: str) -> None:
    out, ctx = render(doc)
    fig = tree(out).find("figure")
    assert "wp-block-embed" in fig.get("class").split()
    link = fig.find("div[@class='wp-block-embed__wrapper']/a")
    assert link.get("href") == "https://vimeo.com/123" and link.text == "https://vimeo.com/123"
    assert fig.findtext("figcaption") == "Clip"
    assert ctx.problems == []


def test_video_audio_file_blocks() -> None:
    doc = (
        '<!-- wp:video {"id":3} --><figure class="wp-block-video"><video controls src="https://ex.org/v.mp4"></video>'
        "<figcaption>Vid</figcaption></figure><!-- /wp:video -->"
        '<!-- wp:audio --><figure class="wp-block-audio"><audio controls src="https://ex.org/a.mp3"></audio></figure>'
        "<!-- /wp:audio -->"
        '<!-- wp:file {"id":4,"href":"https://ex.org/doc.pdf"} --><div class="wp-block-file">'
        '<a id="f1" href="https://ex.org/doc.pdf">Report 2020</a><a href="https://ex.org/doc.pdf" '
        'class="wp-block-file__button" download>Download</a></div><!-- /wp:file -->'
    )
    root = tree(render(doc)[0])
    assert root.find(".//video").get("src") == "https://ex.org/v.mp4"
    assert root.find(".//audio").get("src") == "https://ex.org/a.mp3"
    links = root.findall(".//a")
    # the file's link and its "Download" button, as WordPress shows them
    assert [(a.get("href"), a.text) for a in links] == [
        ("https://ex.org/doc.pdf", "Report 2020"),
        ("https://ex.org/doc.pdf", "Download"),
    ]


def test_spacer_dropped_and_buttons_become_links() -> None:
    doc = (
        '<!-- wp:spacer --><div style="height:50px" class="wp-block-spacer"></div><!-- /wp:spacer -->'
        '<!-- wp:buttons --><div class="wp-block-buttons"><!-- wp:button --><div class="wp-block-button">'
        '<a class="wp-block-button__link" href="https://ex.org/join">Join <strong>now</strong></a></div>'
        '<!-- /wp:button --><!-- wp:button --><div class="wp-block-button"><a class="wp-block-button__link">'
        "No link</a></div><!-- /wp:button --></div><!-- /wp:buttons -->"
    )
    out, _ = render(doc)
    root = tree(out)
    assert "spacer" not in out and "wp-block-button" not in out
    paras = root.findall("p")
    assert paras[0].find("a").get("href") == "https://ex.org/join"
    assert paras[0].xpath("string(a)") == "Join now"
    assert paras[1].find("a") is None and paras[1].text == "No link"


def test_layout_containers_are_flattened_in_order() -> None:
    doc = (
        '<!-- wp:group {"layout":{"type":"flex"}} --><div class="wp-block-group"><!-- wp:columns -->'
        '<div class="wp-block-columns"><!-- wp:column --><div class="wp-block-column"><!-- wp:paragraph -->'
        '<p>A</p><!-- /wp:paragraph --></div><!-- /wp:column --><!-- wp:column --><div class="wp-block-column">'
        "<!-- wp:paragraph --><p>B</p><!-- /wp:paragraph --></div><!-- /wp:column --></div><!-- /wp:columns -->"
        "<!-- wp:paragraph --><p>C</p><!-- /wp:paragraph --></div><!-- /wp:group -->"
    )
    out, _ = render(doc)
    root = tree(out)
    assert root.find(".//div") is None
    assert [p.text for p in root.findall("p")] == ["A", "B", "C"]


def test_cover_media_first_and_media_text_in_saved_order() -> None:
    doc = (
        '<!-- wp:cover {"url":"https://ex.org/bg.jpg","id":9} --><div class="wp-block-cover">'
        '<span class="wp-block-cover__background"></span><img class="wp-block-cover__image-background wp-image-9" '
        'alt="Sky" src="https://ex.org/bg.jpg"/><div class="wp-block-cover__inner-container"><!-- wp:heading -->'
        "<h2>Over the sky</h2><!-- /wp:heading --></div></div><!-- /wp:cover -->"
        '<!-- wp:media-text {"mediaId":3,"mediaType":"image","mediaPosition":"right"} -->'
        '<div class="wp-block-media-text has-media-on-the-right"><div class="wp-block-media-text__content">'
        '<!-- wp:paragraph --><p>Beside</p><!-- /wp:paragraph --></div><figure class="wp-block-media-text__media">'
        '<a href="https://ex.org/page"><img src="https://ex.org/side.jpg" alt="Side"/></a></figure></div>'
        "<!-- /wp:media-text -->"
    )
    root = tree(render(doc)[0])
    children = [el.tag for el in root]
    assert children == ["figure", "h2", "p", "figure"]  # media on the right: the text first, as saved
    assert root[0].find("img").get("src") == "https://ex.org/bg.jpg"
    assert root[0].find("img").get("alt") == "Sky"
    assert root[3].find("a").get("href") == "https://ex.org/page"
    assert root[3].find("a/img").get("src") == "https://ex.org/side.jpg"
    assert root[2].text == "Beside"


def test_cover_without_saved_image_uses_url_attr() -> None:
    doc = (
        '<!-- wp:cover {"url":"https://ex.org/old.jpg"} --><div class="wp-block-cover" '
        'style="background-image:url(https://ex.org/old.jpg)"><p class="wp-block-cover-text">Old cover</p></div>'
        "<!-- /wp:cover -->"
    )
    root = tree(render(doc)[0])
    assert root[0].find("img").get("src") == "https://ex.org/old.jpg"
    assert root.xpath("string(p)") == "Old cover"


def test_html_more_nextpage_and_shortcode() -> None:
    doc = (
        '<!-- wp:html --><div data-x="1"><marquee>raw</marquee></div><!-- /wp:html -->'
        '<!-- wp:more {"customText":"Keep reading"} --><!--more Keep reading--><!-- /wp:more -->'
        "<!-- wp:nextpage --><!--nextpage--><!-- /wp:nextpage -->"
        '<!-- wp:shortcode -->\n[gallery ids="1,2"]\n<!-- /wp:shortcode -->'
    )
    out, ctx = render(doc)
    assert '<div data-x="1"><marquee>raw</marquee></div>' in out
    assert "<!--more Keep reading-->" in out
    assert "<!--nextpage-->" in out
    assert '[gallery ids="1,2"]' in out
    assert ctx.problems == []


def test_footnotes_from_post_meta() -> None:
    notes = [{"id": "n-1", "content": "First <em>note</em>"}, {"id": "n-2", "content": "Second"}]
    doc = (
        '<!-- wp:paragraph --><p>Claim<sup data-fn="n-1" class="fn"><a href="#n-1" id="n-1-link">1</a></sup>'
        ' and more<sup data-fn="n-2" class="fn"><a href="#n-2" id="n-2-link">2</a></sup></p><!-- /wp:paragraph -->'
        "<!-- wp:footnotes /-->"
    )
    out, ctx = render(doc, meta={"footnotes": json.dumps(notes)})
    root = tree(out)
    anchors = [a.get("href").lstrip("#") for a in root.findall("p/sup/a")]
    items = root.findall("ol/li")
    assert [li.get("id") for li in items] == anchors == ["n-1", "n-2"]
    assert items[0].xpath("string(em)") == "note"
    assert [li.find("a").get("href") for li in items] == ["#n-1-link", "#n-2-link"]
    assert ctx.problems == []


def test_footnotes_without_meta_reported() -> None:
    out, ctx = render("<!-- wp:footnotes /-->")
    assert out == "" and codes(ctx) == ["footnotes"]


def test_reusable_blocks_recursive_loop_and_missing() -> None:
    reusable = {
        "10": '<!-- wp:paragraph --><p>Shared</p><!-- /wp:paragraph --><!-- wp:block {"ref":20} /-->',
        "20": '<!-- wp:paragraph --><p>Deeper</p><!-- /wp:paragraph --><!-- wp:block {"ref":10} /-->',
    }
    doc = '<!-- wp:block {"ref":10} /--><!-- wp:block {"ref":99} /-->'
    out, ctx = render(doc, reusable=reusable)
    assert [p.text for p in tree(out).findall("p")] == ["Shared", "Deeper"]
    assert sorted(codes(ctx)) == ["missing-reusable-block", "reusable-block-loop"]


def test_dynamic_blocks_dropped_one_report_per_type() -> None:
    doc = (
        '<!-- wp:latest-posts /--><!-- wp:latest-posts {"postsToShow":2} /--><!-- wp:search /-->'
        '<!-- wp:query {"queryId":1} --><div class="wp-block-query"><!-- wp:paragraph --><p>Recent:</p>'
        "<!-- /wp:paragraph --><!-- wp:post-template --><!-- wp:post-title /--><!-- wp:paragraph -->"
        "<p>per-post template text</p><!-- /wp:paragraph --><!-- /wp:post-template --></div><!-- /wp:query -->"
        "<!-- wp:paragraph --><p>kept</p><!-- /wp:paragraph -->"
    )
    out, ctx = render(doc)
    # The query loop's own static content stays; its per-post template cannot be rendered.
    assert [p.text for p in tree(out).findall("p")] == ["Recent:", "kept"]
    assert "wp-block-query" not in out
    dyn = [p for p in ctx.problems if p.code == "dynamic-block"]
    assert all(p.severity == "info" for p in dyn)
    assert sorted(re.search(r"core/[\w-]+", p.message).group(0) for p in dyn) == [
        "core/latest-posts",
        "core/post-template",
        "core/query",
        "core/search",
    ]
    assert "(2x)" in next(p.message for p in dyn if "latest-posts" in p.message)


def test_unknown_blocks_keep_html_and_are_counted() -> None:
    doc = (
        '<!-- wp:acme/box --><div class="acme"><p>one</p></div><!-- /wp:acme/box -->'
        '<!-- wp:acme/box --><div class="acme"><p>two</p></div><!-- /wp:acme/box -->'
    )
    out, ctx = render(doc)
    assert [p.text for p in tree(out).findall(".//p")] == ["one", "two"]
    (problem,) = ctx.problems
    assert problem.code == "unknown-block" and "acme/box" in problem.message and "(2x)" in problem.message


def test_freeform_in_block_document_is_not_autopd() -> None:
    doc = "line one\n\nline two\n<!-- wp:paragraph --><p>x</p><!-- /wp:paragraph -->"
    out, _ = render(doc)
    assert out.startswith("line one\n\nline two\n")
    assert "<p>line one" not in out


def test_malformed_leftover_delimiters_removed_and_reported() -> None:
    out, ctx = render("<!-- wp:Paragraph --><p>x</p><!-- /wp:Paragraph --><!-- wp:paragraph --><p>y</p>")
    assert "wp:" not in out
    assert [p.text for p in tree(out).findall("p")] == ["x", "y"]
    assert "block-parse" in codes(ctx)


def test_kitchen_sink_fixture() -> None:
    doc = (FIXTURES / "kitchen-sink.html").read_text(encoding="utf-8")
    out, ctx = render(doc)
    root = tree(out)
    assert "<!-- wp:" not in out and "<!-- /wp:" not in out
    paras = [p.text_content() for p in root.iter("p")]
    assert paras[0] == "Classic paragraph written before the first block."
    assert paras[-1] == "Classic paragraph written after the last block."
    assert "Left column text." in paras and "Best trip ever." in paras
    assert root.find(".//img").get("alt") == "A small boat"
    assert root.find(".//code").get("class") == "language-python"
    assert "&lt;!-- wp:not-a-block --&gt;" in out
    assert "<!--more-->" in out
    assert (
        root.find(".//div[@class='wp-block-embed__wrapper']/a").get("href") == "https://www.youtube.com/watch?v=abc123"
    )
    by_code = {p.code: p for p in ctx.problems}
    assert set(by_code) == {"dynamic-block", "unknown-block"}
    assert "acme/testimonial (2x)" in by_code["unknown-block"].message


# --------------------------------------------------------------------------- corpus


def _block_items(path: Path) -> list[tuple[str, str, dict]]:
    parser = etree.XMLParser(huge_tree=True, recover=True)
    root = etree.parse(str(path), parser).getroot()
    items = []
    for item in root.iter("item"):
        content = item.findtext(CONTENT) or ""
        if "<!-- wp:" not in content:
            continue
        meta = {}
        for pm in item:
            if isinstance(pm.tag, str) and pm.tag.endswith("postmeta"):
                key = next((c.text for c in pm if c.tag.endswith("meta_key")), None)
                value = next((c.text for c in pm if c.tag.endswith("meta_value")), None)
                if key:
                    meta[key] = value or ""
        items.append((item.findtext("title") or "", content, meta))
    return items


def _norm(text: str) -> str:
    return " ".join(html.unescape(text).split())


def _static_texts(content: str, name: str) -> list[str]:
    """Inner HTML of every ``name`` block in ``content`` (text inside its own delimiters)."""
    pattern = rf"<!-- wp:{name}(?: \{{[^\n]*?\}})? -->([\s\S]*?)<!-- /wp:{name} -->"
    return re.findall(pattern, content)


@pytest.mark.parametrize("name", ["64-block-test-data.xml", "themeunittestdata.wordpress.xml"])
def test_corpus_block_posts(corpus: Path, name: str) -> None:
    items = _block_items(corpus / "wxr" / "theme-test-data" / name)
    assert len(items) > 15
    for title, content, meta in items:
        ctx = make_ctx(content, meta=meta)
        out = render_blocks(content, ctx)
        assert "<!-- wp:" not in out and "<!-- /wp:" not in out, title
        assert not [p for p in ctx.problems if p.code in ("block-parse", "unknown-block")], title
        rendered_text = _norm(tree(out).text_content()) if out.strip() else ""
        # Every paragraph's text survives.
        for inner in _static_texts(content, "paragraph"):
            if "<!-- wp:" in inner:
                continue
            text = _norm(tree(inner).text_content()) if inner.strip() else ""
            assert text in rendered_text, (title, text)
        # Every image's src survives (image blocks not inside a dropped dynamic block).
        for inner in _static_texts(content, "image"):
            for src in re.findall(r'<img[^>]+src="([^"]+)"', inner):
                assert f'src="{src}"' in out, (title, src)
        # Every code block's text is unchanged.
        for inner in _static_texts(content, "code"):
            body = re.search(r"<code[^>]*>([\s\S]*?)</code>", inner).group(1)
            assert body in out, (title, body)
        # Footnote anchors point at rendered footnotes.
        for fid in re.findall(r'<sup data-fn="([^"]+)"', content):
            assert f'<li id="{fid}">' in out, (title, fid)


def test_absurd_nesting_does_not_exhaust_the_stack() -> None:
    doc = "<!-- wp:group --><div>" * 3000 + "<p>deep</p>"
    out, ctx = render(doc)
    assert "<p>deep</p>" in out and "<!-- wp:" not in out
    assert "block-parse" in codes(ctx)


def test_many_unterminated_attribute_runs_stay_fast() -> None:
    doc = '<!-- wp:x {"a":1 -->' * 20000 + "<p>end</p>"
    out, _ = render(doc)
    assert out.endswith("<p>end</p>")
