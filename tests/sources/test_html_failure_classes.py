"""The HTML reader on themes it was not written for: one invented theme per failure class.

Each fixture (fixtures/html/<theme>-*.html, written for these tests) reproduces one way a
reader tuned to known class names fails on a new theme; each test asserts the structural
rule that replaces the name.
"""

from __future__ import annotations

import re
import textwrap
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import html as lxml_html

from migrator import pipeline
from migrator.model import Document, Problem, Site
from migrator.options import Options
from migrator.sources.html import read_html

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "html"


def read(name: str) -> tuple[list[Document], list[Problem]]:
    problems: list[Problem] = []
    return list(read_html(FIXTURES / name, Site(), problems)), problems


def body(doc: Document) -> str:
    root = lxml_html.fragment_fromstring(doc.content or "<p></p>", create_parent="div")
    return " ".join(" ".join(root.itertext()).split())


def convert_one(tmp_path: Path, source: Path, name: str, *options: str) -> str:
    """The Markdown body of the one document ``source`` converts to."""
    out = tmp_path / name
    opts = Options(
        force=True,
        quiet=True,
        jobs=1,
        embed_style=options[0] if options else "link",
        source_format="html" if source.suffix == ".html" else None,
    )
    report = pipeline.convert([str(source)], str(out), opts)
    assert not report.fatal
    (md,) = [p for p in out.rglob("*.md")]
    return md.read_text(encoding="utf-8").split("\n---\n", 1)[1]


# ------------------------------------------------------------------ a theme without a content wrapper


def test_paragraphs_sharing_a_wrapper_class_are_one_body_and_the_byline_stays_out():
    (doc,), _ = read("lumen-single.html")
    text = body(doc)
    assert doc.title == "How the Tide Mill Turns"
    assert text.startswith("The mill pond fills twice a day")
    assert text.endswith("sold by the bag at the door.")
    assert text.count(".") >= 6  # all six paragraphs, not the longest one alone
    assert "Ines Varga" not in text and "March 3, 2022" not in text and "Elsewhere" not in text
    assert doc.author == "Ines Varga" and doc.author_login == "ines"
    assert doc.date == date(2022, 3, 3)  # the byline shows the day only
    assert doc.slug == "how-the-tide-mill-turns"


# ------------------------------------------------------------------ an index page in unknown wrappers


def test_listing_in_unknown_wrappers_gives_one_document_per_post():
    docs, problems = read("quarry-index.html")
    assert [d.title for d in docs] == [
        "The slate splitter",
        "Waste heaps",
        "The incline",
        "Powder house",
        "The barracks",
        "Dressing sheds",
        "Rope and chain",
        "A strike",
    ]
    assert [d.date for d in docs][:2] == [date(2023, 5, 8), date(2023, 5, 1)]
    assert all(d.extra.get("partial") for d in docs)  # each shows an excerpt with a "Keep reading" link
    assert all("Keep reading" not in body(d) and "May 8, 2023" not in body(d) for d in docs)
    assert (
        body(docs[2]) == "Full wagons going down pulled empty wagons up: the incline ran on gravity and a "
        "brakeman's nerve."
    )
    assert docs[0].slug == "the-slate-splitter" and docs[0].link.endswith("/2023/05/08/the-slate-splitter/")
    assert not any("Quarry Notes" in d.title or "Recent Posts" in d.title for d in docs)
    assert not [p for p in problems if p.severity != "info"]


def test_listing_whose_posts_carry_post_class_in_an_unknown_wrapper():
    docs, _ = read("granary-index.html")
    assert [d.title for d in docs] == ["Dark rye", "The windmill at Dunmore", "A starter from scratch"]
    rye = docs[0]
    assert (
        body(rye) == "Rye dough does not behave like wheat dough: it is sticky, it does not stretch, and it "
        "needs acid to set."
    )
    assert rye.date == datetime(2024, 3, 12, 8, 0, tzinfo=timezone(timedelta(hours=1)))
    assert rye.author == "Mila Brandt" and docs[2].author == "Tom Ebner"
    assert [t.name for t in rye.terms_of("category")] == ["Bread"]
    assert all(d.extra.get("partial") for d in docs)


# ------------------------------------------------------------------ titles


def test_title_never_from_a_widget_and_without_the_site_name():
    (doc,), _ = read("marlin-single.html")
    assert doc.title == "Seven Knots Every Sailor Uses"
    assert doc.date == datetime(2021, 8, 19, 7, 45, tzinfo=timezone(timedelta(hours=1)))
    assert doc.slug == "seven-knots" and doc.link == "https://marlin.example.com/2021/08/19/seven-knots/"
    text = body(doc)
    assert text.startswith("A bowline makes a loop") and "Tides and moons" not in text


# ------------------------------------------------------------------ dates


def test_cdata_wrapped_json_ld_date_beats_a_last_updated_text():
    (doc,), _ = read("tidewater-single.html")
    assert doc.date == datetime(2019, 4, 2, 6, 30, tzinfo=timezone(timedelta(hours=-4)))
    assert doc.modified == datetime(2023, 11, 20, 15, 10, tzinfo=timezone(timedelta(hours=-5)))
    assert doc.author == "Ruth Okafor"
    assert "Last Updated" not in body(doc)


def test_a_day_shown_as_text_is_a_day_and_the_permalink_comes_from_the_date_link():
    (doc,), _ = read("almanac-single.html")
    assert doc.date == date(2024, 7, 4) and not isinstance(doc.date, datetime)
    assert doc.link == "https://almanac.example.net/2024/07/04/fireworks-over-the-bay/"
    assert doc.slug == "fireworks-over-the-bay"


def test_only_time_updated_is_the_post_date():
    (doc,), _ = read("almanac-updated.html")
    assert doc.date == datetime(2024, 8, 10, 14, 20, tzinfo=timezone(timedelta(hours=-4)))


def test_day_only_date_is_written_as_a_day_in_front_matter(tmp_path):
    out = tmp_path / "out"
    report = pipeline.convert(
        [str(FIXTURES / "almanac-single.html")], str(out), Options(force=True, quiet=True, jobs=1, source_format="html")
    )
    assert not report.fatal
    (md,) = out.rglob("*.md")
    assert "\ndate: '2024-07-04'\n" in md.read_text(encoding="utf-8")


# ------------------------------------------------------------------ in-body modules


def test_related_promo_and_newsletter_modules_go_by_structure():
    (doc,), _ = read("orchard-single.html")
    text = body(doc)
    for chrome in (
        "You might also like",
        "Grafting basics",
        "Windfalls",
        "Letters from the orchard",
        "One short letter",
        "Free planting calendar",
        "Download it here",
    ):
        assert chrome not in text, chrome
    for kept in (
        "Take out the dead",
        "a pruning primer",
        "Choosing a pruning saw",
        "What to do with the wood",
        "Paint nothing on the cuts",
    ):
        assert kept in text, kept


# ------------------------------------------------------------------ embeds and screen-reader text


def test_provider_players_become_the_embedded_url_and_assistive_text_goes():
    (doc,), _ = read("reel-single.html")
    assert "<iframe" not in doc.content
    assert "https://www.youtube.com/watch?v=Xk3rW9aQpL0" in doc.content
    assert "https://vimeo.com/176543210" in doc.content
    text = body(doc)
    assert "Both are worth an evening." in text and "diary" not in text and "Posted on" not in text


_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Reel Harbour</title><link>https://reel.example.com</link><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Two films about lighthouses</title><link>https://reel.example.com/2018/06/30/two-films-about-lighthouses/</link>
<dc:creator>reel</dc:creator><content:encoded><![CDATA[<!-- wp:embed {"url":"URL","type":"video"} -->
<figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper">
URL
</div></figure>
<!-- /wp:embed -->]]></content:encoded>
<wp:post_id>52</wp:post_id><wp:post_date>2018-06-30 20:05:00</wp:post_date><wp:post_date_gmt>2018-06-30 18:05:00</wp:post_date_gmt>
<wp:post_name>two-films-about-lighthouses</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
</item></channel></rss>
"""


@pytest.mark.parametrize("style", ["link", "html"])
def test_a_page_embed_converts_exactly_like_the_export_embed(tmp_path, style):
    page_md = convert_one(tmp_path, FIXTURES / "reel-single.html", f"page-{style}", style)
    for url in ("https://www.youtube.com/watch?v=Xk3rW9aQpL0", "https://vimeo.com/176543210"):
        export = tmp_path / f"export-{style}-{url.rsplit('/', 1)[-1].replace('?', '')}.xml"
        export.write_text(textwrap.dedent(_EXPORT).replace("URL", url), encoding="utf-8")
        export_md = convert_one(tmp_path, export, export.stem, style).strip()
        assert export_md and export_md in page_md, (export_md, page_md)
    assert "feature=oembed" not in page_md and "[A winter on the rock]" not in page_md


# ------------------------------------------------------------------ terms and authors


def test_terms_are_names_from_the_page_and_the_author_link_needs_no_rel():
    (doc,), _ = read("ledger-single.html")
    assert [t.name for t in doc.terms_of("category")] == ["Edge Case", "History"]
    assert [t.slug for t in doc.terms_of("category")] == ["edge-case-2", "history"]
    assert [t.name for t in doc.terms_of("post_tag")] == ["Accounts", "Old Hands"]
    assert doc.author == "Hugh Penrose" and doc.author_login == "hugh"


# ------------------------------------------------------------------ meta lines in the body


def test_theme_meta_lines_inside_the_content_stay_out_of_the_body():
    (doc,), _ = read("meadow-single.html")
    text = body(doc)
    assert text == (
        "We started at first light, while the dew still held the grass upright and the blade went "
        "through it like water. By ten the sun was on the field and the grass lay down and would not "
        "be cut cleanly any more."
    )
    assert doc.title == "Scything the lower field"
    assert doc.author == "Ada Quill" and doc.date == date(2020, 6, 1)
    assert [t.name for t in doc.terms_of("category")] == ["Fieldwork"]
    assert not re.search(r"Filed under|Fieldwork", text)


# ------------------------------------------------------------------ a lone fragment, checked against trafilatura

_STORY = " ".join(
    f"Sentence {i} of the harbour story tells how the pilots rowed out to every ship in all weathers."
    for i in range(12)
)


def test_a_short_body_without_content_markup_widens_to_what_the_generic_extractor_reads():
    from migrator.sources.html.page import _cross_check, parse
    from migrator.sources.html.posts import Found

    text = (
        f"<html><head><title>Pilots</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<div id='story'><p>The pilots of the cove, in brief.</p><div>{_STORY}</div></div>"
        f"<footer>Cove Log footer</footer></body></html>"
    )
    root = parse(text)
    fragment = root.xpath("//p")[0]
    problems: list[Problem] = []
    widened = _cross_check(text, root, Found(fragment), "page.html", problems)
    assert widened.element is root.xpath("//div[@id='story']")[0] and not problems
    # a body WordPress marked up stays as it is
    assert _cross_check(text, root, Found(fragment, strong=True), "page.html", problems).element is fragment
