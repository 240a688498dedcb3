"""The plain-text scrape reader: posts, chrome, structure, residue, on the seed and own fixtures."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from migrator.model import Document, Problem, Site
from migrator.sources.text import (
    is_residue as _is_residue,
    split_glued as _split_glued,
    parse_date_line,
    read_text,
    sanitize_title,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "text"
SEED = "seed/000_8774593daedced97.txt"

SEED_POSTS = [
    ("Small and increasingly influential – local Healthwatch", date(2015, 5, 26)),
    ("Between a rock and a hard place – Turning Asset Based Approaches Inside Out", date(2015, 5, 6)),
    ("Asset Based Working – Its not just the community bit around the edges", date(2015, 4, 27)),
    ("Not the way to fund a care pathway – the role of the voluntary sector", date(2015, 4, 7)),
    ("The Voluntary Sector makes little contribution to wellbeing", date(2015, 3, 11)),
    ("Strengthening Local Voice – The real Health Inequality Challenge?", date(2015, 2, 24)),
    ("Fair Access to Social Welfare – Technical fix or a change in attitude?", date(2015, 2, 10)),
]
# Read off the seed by a person: page chrome, and image alt-text residue (file-name-like lines).
SEED_CHROME = {"Skip to content", "Get every new post delivered to your Inbox.", "Join 2,328 other followers"}
SEED_RESIDUE = {
    "Blog LHW",
    "LHW Table.001",
    "blog assets 2",
    "blog vcs pathway",
    "vcs data blog",
    "citizen voice blog 3",
    "blog citizens advice",
    "Real Life Reform Report 5",
}
SEED_GLUED = {"Introductory Noteblog assets 3": ("Introductory Note", "blog assets 3")}
BULLET_RE = re.compile(r"^\s*(?:[•◦▪*+-]|\d{1,3}[.)])\s+")


def norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def read(path: Path) -> tuple[list[Document], list[Problem]]:
    problems: list[Problem] = []
    return list(read_text(path, Site(), problems)), problems


def blocks(doc: Document) -> list[tuple[str, str]]:
    """(tag, normalised own text) of every text block of the content."""
    soup = BeautifulSoup(doc.content, "html.parser")
    out = []
    for el in soup.find_all(["p", "li", "h2", "cite"]):
        if el.name == "li":
            text = "".join(t for t in el.find_all(string=True, recursive=False))
        else:
            text = el.get_text()
        out.append((el.name, norm(text)))
    return out


def squash(text: str) -> str:
    """Text without white space or dashes: an attribution's leading dash is markup, not words."""
    return re.sub(r"[\s\u00a0–—-]+", "", text)


def texts(doc: Document) -> set[str]:
    return {t for _, t in blocks(doc)}


def all_text(doc: Document) -> str:
    return doc.title + "\n" + BeautifulSoup(doc.content, "html.parser").get_text("\n")


def well_formed(doc: Document) -> None:
    etree.fromstring(f"<div>{doc.content}</div>".encode())  # raises on bad escaping or nesting


# ------------------------------------------------------------------------------------------
# The seed scrape


@pytest.fixture
def seed(corpus: Path) -> tuple[Path, list[Document], list[Problem]]:
    path = corpus / SEED
    docs, problems = read(path)
    return path, docs, problems


def seed_sections(path: Path) -> list[list[tuple[int, str]]]:
    """The seed's lines grouped by post, found from the expected titles (not from the reader)."""
    titles = [t for t, _ in SEED_POSTS]
    sections: list[list[tuple[int, str]]] = []
    for no, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if norm(raw) in titles:
            sections.append([])
        elif sections and norm(raw):
            sections[-1].append((no, raw))
    return sections


def test_seed_posts_titles_and_dates(seed):
    path, docs, _ = seed
    assert [(d.title, d.date) for d in docs] == SEED_POSTS
    for d in docs:
        assert d.type == "post" and d.status == "publish" and d.content_kind == "rendered"
        assert d.source == str(path)
        assert "\u00a0" not in d.title
        assert type(d.date) is date  # the page shows the day only: no made-up midnight
    lines = path.read_text(encoding="utf-8").splitlines()
    for d in docs:
        assert norm(lines[d.line - 1]) == d.title


def test_seed_ids_and_slugs(seed, corpus):
    _, docs, _ = seed
    again, _ = read(corpus / SEED)
    assert [d.id for d in docs] == [d.id for d in again]
    assert len({d.id for d in docs}) == 7 and all(re.fullmatch(r"text-[0-9a-f]{12}", d.id) for d in docs)
    assert docs[0].slug == "small-and-increasingly-influential-local-healthwatch"
    assert docs[6].slug == "fair-access-to-social-welfare-technical-fix-or-a-change-in-attitude"


def test_seed_has_no_chrome(seed):
    _, docs, _ = seed
    for d in docs:
        text = all_text(d)
        for chrome in ("Skip to content", "Get every new post delivered to your Inbox", "other followers"):
            assert chrome not in text
        well_formed(d)


def test_seed_every_body_line_in_exactly_its_document(seed):
    path, docs, _ = seed
    sections = seed_sections(path)
    assert len(sections) == 7
    own = [{norm(BULLET_RE.sub("", raw)) for _, raw in s} for s in sections]
    checked = 0
    for k, section in enumerate(sections):
        for no, raw in section[1:]:  # section[0] is the date line
            line = norm(raw)
            if line in SEED_CHROME or line in SEED_RESIDUE or line in SEED_GLUED:
                continue
            line = norm(BULLET_RE.sub("", raw))
            assert line in texts(docs[k]), f"line {no} missing from post {k}: {line!r}"
            for j, other in enumerate(docs):
                if j != k and line not in own[j]:
                    assert line not in all_text(other), f"line {no} leaked into post {j}"
            checked += 1
    assert checked > 150


def test_seed_bullets_are_list_items(seed):
    path, docs, _ = seed
    sections = seed_sections(path)
    bullets = 0
    for k, section in enumerate(sections):
        items = {t for tag, t in blocks(docs[k]) if tag == "li"}
        for _, raw in section:
            if BULLET_RE.match(raw):
                bullets += 1
                assert norm(BULLET_RE.sub("", raw)) in items
    assert bullets == 33  # 30 "•" bullets and 3 numbered items (grep)
    soup = BeautifulSoup(docs[4].content, "html.parser")
    assert [len(ol.find_all("li")) for ol in soup.find_all("ol")] == [3]  # "  1. Embracing openness ..."


def test_seed_residue_is_recorded_not_body(seed):
    path, docs, problems = seed
    alts = [[img["alt"] for img in d.extra.get("images", [])] for d in docs]
    assert alts[0] == ["Blog LHW", "LHW Table.001"]
    assert alts[1] == ["blog assets 3"]
    assert "Real Life Reform Report 5" in alts[4]
    everything = set().union(*(texts(d) for d in docs))
    assert not (SEED_RESIDUE & everything)
    residue_lines = {p.line for p in problems if p.message.startswith("image-residue")}
    assert {7, 23, 72, 130, 173, 224, 251, 289, 347} <= residue_lines


def test_seed_headings_and_quotes(seed):
    _, docs, _ = seed
    h2 = [[t for tag, t in blocks(d) if tag == "h2"] for d in docs]
    assert h2[0] == [
        "Focus and Impact",
        "Investigations and Reviews",
        "Local System Architecture",
        "Supporting continued development",
    ]
    assert h2[1] == ["Introductory Note"]
    assert "Data for Good" in h2[4] and "Real Life Reform" in h2[4]
    soup = BeautifulSoup(docs[0].content, "html.parser")
    quotes = soup.find_all("blockquote")
    assert len(quotes) == 3
    assert quotes[1].find("cite").get_text() == "Hospital Quality Account lead"
    assert quotes[1].p.get_text().startswith("“Sharing quality accounts")
    cites = [c.get_text() for c in BeautifulSoup(docs[1].content, "html.parser").select("blockquote cite")]
    assert cites == ["(‘Head, hands and heart’ p.23)"]
    # a paragraph closing with a colon stays a paragraph; the last line is never a heading
    assert ("p", "What do you think?") == blocks(docs[0])[-1]


def test_seed_removed_lines_are_reported(seed):
    path, docs, problems = seed
    removed = [p for p in problems if p.code == "text-chrome-removed"]
    assert all(p.severity == "info" and p.source == str(path) for p in removed)
    first = next(p for p in removed if p.line == 1)
    assert first.id is None and first.message == "skip-link: 'Skip to content'"
    last = next(p for p in removed if p.line == 401)
    assert last.id == docs[-1].id and "Join 2,328 other followers" in last.message


# ------------------------------------------------------------------------------------------
# Own fixtures: three other chrome styles


def test_single_post_twenty_style():
    docs, problems = read(FIXTURES / "single_post.txt")
    assert len(docs) == 1  # the comment thread ("Tom Baker / 15 September 2014 ...") is no post
    d = docs[0]
    assert d.title == "Compost, Patience & the Spring Bed"
    assert d.date == date(2014, 9, 14)
    assert d.author == "Jane Doe"
    assert d.slug == "compost-patience-the-spring-bed"
    assert [(t.taxonomy, t.slug, t.name) for t in d.terms] == [
        ("category", "gardening", "Gardening"),
        ("category", "soil-compost", "Soil & Compost"),
        ("post_tag", "compost", "compost"),
        ("post_tag", "raised-beds", "raised beds"),
        ("post_tag", "spring", "spring"),
    ]
    soup = BeautifulSoup(d.content, "html.parser")
    assert [h.get_text() for h in soup.find_all("h2")] == ["Why compost first", "The order of work"]
    assert [li.get_text() for li in soup.ul.find_all("li")] == [
        "two barrows of well-rotted manure",
        "leaf mould from last autumn",
        "a bag of grit for drainage",
    ]
    assert len(soup.ol.find_all("li")) == 3
    assert soup.blockquote.cite.get_text() == "Old proverb"
    assert "&lt; 30 &amp; cover" in d.content
    well_formed(d)
    assert d.extra["images"] == [{"alt": "IMG_2043.jpg"}]  # alt text only: the line is in the manifest
    assert any(p.line == 19 and p.message == "image-residue: 'IMG_2043.jpg'" for p in problems)
    text = all_text(d)
    for chrome in (
        "Allotment Notes",
        "Skip to content",
        "Leave a comment",
        "Share this",
        "Facebook",
        "Posted in",
        "Post navigation",
        "Great write-up",
        "Recent Posts",
        "Archives",
        "Proudly powered",
        "Search",
        "Like Loading",
    ):
        assert chrome not in text


def test_kubrick_index():
    docs, _ = read(FIXTURES / "kubrick_index.txt")
    assert [(d.title, d.date, d.author) for d in docs] == [
        ("Walking the Ridgeway in Three Days", date(2008, 3, 3), ""),
        ("A Short Note on Maps", date(2008, 2, 27), ""),
        ("Winter Birds at the Reservoir", date(2008, 2, 12), ""),
    ]
    assert [d.categories for d in docs] == [["Walks"], ["Gear", "Walks"], ["Birds"]]
    assert [d.tags for d in docs] == [["hiking", "ridgeway"], [], []]
    soup = BeautifulSoup(docs[0].content, "html.parser")
    assert [li.get_text() for li in soup.find_all("li")] == [
        "pack light",
        "carry two litres of water",
        "book the hostel in advance",
    ]
    assert soup.blockquote.p.get_text() == "“Walk while you can still hear the skylarks.”"
    assert soup.blockquote.cite.get_text() == "Margaret Hill, Ridgeway Diaries"
    assert texts(docs[1]) == {
        "Ordnance Survey Explorer maps at 1:25 000 remain the best companion for any walk in England."
    }
    assert docs[2].extra["images"][0]["alt"] == "DSC01234"
    assert "DSC01234" not in docs[2].content
    for d in docs:
        text = all_text(d)
        for chrome in (
            "Pebble Notes",
            "Posted in",
            "Comments",
            "Tags:",
            "Older Entries",
            "Archives",
            "Blogroll",
            "XFN",
            "Read the rest",
            "proudly powered",
            "Edit",
        ):
            assert chrome not in text


def test_magazine_index():
    docs, _ = read(FIXTURES / "magazine_index.txt")
    assert [(d.title, d.date, d.author) for d in docs] == [
        ("The Budget Phone That Lasts All Week", date(2019, 5, 26), "Sam Writer"),
        ("The Tablet Nobody Needed", date(2019, 5, 14), "Alex Penn"),
    ]  # the related-post pairs ("Five Chargers Compared / 12/05/2019") are not posts
    assert docs[0].categories == ["Reviews", "Phones"] and docs[0].tags == ["android", "battery"]
    assert docs[1].categories == ["Reviews"] and docs[1].tags == []
    soup = BeautifulSoup(docs[0].content, "html.parser")
    assert [h.get_text() for h in soup.find_all("h2")] == ["Getting Started", "What we liked", "What we did not"]
    outer = soup.ul.find_all("li", recursive=False)
    assert len(outer) == 3 and outer[1].ul.li.get_text() == "readable in direct sunlight"
    assert [li.get_text() for li in soup.ol.find_all("li")] == ["slow camera app", "only 32 GB of storage"]
    assert docs[0].extra["images"][0]["alt"] == "IMG_4471.JPG"
    assert docs[1].extra["images"][0]["alt"] == "Screen Shot 2019-05-14 at 10.15.32"
    assert "recommend it &amp; failed" in docs[1].content
    for d in docs:
        well_formed(d)
        text = all_text(d)
        for chrome in (
            "Gadget Gazette",
            "Share on",
            "Tweet",
            "Related posts",
            "Five Chargers",
            "Older posts",
            "Popular Posts",
            "About Us",
            "©",
            "Advertisements",
            "Filed under",
            "Home »",
            "Sunday",
        ):
            assert chrome not in text


def test_undated_single_post_uses_kubrick_footer():
    docs, problems = read(FIXTURES / "kubrick_single_undated.txt")
    assert len(docs) == 1
    d = docs[0]
    assert d.title == "A Quiet Week on the Canal"
    assert d.date == datetime(2008, 6, 9, 16, 20)
    assert d.categories == ["Walks", "Waterways"]
    assert "This entry was posted" not in d.content and "Leave a Reply" not in d.content
    assert any(p.code == "text-no-date" for p in problems)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.txt")))
def test_no_line_dropped_silently(name):
    assert_accounted(FIXTURES / name)


def test_seed_no_line_dropped_silently(corpus):
    assert_accounted(corpus / SEED)


def assert_accounted(path: Path) -> None:
    """Every non-blank line is a title, a date line, body text, an image record or a problem."""
    name = path.name
    docs, problems = read(path)
    reported = {p.line for p in problems}
    titles = {d.line for d in docs}
    body = squash("\n".join(all_text(d) for d in docs))
    for no, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = norm(raw)
        if not line or no in reported | titles or parse_date_line(line):
            continue
        assert squash(BULLET_RE.sub("", raw)) in body, f"{name}:{no} {line!r} vanished"


# ------------------------------------------------------------------------------------------
# Building blocks


@pytest.mark.parametrize(
    "line, date, author",
    [
        ("May 26, 2015", date(2015, 5, 26), ""),
        ("26 May 2015", date(2015, 5, 26), ""),
        ("2015-05-26", date(2015, 5, 26), ""),
        ("26/05/2015", date(2015, 5, 26), ""),
        ("Posted on 14 September 2014 by Jane Doe", date(2014, 9, 14), "Jane Doe"),
        ("on March 3, 2014", date(2014, 3, 3), ""),
        ("March 3, 2014 by Name", date(2014, 3, 3), "Name"),
        ("Tuesday, May 26th, 2015", date(2015, 5, 26), ""),
        ("Sept. 14, 2014 at 10:15 pm", datetime(2014, 9, 14, 22, 15), ""),
        ("Posted by admin on 3 Mar 2014", date(2014, 3, 3), "admin"),
        ("By Sam Writer | 26/05/2019 | 3 Comments", date(2019, 5, 26), "Sam Writer"),
        ("March 3, 2014 / Jo Bloggs / Leave a comment", date(2014, 3, 3), "Jo Bloggs"),
        ("Published: 2014/03/03", date(2014, 3, 3), ""),
        ("3rd of March, 2014", date(2014, 3, 3), ""),
    ],
)
def test_date_line_formats(line, date, author):
    parsed = parse_date_line(line)
    assert parsed is not None and (parsed.date, parsed.author) == (date, author)


@pytest.mark.parametrize(
    "line",
    [
        "May 2015",
        "The meeting on May 3, 2015 was long.",
        "In 2015 we moved.",
        "31/02/2015",
        "May 3, 2015 – the day everything changed for the better in our town",
        "Version 2015.05.26.1 released",
    ],
)
def test_not_date_lines(line):
    assert parse_date_line(line) is None


def test_ambiguous_numeric_dates_follow_the_file():
    assert parse_date_line("03/04/2015").date == date(2015, 4, 3)
    assert parse_date_line("03/04/2015", order="mdy").date == date(2015, 3, 4)


@pytest.mark.parametrize(
    "line",
    [
        "Blog LHW",
        "LHW Table.001",
        "blog assets 2",
        "IMG_2043.jpg",
        "DSC01234",
        "header-photo-2",
        "team_photo_final",
        "Screen Shot 2019-05-14 at 10.15.32",
        "Featured Image",
        "Figure 2",
    ],
)
def test_residue_lines(line):
    assert _is_residue(line)


@pytest.mark.parametrize(
    "line",
    [
        "Focus and Impact",
        "Data for Good",
        "Table of Contents",
        "Version 2.0",
        "Python 3.10 is out",
        "Real Life Reform",
        "Public Health England and NHS England",
        "(‘Head, hands and heart’ p.23)",
        "What do you think?",
        "Stage 1 of 4.",
        "The WordPress blog is dead, long live the blog.",
    ],
)
def test_not_residue_lines(line):
    assert not _is_residue(line)


def test_glued_residue_split():
    vocab = {"blog", "assets"}
    assert _split_glued("Introductory Noteblog assets 3", vocab) == ("Introductory Note", "blog assets 3")
    assert _split_glued("Getting StartedIMG_4471.JPG", set()) == ("Getting Started", "IMG_4471.JPG")
    for line in ("Topic Ideas", "WordPress Tips", "Our weblog in 2015", "LinkedIn and YouTube", "McDonald farm"):
        assert _split_glued(line, vocab | {"pic", "data"}) is None


@pytest.mark.parametrize(
    "title, slug",
    [
        (
            "Small and increasingly influential – local\u00a0Healthwatch",
            "small-and-increasingly-influential-local-healthwatch",
        ),
        ("It’s a “Test”: Café & Crème", "its-a-test-cafe-creme"),
        ("Version 2.0 / notes", "version-2-0-notes"),
    ],
)
def test_sanitize_title(title, slug):
    assert sanitize_title(title) == slug


def test_unreadable_and_empty_inputs(tmp_path):
    docs, problems = read(tmp_path / "missing.txt")
    assert docs == [] and [p.code for p in problems] == ["text-unreadable"]
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    docs, problems = read(empty)
    assert docs == [] and [p.code for p in problems] == ["text-no-post"]


def test_single_post_without_chrome_and_crlf(tmp_path):
    path = tmp_path / "post.txt"
    path.write_bytes("A Title\r\n\r\nJanuary 5, 2020\r\n\r\nFirst paragraph of the post is here.\r\n".encode())
    docs, problems = read(path)
    assert [(d.title, d.date, texts(d)) for d in docs] == [
        ("A Title", date(2020, 1, 5), {"First paragraph of the post is here."})
    ]
    assert problems == []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=40),
            st.sampled_from(
                [
                    "May 26, 2015",
                    "Share this:",
                    "• item",
                    "1. one",
                    "“quote”",
                    "– Name",
                    "Archives",
                    "Posted in A | Tagged b",
                    "blog assets 2",
                    "Some Title",
                    "",
                    "Leave a Reply",
                ]
            ),
        ),
        max_size=30,
    )
)
def test_never_raises(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("h") / "x.txt"
    path.write_text("\n".join(lines), encoding="utf-8", errors="replace")
    docs, problems = read(path)
    assert all(p.code != "text-reader-failed" for p in problems)
    for d in docs:
        well_formed(d)


def test_prose_that_looks_like_chrome_stays(tmp_path):
    path = tmp_path / "post.txt"
    path.write_text(
        "Notes on Licensing\n2 February 2021 by Ann Lee\n"
        "Copyright law is older than most people think, and it shapes every blog.\n"
        "Related\n"
        "This section covers the related work that came before ours, at some length.\n"
        "Archives\n"
        "Our local archives hold letters from 1850 onwards, which we read last winter.\n"
        "Recent Posts\nAn Older Post\n1 January 2021\nAnother One\n12 December 2020\n"
        "Meta\nLog in\n",
        encoding="utf-8",
    )
    docs, problems = read(path)
    assert [(d.title, d.date, d.author) for d in docs] == [("Notes on Licensing", date(2021, 2, 2), "Ann Lee")]
    soup = BeautifulSoup(docs[0].content, "html.parser")
    assert [h.get_text() for h in soup.find_all("h2")] == ["Related", "Archives"]
    assert len(soup.find_all("p")) == 3
    assert "An Older Post" not in docs[0].content and "Log in" not in docs[0].content
    assert {p.line for p in problems if p.code == "text-chrome-removed"} == set(range(8, 15))


def test_categories_above_the_title(tmp_path):
    """Themes like Twenty Twenty print the categories above each post's title."""
    path = tmp_path / "index.txt"
    path.write_text(
        "Skip to the content\nField Recordings\n"
        "Categories: Audio, Field Notes\nDawn Chorus in the Car Park\nBy Robin Hart\n2 March 2020\n"
        "No Comments on Dawn Chorus in the Car Park\n"
        "I set the recorder on the roof of the car at five o’clock and walked away.\n"
        "Categories: Field Notes\nRain on the Tin Roof\nBy Robin Hart\n28 February 2020\n"
        "Eleven minutes of rain, recorded from under the shed roof, with one blackbird.\n"
        "Tags: rain, sheds\n",
        encoding="utf-8",
    )
    docs, _ = read(path)
    assert [(d.title, d.date, d.author, d.categories, d.tags) for d in docs] == [
        ("Dawn Chorus in the Car Park", date(2020, 3, 2), "Robin Hart", ["Audio", "Field Notes"], []),
        ("Rain on the Tin Roof", date(2020, 2, 28), "Robin Hart", ["Field Notes"], ["rain", "sheds"]),
    ]
    assert [len(texts(d)) for d in docs] == [1, 1]
    assert_accounted(path)


def test_multi_paragraph_quotation(tmp_path):
    path = tmp_path / "post.txt"
    path.write_text(
        "On Quoting\n1 May 2021\n"
        "“Due North” is the report everyone in the region has read at least once.\n"
        "The minister put it plainly in her speech last year:\n"
        "“We cannot go on like this, and nobody in this room thinks we can.\n"
        "The money follows the people, or it follows nothing at all.”\n"
        "– Jane Minister, speech to the council\n"
        "That was the end of the argument, for a while at least.\n",
        encoding="utf-8",
    )
    docs, _ = read(path)
    soup = BeautifulSoup(docs[0].content, "html.parser")
    quote = soup.blockquote
    assert [p.get_text() for p in quote.find_all("p")][:2] == [
        "“We cannot go on like this, and nobody in this room thinks we can.",
        "The money follows the people, or it follows nothing at all.”",
    ]
    assert quote.cite.get_text() == "Jane Minister, speech to the council"
    assert len(soup.find_all("blockquote")) == 1
    assert soup.p.get_text().startswith("“Due North” is the report")
