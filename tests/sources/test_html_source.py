"""Saved WordPress pages -> Documents: themes of several eras, index pages, mirrors."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import html as lxml_html

from migrator.model import Document, Problem, Site
from migrator.sources.html import parse_date, read_html, read_mirror

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "html"


def read(name: str) -> tuple[list[Document], list[Problem], Site]:
    site, problems = Site(), []
    docs = list(read_html(FIXTURES / name, site, problems))
    return docs, problems, site


def text_of(doc: Document) -> str:
    root = lxml_html.fragment_fromstring(doc.content, create_parent="div")
    return " ".join(" ".join(root.itertext()).split())


def terms(doc: Document, taxonomy: str) -> list[str]:
    return [t.name for t in doc.terms_of(taxonomy)]


def assert_absent(text: str, *snippets: str) -> None:
    for s in snippets:
        assert s not in text, f"chrome left in content: {s!r}"


# ---------------------------------------------------------------- Twenty Ten (classic)


def test_twentyten_single_post():
    docs, problems, site = read("twentyten-single.html")
    assert [d.title for d in docs] == ["A Week in the Alps"]
    doc = docs[0]
    assert doc.type == "post" and doc.status == "publish" and doc.content_kind == "rendered"
    assert doc.date == datetime(2010, 7, 14, 16, 35)  # date text + time from the link title
    assert doc.author == "Ada Lindqvist" and doc.author_login == "ada"
    assert terms(doc, "category") == ["Travel", "Europe"]
    assert terms(doc, "post_tag") == ["Alps", "Hiking"]
    assert doc.link == "http://mountain.example.org/2010/07/14/a-week-in-the-alps/"
    assert doc.slug == "a-week-in-the-alps"
    assert doc.source.endswith("twentyten-single.html")
    body = text_of(doc)
    assert body.startswith("We set out from the valley")
    assert "soup on the stove & a view" in body and "Day two: the ridge" in body
    assert 'class="wp-caption-text"' in doc.content and "ridge.jpg" in doc.content
    assert_absent(
        body,
        "Share this",
        "Twitter",
        "Leave a Reply",
        "Lovely photos",
        "About Ada",
        "Posted on",
        "Proudly powered",
        "Skip to content",
        "Packing list",
        "Bookmark the",
    )
    assert "more-12" not in doc.content
    assert site.title == "Mountain Notes" and site.link == "http://mountain.example.org/"
    assert not [p for p in problems if p.severity != "info"]


def test_twentyten_index_page_yields_each_post_with_partial_marks():
    docs, _, _ = read("twentyten-index.html")
    assert [d.title for d in docs] == ["A Week in the Alps", "Packing list", "First steps"]
    alps, packing, first = docs
    assert alps.extra.get("partial") is True  # cut by a more-link
    assert "partial" not in packing.extra  # shown in full
    assert first.extra.get("partial") is True  # an excerpt (.entry-summary)
    assert "Continue reading" not in text_of(alps) and "more-link" not in alps.content
    assert text_of(packing) == "Boots, a map, and less than you think. Boots Map"
    assert packing.author == "Bo Hansen" and packing.date == datetime(2010, 7, 1, 9, 2)
    assert terms(packing, "category") == ["Gear"] and terms(alps, "post_tag") == ["Alps"]
    assert "1 Comment" not in text_of(alps) and "Older posts" not in text_of(first)


def test_same_post_gets_the_same_id_on_single_and_index_pages():
    single, _, _ = read("twentyten-single.html")
    index, _, _ = read("twentyten-index.html")
    assert single[0].id == index[0].id
    assert len({d.id for d in index}) == 3


# ---------------------------------------------------------------- Twenty Twenty-One


def test_twentytwentyone_single_with_offsets_and_jetpack_chrome():
    docs, _, site = read("twentytwentyone-single.html")
    (doc,) = docs
    assert doc.title == "Brot backen ohne Waage"
    plus_one = timezone(timedelta(hours=1))
    assert doc.date == datetime(2021, 3, 7, 9, 15, tzinfo=plus_one)
    assert doc.modified == datetime(2021, 3, 9, 18, 2, 11, tzinfo=plus_one)
    assert doc.author == "Jonas Weber"
    assert terms(doc, "category") == ["Backen"] and terms(doc, "post_tag") == ["Sauerteig", "Roggen"]
    assert doc.extra["featured_image"].endswith("/2021/03/laib-1568x1045.jpg")
    body = text_of(doc)
    assert "3 Tassen Roggenmehl" in body and "Geduld ist die halbe Miete." in body
    assert "<figcaption>Der Teig nach zwölf Stunden</figcaption>" in doc.content
    assert_absent(
        body,
        "Teilen mit",
        "Facebook",
        "Wird in neuem Fenster",
        "Ähnliche Beiträge",
        "Schreibe einen Kommentar",
        "Bäckt am Wochenende",
        "Zum Inhalt springen",
        "Veröffentlicht",
    )
    assert site.title == "Küchenzettel"


# ---------------------------------------------------------------- Twenty Twenty-Four (block theme)


def test_block_theme_single_without_post_container():
    docs, problems, _ = read("twentytwentyfour-single.html")
    (doc,) = docs
    assert not [p for p in problems if p.code == "html-generic-extraction"]
    assert doc.title == "Notes on Tide Pools"
    minus_seven = timezone(timedelta(hours=-7))
    assert doc.date == datetime(2024, 5, 2, 7, 30, tzinfo=minus_seven)
    assert doc.modified == datetime(2024, 5, 3, 10, 0, tzinfo=minus_seven)  # JSON-LD dateModified
    assert doc.author == "Maya Ortiz"
    assert terms(doc, "category") == ["Field notes"] and terms(doc, "post_tag") == ["tide pools"]
    assert doc.extra["featured_image"] == "https://shore.example.com/wp-content/uploads/2024/05/pool.jpg"
    assert doc.slug == "notes-on-tide-pools"
    assert "<table>" in doc.content and "Hermit crab" in text_of(doc)
    assert_absent(text_of(doc), "Leave a comment", "Designed with", "About", "Notes on Tide Pools")


def test_block_theme_query_loop_index():
    docs, _, site = read("twentytwentyfour-index.html")
    assert [d.title for d in docs] == ["Notes on Tide Pools", "Kelp season"]
    pools, kelp = docs
    assert pools.extra.get("partial") is True and "Read more" not in text_of(pools)
    assert text_of(pools) == "Anemones close when the tide goes out; the pools keep their own weather."
    assert pools.link == "https://shore.example.com/notes-on-tide-pools/"
    assert pools.extra["featured_image"].endswith("/2024/05/pool.jpg")
    assert kelp.date == datetime(2024, 4, 11, 16, 0, tzinfo=timezone(timedelta(hours=-7)))
    assert "partial" not in kelp.extra and text_of(kelp) == "The forest is back, thicker than last year."
    assert [t.slug for t in pools.terms] == ["field-notes", "tide-pools"]  # from post_class() only
    assert site.title == "Shoreline"


# ---------------------------------------------------------------- WordPress.com + Jetpack


def test_wordpress_com_theme_drops_jetpack_chrome():
    docs, _, site = read("wpcom-jetpack-single.html")
    (doc,) = docs
    assert doc.title == "Seven small habits for a tidy inbox"  # widont's no-break space normalised
    assert doc.date == datetime(2015, 5, 26, 14, 3, 51, tzinfo=timezone.utc)
    assert doc.modified == datetime(2015, 5, 27, 8, 0, tzinfo=timezone.utc)
    assert doc.author == "Lena Hart" and doc.author_login == "lenahart"
    assert terms(doc, "category") == ["Productivity"] and terms(doc, "post_tag") == ["email", "habits"]
    assert "featured_image" not in doc.extra  # og:image is WordPress.com's blank placeholder
    body = text_of(doc)
    assert body.startswith("Most mail needs a decision") and body.endswith("What do you think?")
    assert_absent(
        body,
        "Advertisements",
        "Hidden tracking",
        "Join 2,328",
        "Get every new post",
        "Follow",
        "Share this",
        "Twitter",
        "Like this",
        "Loading",
        "Related",
        "Desk reset",
        "Great list",
    )
    assert "<script" not in doc.content and "<form" not in doc.content
    assert site.title == "Paper & Pixels"


# ---------------------------------------------------------------- commercial magazine theme


def test_magazine_theme_lazy_images_share_plugins_and_boxes():
    docs, _, _ = read("magazine-single.html")
    (doc,) = docs
    assert doc.title == "Ten Minute Tomato Soup"
    assert doc.date == datetime(2019, 11, 4, 6, 45, tzinfo=timezone.utc)
    assert doc.modified == datetime(2019, 11, 5, 9, 12, tzinfo=timezone.utc)
    assert doc.author == "Priya Raman"
    assert terms(doc, "category") == ["Soups", "Quick Dinners"] and terms(doc, "post_tag") == ["vegetarian"]
    assert doc.extra["featured_image"] == "https://busypantry.example.com/wp-content/uploads/2019/11/soup.jpg"
    root = lxml_html.fragment_fromstring(doc.content, create_parent="div")
    srcs = [img.get("src") for img in root.iter("img")]
    assert srcs == ["https://busypantry.example.com/wp-content/uploads/2019/11/pot.jpg"]  # once, not twice
    body = text_of(doc)
    assert body.startswith("Canned tomatoes") and body.endswith("Serve with grilled cheese.")
    assert "Blend with a splash of cream." in body
    assert_absent(
        body,
        "Sharing is caring",
        "Facebook",
        "Sign up",
        "You may also like",
        "Priya cooks",
        "Leave a Comment",
        "Lentil stew",
        "vegetarian",
    )
    assert "adsbygoogle" not in doc.content


# ---------------------------------------------------------------- Kubrick (WordPress 2.x)


def test_kubrick_index_with_query_string_permalinks_and_text_dates():
    docs, _, _ = read("kubrick-index.html")
    assert [d.title for d in docs] == ["Beans, at last", "Slugs"]
    beans, slugs = docs
    assert beans.link == "http://garden.example.net/?p=44"
    assert beans.slug == "beans-at-last"  # no path segment: slugified title
    assert beans.date == date(2007, 9, 3) and slugs.date == date(2007, 8, 28)  # the day alone: no made-up time
    assert [(t.slug, t.name) for t in beans.terms_of("category")] == [("vegetables", "Vegetables")]
    assert slugs.extra.get("partial") is True and "Read the rest" not in text_of(slugs)
    assert text_of(beans) == "The runner beans finally climbed past the top of the canes. Next year: taller canes."
    assert_absent(text_of(beans), "No Comments", "Posted in")


# ---------------------------------------------------------------- fallbacks and bad input


def test_page_without_wordpress_markup_uses_generic_extractor(tmp_path):
    paragraphs = "".join(
        f"<p>Paragraph {i} of a plain article about lighthouse keepers and their long winter watches, "
        f"written without any blog engine at all.</p>"
        for i in range(8)
    )
    page = tmp_path / "plain.html"
    page.write_text(
        "<html><head><title>Lighthouse keepers</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/contact'>Contact</a></nav>"
        f"<div class='main'><h1>Lighthouse keepers</h1>{paragraphs}</div>"
        "<footer>Copyright 2001 Harbour Society</footer></body></html>",
        encoding="utf-8",
    )
    problems: list[Problem] = []
    docs = list(read_html(page, Site(), problems))
    assert [p.code for p in problems] == ["html-generic-extraction"]
    assert problems[0].severity == "warning"
    (doc,) = docs
    assert "Paragraph 7 of a plain article" in text_of(doc)
    assert "Copyright 2001" not in text_of(doc)
    assert doc.title == "Lighthouse keepers"


def test_unreadable_and_garbage_input_are_problems_not_exceptions(tmp_path):
    problems: list[Problem] = []
    assert list(read_html(tmp_path / "missing.html", Site(), problems)) == []
    assert problems[0].code == "html-unreadable" and problems[0].severity == "error"
    junk = tmp_path / "junk.html"
    junk.write_bytes(b"\x00\xff\xfe garbage \x01\x02 <div class='entry-content'>\x00")
    problems = []
    list(read_html(junk, Site(), problems))  # must not raise
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    problems = []
    assert list(read_html(empty, Site(), problems)) == []
    assert problems


def test_legacy_charset_is_decoded(tmp_path):
    page = tmp_path / "latin1.html"
    html = (
        "<html><head><meta charset='iso-8859-1'></head><body class='single'>"
        "<div class='post-3 post type-post hentry'><h2 class='entry-title'>Caf\u00e9 cr\u00e8me</h2>"
        "<div class='entry-content'><p>D\u00e9j\u00e0 vu.</p></div></div></body></html>"
    )
    page.write_bytes(html.encode("iso-8859-1"))
    (doc,) = list(read_html(page, Site(), []))
    assert doc.title == "Café crème" and text_of(doc) == "Déjà vu."


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2021-03-07T09:15:00+01:00", datetime(2021, 3, 7, 9, 15, tzinfo=timezone(timedelta(hours=1)))),
        ("2019-08-02T15:57:41Z", datetime(2019, 8, 2, 15, 57, 41, tzinfo=timezone.utc)),
        ("2015-05-26", date(2015, 5, 26)),
        ("May 26, 2015", date(2015, 5, 26)),
        ("September 3rd, 2007 at 4:35 pm", datetime(2007, 9, 3, 16, 35)),
        ("7. März 2021", date(2021, 3, 7)),
        ("26.05.2015", date(2015, 5, 26)),
        ("no date here", None),
        ("February 30, 2015", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


# ---------------------------------------------------------------- mirrors


def test_mirror_single_page_wins_over_index_excerpts(tmp_path):
    mirror = tmp_path / "site"
    shutil.copytree(FIXTURES / "mirror", mirror)
    site, problems = Site(), []
    docs = list(read_mirror(mirror, site, problems))
    assert sorted(d.title for d in docs) == ["Frost on glass", "Winter light"]
    winter = next(d for d in docs if d.title == "Winter light")
    assert Path(winter.source) == mirror / "2020" / "02" / "03" / "winter-light" / "index.html"
    assert "partial" not in winter.extra
    assert "The whole point of winter is this light." in text_of(winter)
    assert winter.extra["images_local"] == ["wp-content/uploads/2020/02/harbour.jpg"]
    assert winter.link == "https://lens.example.org/2020/02/03/winter-light/"
    frost = next(d for d in docs if d.title == "Frost on glass")  # only on the index page
    assert Path(frost.source) == mirror / "index.html"
    assert frost.extra["images_local"] == ["wp-content/uploads/2020/01/frost.jpg"]
    assert site.title == "Lens Diary"
    # deterministic: a second run gives the same documents in the same order
    again = list(read_mirror(mirror, Site(), []))
    assert [(d.id, d.content) for d in again] == [(d.id, d.content) for d in docs]


def test_mirror_index_only_post_matched_on_title_when_no_permalink(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        "<html><body class='home blog'><div class='post type-post hentry'><h2 class='entry-title'>Untitled walk</h2>"
        "<div class='entry-content'><p>Short version.</p></div></div></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "b.htm").write_text(
        "<html><body class='single'><div class='post type-post hentry'><h2 class='entry-title'>Untitled walk</h2>"
        "<div class='entry-content'><p>Long version with every step.</p></div></div></body></html>",
        encoding="utf-8",
    )
    docs = list(read_mirror(tmp_path, Site(), []))
    assert [text_of(d) for d in docs] == ["Long version with every step."]


# ---------------------------------------------------------------- the benchmark scorer on real pages


def test_extraction_scorer_on_a_corpus_page(corpus):
    from benchmarks.extraction import migrator_text, score_text, snippet_hits, visible_text

    page = corpus / "html" / "readability" / "test-pages" / "wordpress"
    gold = visible_text((page / "expected.html").read_text(encoding="utf-8"))
    p, r, f1 = score_text(migrator_text(page / "source.html"), gold)
    assert f1 > 0.95 and p > 0.9 and r > 0.9
    # and the scorer itself is not trivially generous
    assert score_text("completely unrelated words", gold)[2] < 0.05
    ok, total = snippet_hits("alpha beta gamma", ["beta gamma"], ["delta"])
    assert (ok, total) == (2, 2)
    assert snippet_hits("alpha beta", ["beta gamma"], ["alpha"]) == (0, 2)
