"""Extraction benchmark: migrator's HTML reader on the theme matrix and the scraped pages,
trafilatura side by side.  Writes docs/extraction.md (see DOC_HEAD below for what is measured).

Run from the repository root::

    python benchmarks/extraction.py [--corpus ../shared/corpus] [--docs docs/extraction.md]

* the theme matrix (``<corpus>/themes``, :mod:`theme_matrix`): per theme body F1, title, date,
  author and term exact-match rates, listings found / shown, merged posts; also with each theme
  held out (``--no-leave-one-out`` skips that);
* the scraped pages (``<corpus>/html``): full-gold bag-of-words precision, recall and F1, and
  snippet accuracy (with and without the must-not snippets that are image captions);
* the reader's mean CPU time per scraped page.

The extracted text is what each tool hands its user (migrator: the first document the page
yields -- on an index page its first post, as trafilatura's gold expects -- converted to
Markdown and rendered back to HTML with markdown-it-py, as visible text; trafilatura:
``extract(..., include_comments=False)``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "benchmarks"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from lxml import html as lxml_html  # noqa: E402

from migrator.model import Problem, Site  # noqa: E402
from markdown_it import MarkdownIt  # noqa: E402

from migrator.render.markdown import render_markdown  # noqa: E402
from migrator.sources.html import read_html  # noqa: E402
from migrator.transforms import Context, transform  # noqa: E402

BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "td",
    "th",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "section",
    "article",
    "header",
    "footer",
    "dt",
    "dd",
    "hr",
    "main",
    "aside",
    "nav",
    "caption",
    "tbody",
    "thead",
    "dl",
    "address",
}


# ----------------------------------------------------------------------------- scoring


def visible_text(html: str) -> str:
    """Text a reader sees in an HTML fragment: blocks on their own lines, no scripts."""
    if not html or not html.strip():
        return ""
    html = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", html)
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    for el in list(root.iter("script", "style", "noscript", "template")):
        el.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in BLOCK_TAGS:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    text = root.text_content()
    lines = [re.sub(r"[ \t\r\f\v\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def score_text(predicted: str, gold: str) -> tuple[float, float, float]:
    """Bag-of-words (multiset) precision, recall and F1 of ``predicted`` against ``gold``."""
    pred, ref = Counter(words(predicted)), Counter(words(gold))
    overlap = sum((pred & ref).values())
    p = overlap / sum(pred.values()) if pred else 0.0
    r = overlap / sum(ref.values()) if ref else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _norm(text: str) -> str:
    """Whitespace-normalised; case-sensitive, as trafilatura's own evaluation compares."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def snippet_hits(text: str, with_: list[str], without: list[str]) -> tuple[int, int]:
    """(satisfied, total): ``with`` snippets present and ``without`` snippets absent."""
    hay = _norm(text)
    ok = sum(1 for s in with_ if _norm(s) in hay) + sum(1 for s in without if _norm(s) not in hay)
    return ok, len(with_) + len(without)


CAPTIONS = (
    "//figcaption|//*[contains(concat(' ', normalize-space(@class), ' '), ' wp-caption-text ')]"
    "|//*[contains(concat(' ', normalize-space(@class), ' '), ' gallery-caption ')]"
)


def caption_snippets(page: Path, snippets: list[str]) -> list[str]:
    """The snippets that lie inside an image caption of the page (content for a migrator)."""
    root = lxml_html.document_fromstring(page.read_bytes())
    captions = [_norm(el.text_content()) for el in root.xpath(CAPTIONS)]
    return [s for s in snippets if any(_norm(s) in c for c in captions)]


# ----------------------------------------------------------------------------- corpus


@dataclass
class Case:
    name: str
    page: Path
    gold_text: str | None = None
    with_: list[str] | None = None
    without: list[str] | None = None


def load_cases(corpus: Path) -> list[Case]:
    cases: list[Case] = []
    base = corpus / "html"
    for gold in sorted(base.rglob("*.gold.json")):
        page = gold.with_name(gold.name[: -len(".gold.json")] + ".html")
        if not page.is_file():
            continue
        data = json.loads(gold.read_text(encoding="utf-8"))
        name = page.relative_to(base).as_posix()
        body = data.get("articleBody") or data.get("text")
        if body:
            cases.append(Case(name, page, gold_text=body))
        elif data.get("with") or data.get("without"):
            cases.append(Case(name, page, with_=list(data.get("with", [])), without=list(data.get("without", []))))
    for expected in sorted(base.rglob("expected.html")):
        page = expected.with_name("source.html")
        if page.is_file():
            name = page.relative_to(base).as_posix()
            cases.append(Case(name, page, gold_text=visible_text(expected.read_text(encoding="utf-8"))))
    return sorted(cases, key=lambda c: c.name)


def migrator_text(page: Path) -> str:
    """What a migrator user gets: the page's first document converted to Markdown, rendered
    back to HTML by markdown-it-py (CommonMark + tables), as visible text."""
    problems: list[Problem] = []
    docs = list(read_html(page, Site(), problems))
    if not docs:
        return ""
    markdown = render_markdown(transform(Context(doc=docs[0])))
    return visible_text(MarkdownIt("commonmark").enable("table").render(markdown))


def trafilatura_text(page: Path) -> str:
    import trafilatura

    return trafilatura.extract(page.read_bytes(), include_comments=False, include_tables=True) or ""


# ----------------------------------------------------------------------------- report


@dataclass
class Row:
    name: str
    kind: str  # "text" or "snippets"
    m: tuple[float, float, float] | tuple[int, int]
    t: tuple[float, float, float] | tuple[int, int]
    m_nocap: tuple[int, int] | None = None  # snippets without the must-not snippets inside captions
    t_nocap: tuple[int, int] | None = None


def run(corpus: Path, with_trafilatura: bool = True) -> list[Row]:
    rows: list[Row] = []
    for case in load_cases(corpus):
        mtext = migrator_text(case.page)
        ttext = trafilatura_text(case.page) if with_trafilatura else ""
        if case.gold_text is not None:
            rows.append(Row(case.name, "text", score_text(mtext, case.gold_text), score_text(ttext, case.gold_text)))
        else:
            kept = [s for s in case.without if s not in caption_snippets(case.page, case.without)]
            rows.append(
                Row(
                    case.name,
                    "snippets",
                    snippet_hits(mtext, case.with_, case.without),
                    snippet_hits(ttext, case.with_, case.without),
                    snippet_hits(mtext, case.with_, kept),
                    snippet_hits(ttext, case.with_, kept),
                )
            )
    return rows


def time_per_page(corpus: Path, repeat: int = 5) -> float:
    """Mean over the pages of ``corpus/html`` of the CPU time (best of ``repeat``) the HTML
    reader takes for one page, in milliseconds."""
    best = []
    for case in load_cases(corpus):
        runs = []
        for _ in range(repeat):
            start = time.process_time()
            list(read_html(case.page, Site(), []))
            runs.append(time.process_time() - start)
        best.append(min(runs))
    return 1000 * sum(best) / len(best) if best else float("nan")


def _short(name: str) -> str:
    name = re.sub(r"^(article-extraction-benchmark/)([0-9a-f]{16})[0-9a-f]+", r"aeb/\2", name)
    name = name.replace("trafilatura/tests/", "traf/").replace("readability/test-pages/", "readability/")
    return name.removesuffix(".html").removesuffix("/source")


def render_table(rows: list[Row]) -> str:
    out = [
        "### Full-text gold (bag-of-words)",
        "",
        "| page | migrator P | migrator R | migrator F1 | trafilatura P | trafilatura R | trafilatura F1 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    text_rows = [r for r in rows if r.kind == "text"]
    for r in text_rows:
        out.append(f"| {_short(r.name)} | " + " | ".join(f"{v:.3f}" for v in (*r.m, *r.t)) + " |")
    if text_rows:
        mean = [sum(r.m[i] for r in text_rows) / len(text_rows) for i in range(3)]
        tmean = [sum(r.t[i] for r in text_rows) / len(text_rows) for i in range(3)]
        out.append(
            f"| **mean ({len(text_rows)} pages)** | " + " | ".join(f"**{v:.3f}**" for v in (*mean, *tmean)) + " |"
        )
    out += ["", "### Snippet gold (must / must-not)", "", "| page | migrator | trafilatura |", "|---|---:|---:|"]
    snip = [r for r in rows if r.kind == "snippets"]
    for r in snip:
        out.append(f"| {_short(r.name)} | {r.m[0]}/{r.m[1]} | {r.t[0]}/{r.t[1]} |")
    if snip:
        mt = sum(r.m[1] for r in snip)
        mo, to = sum(r.m[0] for r in snip), sum(r.t[0] for r in snip)
        out.append(f"| **accuracy ({len(snip)} pages, {mt} snippets)** | **{mo / mt:.3f}** | **{to / mt:.3f}** |")
        nt = sum(r.m_nocap[1] for r in snip)
        no, tno = sum(r.m_nocap[0] for r in snip), sum(r.t_nocap[0] for r in snip)
        out.append(
            f"| **accuracy without caption snippets ({nt} snippets)** | **{no / nt:.3f}** | **{tno / nt:.3f}** |"
        )
    return "\n".join(out)


DOC_HEAD = """# Extraction benchmark

How well the saved-HTML reader (`migrator/sources/html/`) finds WordPress posts, compared with
[trafilatura](https://trafilatura.readthedocs.io/) (a general-purpose boilerplate remover).

One command (from the repository root, with the shared corpus next to it) writes every number
between the markers below:

    python benchmarks/extraction.py --corpus ../shared/corpus

(about three minutes; `--no-themes`, `--no-leave-one-out` and `--no-trafilatura` leave parts out,
`--docs -` prints without writing this file).

**Theme matrix** (`corpus/themes`): the same posts rendered by a real WordPress in nine themes,
with exact truth (`themes/README.md`).  Each page is converted as `migrator convert PAGE --from html`
would, then scored with the corpus's own `score.py` (document matching, body word F1 of the
Markdown rendered back to text) plus `benchmarks/theme_matrix.py`:

* *body F1* over single pages (trafilatura's on the same pages beside it), and the lowest page;
* *title* exact; *date* where the page shows it: to the minute with its offset where the post's
  markup or head carries a machine-readable `datetime`, to the day where it only shows the day;
  *author* where the post shows the name; *categories* / *tags* exact where the page names
  every one of them (themes that print none leave the names unknowable: the `post_class()`
  slugs stand in); *terms as names*: no term the page names written as a slug;
* listings (home and category pages): posts found / posts shown, documents written, and
  documents that merge two posts;
* **leave one theme out**: each theme read with every vocabulary name that only it (among the
  themes and scraped sites of the corpus) supports switched off.  The reader learns nothing;
  its names are fixed (`migrator/sources/html/vocabulary.py`), and each one is either printed
  by WordPress core or used by two sources of the corpus (`tests/sources/test_html_vocabulary.py`).
  This mode shows that no theme's result hangs on a name only that theme uses.

**Scraped pages** (`corpus/html`): every WordPress page that has gold.

* *Full-text gold* - the article-extraction-benchmark's `articleBody` and Readability's
  `expected.html` (its visible text). Score: bag-of-words precision / recall / F1 of the
  extracted body text (lower-cased `\\w+` tokens, multiset overlap).
* *Snippet gold* - trafilatura's evaluation entries: snippets that must appear in the main
  text and snippets (chrome, sidebars, later posts) that must not. Score: share of snippets
  satisfied; also without the must-not snippets that lie inside an image caption (captions are
  content for a migrator: they belong to the figure the Markdown keeps).

Extracted text: the visible text of the content HTML (migrator: the first document the page
yields; trafilatura: `extract(html, include_comments=False)`).  Titles are not part of the body.

**Time per page**: the mean, over the scraped pages, of the CPU time the reader takes for one
page (best of five runs).
"""

BEGIN = "<!-- benchmarks/extraction.py: begin -->"
END = "<!-- benchmarks/extraction.py: end -->"


def report(args) -> str:
    parts: list[str] = []
    start = time.perf_counter()
    if not args.no_themes and (args.corpus / "themes").is_dir():
        import theme_matrix

        rows = theme_matrix.run(args.corpus / "themes", with_trafilatura=not args.no_trafilatura)
        parts += ["## Theme matrix", "", theme_matrix.render(rows, "All names in use"), ""]
        if not args.no_leave_one_out:
            held = theme_matrix.leave_one_out(args.corpus / "themes", args.corpus)
            parts += [theme_matrix.render(held, "Leave one theme out"), ""]
        if args.misses:
            print(theme_matrix.misses(rows))
    rows = run(args.corpus, with_trafilatura=not args.no_trafilatura)
    parts += ["## Scraped pages", "", render_table(rows), ""]
    parts += [
        "## Time per page",
        "",
        f"Mean CPU time of the HTML reader per page of `corpus/html`: **{time_per_page(args.corpus):.1f} ms**.",
        "",
    ]
    print(f"(benchmark ran in {time.perf_counter() - start:.0f} s)", file=sys.stderr)
    return "\n".join(parts)


def write_docs(path: Path, results: str) -> None:
    """Put ``results`` between the markers of ``path``; everything else in the file stays."""
    block = f"{BEGIN}\n{results.rstrip()}\n{END}"
    if path.is_file():
        old = path.read_text(encoding="utf-8")
        if BEGIN in old and END in old:
            head, rest = old.split(BEGIN, 1)
            tail = rest.split(END, 1)[1]
            path.write_text(head + block + tail, encoding="utf-8")
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(DOC_HEAD + "\n" + block + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument(
        "--docs",
        type=Path,
        default=ROOT / "docs" / "extraction.md",
        help="Markdown file to write the results into ('-' to skip)",
    )
    parser.add_argument("--no-trafilatura", action="store_true", help="score migrator only")
    parser.add_argument("--no-themes", action="store_true", help="skip the theme matrix")
    parser.add_argument("--no-leave-one-out", action="store_true", help="skip the leave-one-theme-out runs")
    parser.add_argument("--misses", action="store_true", help="print every theme-matrix miss")
    args = parser.parse_args(argv)
    if not (args.corpus / "html").is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    results = report(args)
    print(results)
    if str(args.docs) != "-":
        write_docs(args.docs, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
