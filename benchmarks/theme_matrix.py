"""The theme matrix (``corpus/themes``): migrator's HTML reader on the same posts in nine themes.

Used by ``benchmarks/extraction.py`` (see there for the command).  Each page is converted
in-process exactly as ``migrator convert PAGE --from html`` would, then scored with the corpus's
own ``score.py`` (document matching, body word F1 against the truth text, title/terms
comparison), plus what ``score.py`` leaves open:

* **shown** -- a date counts where the page shows it: to the minute with its offset where the
  post's markup (or the page head) carries a machine-readable ``datetime`` equal to the truth,
  to the day where the post only shows the day as text; an author where the post shows the
  name.  Posts whose page shows neither are left out of that rate;
* **merged** -- a document holding most of the text of two posts or more;
* **leave one theme out** -- each theme read with every vocabulary name that only this theme
  supports switched off (``migrator.sources.html.vocabulary.hold_out``).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from migrator import pipeline  # noqa: E402
from migrator.options import Options  # noqa: E402


def load_scorer(themes: Path):
    """The corpus's ``score.py`` as a module (its scoring, not a copy of it)."""
    spec = importlib.util.spec_from_file_location("themes_score", themes / "score.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(themes / "tools"))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(themes / "tools"))
    return module


# ----------------------------------------------------------------------------- what a page shows

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _day_forms(day: dt.date) -> list[str]:
    m, d, y = _MONTHS[day.month - 1], day.day, day.year
    return [
        f"{m} {d}, {y}",
        f"{d} {m} {y}",
        f"{m[:3]} {d}, {y}",
        f"{day.isoformat()}",
        f"{day:%m/%d/%Y}",
        f"{day:%d/%m/%Y}",
        f"{day:%d.%m.%Y}",
        f"{m} {d}",
        f"{d}. {m} {y}",
    ]


def _regions(root, post_id: int, single: bool) -> list:
    marked = root.xpath(
        f"//*[contains(concat(' ', normalize-space(@class), ' '), ' post-{post_id} ') or @id='post-{post_id}']"
    )
    marked = [el for el in marked if not any(a in marked for a in el.iterancestors())]
    if marked and not single:
        return marked
    body = root.find(".//body")
    region = lxml_html.fromstring(lxml_html.tostring(body))
    for el in region.xpath(
        "//aside|//nav|//footer[not(ancestor::article)]|//*[@id='comments']|//*[@id='respond']"
        "|//*[contains(@class,'comment-list')]|//*[contains(concat(' ',@class,' '),' widget ')]"
        "|//script|//style"
    ):
        el.drop_tree()
    return [region]


def _text(el) -> str:
    return " ".join(el.text_content().split())


def term_links(root, truth_post: dict, single: bool) -> set[str]:
    """Texts of the term archive links in the post's region of the page."""
    out = set()
    for region in _regions(root, truth_post["id"], single):
        for a in region.iter("a"):
            href = a.get("href") or ""
            if "/category/" in href or "/tag/" in href:
                out.add(" ".join(a.text_content().split()))
    return out


def shown(root, truth_post: dict, single: bool) -> tuple[str, bool]:
    """("machine" | "day" | "none", author shown) for one post of the page."""
    regions = _regions(root, truth_post["id"], single)
    want = dt.datetime.fromisoformat(truth_post["date"])
    date_mode = "none"
    values = [v for r in regions for v in r.xpath(".//@datetime|.//*[@itemprop='datePublished']/@content")]
    if single:
        values += root.xpath("//meta[@property='article:published_time']/@content")
    for v in values:
        try:
            got = dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
        except ValueError:
            continue
        if got.tzinfo is not None and got == want and got.utcoffset() == want.utcoffset():
            date_mode = "machine"
            break
    text = " ".join(_text(r) for r in regions)
    if date_mode == "none" and any(f in text for f in _day_forms(want.date())):
        date_mode = "day"
    return date_mode, bool(truth_post.get("author")) and truth_post["author"] in text


# ----------------------------------------------------------------------------- scoring


@dataclass
class PageScore:
    theme: str
    page: str
    kind: str
    posts: int
    docs: int
    found: int
    f1: list[float] = field(default_factory=list)
    traf_f1: float | None = None
    title: list[bool] = field(default_factory=list)
    date: list[bool] = field(default_factory=list)  # where the page shows the date
    author: list[bool] = field(default_factory=list)  # where the page shows the author
    categories: list[bool] = field(default_factory=list)  # where the page names every category
    tags: list[bool] = field(default_factory=list)  # where the page names every tag
    term_names: list[bool] = field(default_factory=list)  # no term the page names is written as a slug
    merged: int = 0
    misses: list[str] = field(default_factory=list)


def _words(text: str) -> Counter:
    return Counter(re.findall(r"\w+", (text or "").lower()))


def _recall(doc_words: Counter, post_words: Counter) -> float:
    total = sum(post_words.values())
    return sum((doc_words & post_words).values()) / total if total else 0.0


def score_page(scorer, html_path: Path, truth: dict, outdir: Path, with_trafilatura: bool) -> PageScore:
    docs = scorer.load_docs(str(outdir)) or []
    root = lxml_html.document_fromstring(html_path.read_bytes())
    single = truth["kind"] == "single"
    r = PageScore(html_path.parent.name, html_path.stem, truth["kind"], len(truth["posts"]), len(docs), 0)
    used: set[int] = set()
    for post in truth["posts"]:
        i = scorer.match(post, docs, used)
        if i is None:
            r.misses.append(f"post {post['id']} not found")
            continue
        used.add(i)
        r.found += 1
        d = docs[i]
        fm = d["fm"]
        title = scorer.norm(fm.get("title") if fm.get("title") is not None else d["man"].get("title"))
        r.title.append(title == scorer.norm(post["title"]))
        if not r.title[-1]:
            r.misses.append(f"post {post['id']} title {title!r} != {post['title']!r}")
        date_mode, author_shown = shown(root, post, single)
        got = fm.get("date") or d["man"].get("date")
        if date_mode == "machine":
            r.date.append(scorer.same_date(got, post["date"]))
        elif date_mode == "day":
            r.date.append(str(got or "")[:10] == post["date"][:10])
        if date_mode != "none" and not r.date[-1]:
            r.misses.append(f"post {post['id']} date {got!r} != {post['date']} ({date_mode})")
        if author_shown:
            r.author.append(scorer.author_of(fm) == scorer.norm(post["author"]))
            if not r.author[-1]:
                r.misses.append(f"post {post['id']} author {scorer.author_of(fm)!r} != {post['author']!r}")
        cats, tags = sorted(scorer.as_list(fm.get("categories"))), sorted(scorer.as_list(fm.get("tags")))
        links = term_links(root, post, single)
        for got_terms, want_terms, rates in ((cats, post["categories"], r.categories), (tags, post["tags"], r.tags)):
            want_terms = sorted(scorer.norm(t) for t in want_terms)
            if all(t in links for t in want_terms):  # the page names every one of them
                rates.append(got_terms == want_terms)
                if not rates[-1]:
                    r.misses.append(f"post {post['id']} terms {got_terms} != {want_terms}")
        names = {scorer.norm(n) for n in post["categories"] + post["tags"]}
        shown_terms = [t for t in cats + tags if t in links or t in names]
        r.term_names.append(all(n in names for n in shown_terms))
        if not post.get("excerpt_only"):
            f = scorer.word_f1(d["text"], post["text"])
            r.f1.append(f)
            if f < 0.98:
                r.misses.append(f"post {post['id']} body F1 {f:.3f}")
    if single and r.found == 0:
        r.f1.append(0.0)
    # merged: a document that holds most of what another post shows, besides its own post
    shown_words = [
        _words(p.get("text") if not p.get("excerpt_only") else p.get("excerpt_text", "")) for p in truth["posts"]
    ]
    for d in docs:
        dw = _words(d["text"])
        if not dw:
            continue
        own = max(range(len(shown_words)), key=lambda k: _recall(dw, shown_words[k]) + _recall(shown_words[k], dw))
        for k, pw in enumerate(shown_words):
            if k != own and sum(pw.values()) >= 30 and _recall(dw, pw) >= 0.6 and _recall(shown_words[own], pw) < 0.6:
                r.merged += 1
                r.misses.append(f"a document holds post {truth['posts'][own]['id']} and {truth['posts'][k]['id']}")
                break
    if with_trafilatura and single:
        r.traf_f1 = scorer.traf_f1(html_path.read_text(encoding="utf-8", errors="replace"), truth)
    return r


def run(themes: Path, with_trafilatura: bool = True, only: str = "", work: Path | None = None) -> list[PageScore]:
    """Convert and score every page of the matrix (``only``: themes whose name contains it)."""
    scorer = load_scorer(themes)
    rows: list[PageScore] = []
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        for truth_path in sorted(themes.glob("*/*.truth.json")):
            theme = truth_path.parent.name
            if only and only not in theme:
                continue
            page = truth_path.with_name(truth_path.name[: -len(".truth.json")] + ".html")
            outdir = Path(tmp) / theme / page.stem
            pipeline.convert([str(page)], str(outdir), Options(source_format="html", force=True, quiet=True, jobs=1))
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            rows.append(score_page(scorer, page, truth, outdir, with_trafilatura))
    return rows


def leave_one_out(themes: Path, corpus: Path, with_trafilatura: bool = False) -> list[PageScore]:
    """Each theme read with the vocabulary names only it supports switched off."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import vocabulary_support  # noqa: PLC0415 - benchmark helper beside this file

    from migrator.sources.html import vocabulary

    rows: list[PageScore] = []
    for theme_dir in sorted(p for p in themes.iterdir() if p.is_dir() and (p / "home.truth.json").is_file()):
        held = f"theme:{theme_dir.name}"
        with vocabulary.hold_out(lambda lit: vocabulary_support.supported(lit, corpus, without=held)):
            rows += run(themes, with_trafilatura, only=theme_dir.name)
    return rows


# ----------------------------------------------------------------------------- report


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def _rate(values: list[bool]) -> str:
    return f"{sum(values) / len(values):.3f}" if values else "-"


def summary_rows(rows: list[PageScore]) -> list[dict]:
    themes = sorted({r.theme for r in rows})
    out = []
    for name in themes + ["ALL"]:
        rs = [r for r in rows if name in ("ALL", r.theme)]
        single = [r for r in rs if r.kind == "single"]
        listing = [r for r in rs if r.kind != "single"]
        f1 = [f for r in single for f in r.f1]
        traf = [r.traf_f1 for r in single if r.traf_f1 is not None]
        out.append(
            {
                "theme": name,
                "f1": _mean(f1),
                "f1_min": min(f1) if f1 else float("nan"),
                "traf_f1": _mean(traf),
                "title": [t for r in rs for t in r.title],
                "date": [t for r in rs for t in r.date],
                "author": [t for r in rs for t in r.author],
                "categories": [t for r in rs for t in r.categories],
                "tags": [t for r in rs for t in r.tags],
                "term_names": [t for r in rs for t in r.term_names],
                "found": sum(r.found for r in listing),
                "shown": sum(r.posts for r in listing),
                "docs": sum(r.docs for r in listing),
                "merged": sum(r.merged for r in rs),
                "listing_f1": _mean([f for r in listing for f in r.f1]),
            }
        )
    return out


def render(rows: list[PageScore], title: str) -> str:
    lines = [
        f"### {title}",
        "",
        "| theme | body F1 (single) | lowest page | trafilatura F1 | title | date | author | categories | tags "
        "| terms as names | listings: found / shown | listing docs | merged | listing F1 (whole posts) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in summary_rows(rows):
        bold = (lambda v: f"**{v}**") if s["theme"] == "ALL" else (lambda v: v)
        cells = [
            f"{s['f1']:.3f}",
            f"{s['f1_min']:.3f}",
            f"{s['traf_f1']:.3f}" if s["traf_f1"] == s["traf_f1"] else "-",
            _rate(s["title"]),
            _rate(s["date"]),
            _rate(s["author"]),
            _rate(s["categories"]),
            _rate(s["tags"]),
            _rate(s["term_names"]),
            f"{s['found']} / {s['shown']}",
            str(s["docs"]),
            str(s["merged"]),
            f"{s['listing_f1']:.3f}",
        ]
        lines.append(f"| {bold(s['theme'])} | " + " | ".join(bold(c) for c in cells) + " |")
    return "\n".join(lines)


def misses(rows: list[PageScore]) -> str:
    out = []
    for r in rows:
        for m in r.misses:
            out.append(f"{r.theme}/{r.page}: {m}")
    return "\n".join(out)
