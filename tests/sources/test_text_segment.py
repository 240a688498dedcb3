"""Finding the posts of a text scrape by evidence: one fixture of our own per failure class of
issue 23, the chrome vocabulary's provenance, and a sample of the text theme matrix."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from migrator.model import Document, Problem, Site
from migrator.sources.text import read_text
from migrator.sources.text.lines import load
from migrator.sources.text.vocabulary import RULES, SITE_RULES

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "text"


def read(path: Path) -> tuple[list[Document], list[Problem]]:
    problems: list[Problem] = []
    return list(read_text(path, Site(), problems)), problems


def text(doc: Document) -> str:
    return BeautifulSoup(doc.content, "html.parser").get_text("\n")


def paragraphs(doc: Document) -> list[str]:
    return [p.get_text() for p in BeautifulSoup(doc.content, "html.parser").find_all("p")]


def removed(problems: list[Problem]) -> dict[int, str]:
    """line -> rule of every line reported as removed."""
    return {p.line: p.message.split(":")[0] for p in problems if p.code == "text-chrome-removed"}


# ------------------------------------------------------------------------------------------
# The date is not on the line after the title


def test_date_above_the_title():
    """Categories, then "date author", then the title: each date belongs to the title below it;
    a post titled like chrome ("Comments") is a post; a one-line excerpt is not lost."""
    docs, problems = read(FIXTURES / "date_above_index.txt")
    assert [(d.title, d.date, d.author) for d in docs] == [
        ("Crossing the Bar at Dawn", date(2021, 3, 3), "Mara Quinn"),
        ("Comments", date(2021, 2, 20), "Mara Quinn"),
        ("A Short Note", date(2021, 2, 2), "Tom Reyes"),
        ("Reading the Shipping Forecast", date(2021, 1, 18), "Mara Quinn"),
    ]
    assert [d.categories for d in docs] == [["Sailing", "Harbours"], ["Harbours"], ["Sailing"], ["Sailing", "Weather"]]
    assert paragraphs(docs[2]) == ["Engine serviced. Sails back from the loft."]
    for d in docs:
        assert "Read More" not in text(d) and "Tidewater" not in text(d) and "Older posts" not in text(d)
    assert docs[1].extra["images"] == [{"alt": "dawn_bar_crossing_04"}]
    assert removed(problems)[18] == "more-link" and removed(problems)[50] == "sidebar"


def test_read_more_closes_an_excerpt():
    """Meta above each title, each excerpt closed by "Read More": what stands between that
    link and the next post's meta (its featured image's alt text, its categories) is not the
    excerpt; the first post, with no link above it, takes as many lines as the others."""
    docs, problems = read(FIXTURES / "more_closes_index.txt")
    assert [(d.title, d.date, d.author, d.categories) for d in docs] == [
        ("Avocets Back on the Scrape", date(2023, 5, 14), "Iris Pell", ["Waders"]),
        ("A Grey Heron at the Sluice", date(2023, 5, 2), "Iris Pell", ["Herons"]),
        ("Counting Godwits in the Rain", date(2023, 4, 21), "Colm Rudd", ["Waders"]),
    ]
    assert [len(paragraphs(d)) for d in docs] == [1, 1, 1]
    assert all("Heron Standing" not in text(d) and "Older posts" not in text(d) for d in docs)
    assert removed(problems)[11] == "post-lead" and removed(problems)[6] == "post-meta"


def test_meta_in_bullets():
    """ "• Post date:April 9, 2019": the date inside a bullet with its label glued on."""
    docs, problems = read(FIXTURES / "bullet_meta_index.txt")
    assert [(d.title, d.date, d.author, d.categories) for d in docs] == [
        ("Grafting Season Notes", date(2019, 4, 9), "Ruth Amberley", ["Apples", "Grafting"]),
        ("Pruning the Old Bramley", date(2019, 3, 2), "Ruth Amberley", ["Apples", "Pruning"]),
        ("Cider Pressing Day", date(2018, 10, 14), "Sam Okafor", ["Cider"]),
    ]
    for d in docs:
        assert len(paragraphs(d)) == 1
        assert "Continue" not in text(d) and "Post comments" not in text(d) and "next page" not in text(d)
    assert {removed(problems)[n] for n in (39, 40, 41)} == {"page-links", "navigation"}


def test_meta_after_the_text():
    """A footer glued together after each post ("Posted byOwen HartJanuary 7, 2022Posted
    inWalkingTags: ..."): the post is the text above it; the comment count is no tag."""
    docs, problems = read(FIXTURES / "footer_meta_index.txt")
    assert [(d.title, d.date, d.author, d.categories, d.tags) for d in docs] == [
        ("Winter Loop Around the Reservoir", date(2022, 1, 7), "Owen Hart", ["Walking"], ["reservoirs", "winter"]),
        ("Hedge Laying With the Parish Group", date(2021, 12, 12), "Owen Hart", ["Volunteering"], ["hedges"]),
        ("Tags", date(2021, 11, 30), "Ada Byrne", ["Site News"], []),
    ]
    soup = BeautifulSoup(docs[0].content, "html.parser")
    assert [h.get_text() for h in soup.find_all("h2")] == ["What to bring"]
    assert [li.get_text() for li in soup.find_all("li")][0] == "a flask of something hot"
    assert docs[0].extra["images"] == [{"alt": "reservoir_loop_map_2"}]
    for d in docs:
        assert "Featured" not in text(d) and "Posted" not in text(d) and "Quiet Lanes" not in text(d)
    assert removed(problems)[5] == "sticky-label"


def test_date_twice_run_together_and_comments_kept_as_comments():
    """ "Posted on March 15, 2012March 15, 2012 by Ida Fenn"; a comment thread with a heading:
    comments, never posts."""
    docs, problems = read(FIXTURES / "run_together_single.txt")
    assert len(docs) == 1
    d = docs[0]
    assert (d.title, d.date, d.author, d.categories, d.tags) == (
        "Rye Bread Without a Starter",
        date(2012, 3, 15),
        "Ida Fenn",
        ["Recipes"],
        ["bread", "rye"],
    )
    assert [(c.author, c.date) for c in d.comments] == [
        ("Pat Lowe", datetime(2012, 3, 16, 8, 2)),
        ("Ida Fenn", datetime(2012, 3, 16, 9, 40)),
        ("Sunil Rao", datetime(2012, 3, 18, 18, 15)),
    ]
    assert d.comments[2].content == "Can I use caraway seeds in it?"
    body = text(d)
    for chrome in (
        "Home >",
        "Soda Bread",
        "thoughts on",
        "Pat Lowe",
        "Reply",
        "Leave a Reply",
        "Copper Kettle",
        "kettle_rye_03",
        "Posted in",
    ):
        assert chrome not in body
    assert [li.get_text() for li in BeautifulSoup(d.content, "html.parser").find_all("li")] == [
        "400 g dark rye flour",
        "7 g dried yeast",
        "a tablespoon of black treacle",
    ]
    assert removed(problems)[31] == "comments"


def test_comment_thread_without_a_heading():
    """Commenters' "Name Date Reply" lines read like title and date pairs: they are comments."""
    docs, problems = read(FIXTURES / "comments_no_heading_single.txt")
    assert [(d.title, d.date, d.author) for d in docs] == [
        ("Soldering a Lamp Kit With the Kids", date(2023, 11, 2), "Lena Brook")
    ]
    d = docs[0]
    assert d.categories == ["Electronics", "Family"] and d.tags == ["kits", "soldering"]
    assert [c.author for c in d.comments] == ["Jo Marsh", "Lena Brook", "Jo Marsh", "Dev Ahuja"]
    assert len(paragraphs(d)) == 2 and "Which kit" not in text(d)


# ------------------------------------------------------------------------------------------
# No dates at all; the site name is no title


def test_listing_without_dates_splits_into_its_posts():
    docs, problems = read(FIXTURES / "undated_index.txt")
    assert [(d.title, d.date) for d in docs] == [
        ("Notes on Binding a Pamphlet", None),
        ("Choosing Paper Grain", None),
        ("The Bone Folder", None),
    ]
    assert [len(paragraphs(d)) for d in docs] == [1, 1, 1]
    assert all("Continue reading" not in text(d) for d in docs)
    assert [p.message for p in problems if p.code == "text-no-date"] == ["3 of 3 posts show no date"]


def test_single_page_is_one_post_titled_by_its_heading_not_the_site_name():
    docs, problems = read(FIXTURES / "page_single.txt")
    assert [d.title for d in docs] == ["Our History"]
    assert len(paragraphs(docs[0])) == 3
    assert "Fernhill Society" not in text(docs[0]) and "Membership" not in text(docs[0])
    assert any(p.code == "text-no-date" for p in problems)


def test_featured_image_alt_text_above_the_title_is_no_title():
    """A text browser prints the featured image's alt text on its own line above the title;
    the meta follows the text, so nothing sits next to either line.  The title is the line
    the text echoes; the alt text goes to ``images:``."""
    docs, problems = read(FIXTURES / "featured_alt_above_single.txt")
    assert [(d.title, d.date, d.author, d.categories) for d in docs] == [
        ("Restoring a Hand Plane", date(2022, 3, 8), "Wren Talbot", ["Tools"])
    ]
    assert docs[0].extra["images"] == [{"alt": "Rusty Anvil at Sunset"}]
    assert len(paragraphs(docs[0])) == 3 and "Rusty Anvil" not in text(docs[0])
    assert removed(problems)[8] == "image-residue"


def test_a_title_the_text_echoes_keeps_its_place_over_the_line_below_it():
    """The same two lines the other way round (the alt text below the title): the first line
    is echoed by the text, so it stays the title."""
    docs, _ = read(FIXTURES / "featured_alt_below_single.txt")
    assert [(d.title, d.date) for d in docs] == [("Sharpening a Card Scraper", date(2022, 4, 2))]
    assert "Steel Card on a Bench Hook" in text(docs[0])


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.txt")))
def test_every_removed_line_names_its_rule(name):
    """--explain and the manifest: each removed line carries the rule that removed it."""
    _, problems = read(FIXTURES / name)
    for p in problems:
        if p.code == "text-chrome-removed":
            assert p.line and re.match(r"^[a-z-]+: ", p.message), p.message


# ------------------------------------------------------------------------------------------
# The vocabulary: generic, or attested by two themes


def test_vocabulary_rules_say_where_they_come_from(corpus):
    """No rule that only one theme needs: a ``themes`` phrase must occur in at least two
    themes of the text theme matrix (the others are WordPress's or a browser's own text)."""
    base = corpus / "text-themes"
    rules = RULES + SITE_RULES
    assert {r.origin for r in rules} <= {"wordpress", "browser", "themes"}
    seen: dict[str, set[str]] = {r.rx.pattern: set() for r in rules if r.origin == "themes"}
    for txt in base.rglob("*.txt"):
        theme = txt.relative_to(base).parts[0]
        for line in load(txt, []) or []:
            for r in rules:
                if r.origin == "themes" and r.rx.match(line.norm):
                    seen[r.rx.pattern].add(theme)
    assert {p: len(t) for p, t in seen.items() if len(t) < 2} == {}


# ------------------------------------------------------------------------------------------
# The text theme matrix (a sample; benchmarks/extraction_text.py runs all of it)

SAMPLE = ["home", "category", "comments"]


@pytest.mark.parametrize("theme", ["astra", "colormag", "oceanwp", "twentynineteen", "twentytwentythree"])
def test_theme_matrix_sample(corpus, theme):
    base = corpus / "text-themes" / theme
    if not base.is_dir():
        pytest.skip("no text-themes")
    for page in SAMPLE:
        truth = json.loads((base / f"{page}.truth.json").read_text(encoding="utf-8"))
        want = [(p["title_shown"], p["day"]) for p in truth["posts"]]
        for tool in ("w3m", "chrome"):
            docs, _ = read(base / f"{page}.{tool}.txt")
            got = [(d.title, d.date.isoformat()[:10] if d.date else None) for d in docs]
            shown = [p.get("date_shown_chrome" if tool == "chrome" else "date_shown") for p in truth["posts"]]
            assert [t for t, _ in got] == [t for t, _ in want], f"{theme}/{page}.{tool}"
            assert [g[1] for g, s in zip(got, shown) if s] == [w[1] for w, s in zip(want, shown) if s]
            assert all(not c.date or c.author for d in docs for c in d.comments)


# ------------------------------------------------------------------------------------------
# Building blocks: the date grammar and metadata lines


@pytest.mark.parametrize(
    "text, values",
    [
        ("Posted byadminDecember 1, 2026Posted in", [date(2026, 12, 1)]),
        ("Posted on March 15, 2012March 15, 2012 by Ida", [date(2012, 3, 15), date(2012, 3, 15)]),
        ("Posted on January 7, 2012 at 7:07 am.", [datetime(2012, 1, 7, 7, 7)]),
        ("Published January 3, 2012By Theme Buster", [date(2012, 1, 3)]),
        ("Remember 1, 2020", []),
        ("Version 2015.05.26.1", []),
    ],
)
def test_find_dates_in_glued_text(text, values):
    from migrator.sources.text.dates import find_dates

    assert [d.value for d in find_dates(text)] == values
    assert all(type(d.value) is (datetime if d.has_time else date) for d in find_dates(text))


@pytest.mark.parametrize(
    "line, fields",
    [
        (
            "Posted byTheme BusterJanuary 7, 2012Posted inClassic, UncategorizedTags: sticky, template",
            (date(2012, 1, 7), "Theme Buster", ["Classic", "Uncategorized"], ["sticky", "template"], None),
        ),
        (
            "[98afc]Author adminPosted on July 4, 2024Categories UncategorizedTags offsets, realwpLeave a comment on X",
            (date(2024, 7, 4), "admin", ["Uncategorized"], ["offsets", "realwp"], None),
        ),
        ("Leave a Comment / Theme / By admin", (None, "admin", ["Theme"], [], None)),
        ("admin December 1, 2026 1", (date(2026, 12, 1), "admin", [], [], 1)),
        ("Post category:Classic/Uncategorized", (None, "", ["Classic", "Uncategorized"], [], None)),
        ("Posted in Theme2 Comments", (None, "", ["Theme"], [], 2)),
        ("Categorized as Theme Tagged Border", (None, "", ["Theme"], ["Border"], None)),
    ],
)
def test_meta_lines_glued_or_labelled(line, fields):
    from migrator.sources.text.meta import parse_meta

    m = parse_meta(line)
    assert m is not None and (m.date, m.author, m.cats, m.tags, m.comments) == fields


@pytest.mark.parametrize(
    "line",
    [
        "Author Biography",
        "Tags Blocks",
        "Hello world!",
        "The meeting on May 3, 2015 was long.",
        "In 2015 we moved.",
        "By the way, this is prose",
    ],
)
def test_not_meta_lines(line):
    from migrator.sources.text.meta import parse_meta

    assert parse_meta(line) is None


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.txt")))
def test_kept_lines_are_not_reported_removed(name):
    """A line is either text of a post (or its title) or reported removed, never both; a line
    that loses glued alt text is both, once each."""
    docs, problems = read(FIXTURES / name)
    body = "\n".join(text(d) for d in docs)
    for p in problems:
        if p.code == "text-chrome-removed" and not p.message.startswith("image-residue"):
            shown = p.message.split(": ", 1)[1].strip("'\"")
            shown = re.sub(r"^(?:[•◦▪*+-]|\d{1,3}[.)])\s+", "", shown)
            assert shown not in body.split("\n"), f"{name}:{p.line} kept and reported: {p.message}"
