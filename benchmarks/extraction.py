"""Main-text extraction benchmark: migrator's HTML reader against trafilatura.

Run from the repository root::

    python benchmarks/extraction.py [--corpus ../shared/corpus] [--docs docs/extraction.md]

Scores every page under ``<corpus>/html`` that has gold:

* full gold text (article-extraction-benchmark ``*.gold.json`` with ``articleBody``,
  Readability's ``expected.html``): bag-of-words precision, recall and F1 of the
  extracted body text;
* snippet gold (trafilatura's ``*.gold.json`` with ``with`` / ``without`` lists): the share
  of snippets that are present (``with``) or absent (``without``) in the extracted text.

The extracted text is what each tool hands its user (migrator: the first document the page
yields — on an index page its first post, as trafilatura's gold expects — converted to
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
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from lxml import html as lxml_html  # noqa: E402

from migrator.model import Problem, Site  # noqa: E402
from markdown_it import MarkdownIt  # noqa: E402

from migrator.render.markdown import render_markdown  # noqa: E402
from migrator.sources.html import read_html  # noqa: E402
from migrator.transforms import Context, transform  # noqa: E402

BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th",
    "blockquote", "pre", "figure", "figcaption", "section", "article", "header", "footer", "dt", "dd",
    "hr", "main", "aside", "nav", "caption", "tbody", "thead", "dl", "address",
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


def run(corpus: Path, with_trafilatura: bool = True) -> list[Row]:
    rows: list[Row] = []
    for case in load_cases(corpus):
        mtext = migrator_text(case.page)
        ttext = trafilatura_text(case.page) if with_trafilatura else ""
        if case.gold_text is not None:
            rows.append(Row(case.name, "text", score_text(mtext, case.gold_text), score_text(ttext, case.gold_text)))
        else:
            rows.append(Row(case.name, "snippets", snippet_hits(mtext, case.with_, case.without),
                            snippet_hits(ttext, case.with_, case.without)))
    return rows


def _short(name: str) -> str:
    name = re.sub(r"^(article-extraction-benchmark/)([0-9a-f]{16})[0-9a-f]+", r"aeb/\2", name)
    name = name.replace("trafilatura/tests/", "traf/").replace("readability/test-pages/", "readability/")
    return name.removesuffix(".html").removesuffix("/source")


def render_table(rows: list[Row]) -> str:
    out = ["### Full-text gold (bag-of-words)", "",
           "| page | migrator P | migrator R | migrator F1 | trafilatura P | trafilatura R | trafilatura F1 |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    text_rows = [r for r in rows if r.kind == "text"]
    for r in text_rows:
        out.append(f"| {_short(r.name)} | " + " | ".join(f"{v:.3f}" for v in (*r.m, *r.t)) + " |")
    if text_rows:
        mean = [sum(r.m[i] for r in text_rows) / len(text_rows) for i in range(3)]
        tmean = [sum(r.t[i] for r in text_rows) / len(text_rows) for i in range(3)]
        out.append(f"| **mean ({len(text_rows)} pages)** | " + " | ".join(f"**{v:.3f}**" for v in (*mean, *tmean))
                   + " |")
    out += ["", "### Snippet gold (must / must-not)", "",
            "| page | migrator | trafilatura |", "|---|---:|---:|"]
    snip = [r for r in rows if r.kind == "snippets"]
    for r in snip:
        out.append(f"| {_short(r.name)} | {r.m[0]}/{r.m[1]} | {r.t[0]}/{r.t[1]} |")
    if snip:
        mt = sum(r.m[1] for r in snip)
        mo, to = sum(r.m[0] for r in snip), sum(r.t[0] for r in snip)
        out.append(f"| **accuracy ({len(snip)} pages, {mt} snippets)** | **{mo / mt:.3f}** | **{to / mt:.3f}** |")
    return "\n".join(out)


DOC_HEAD = """# Extraction benchmark

How well the saved-HTML reader (`migrator/sources/html.py`) finds a WordPress post's body,
compared with [trafilatura](https://trafilatura.readthedocs.io/) (a general-purpose
boilerplate remover) on the same pages.

Command (from the repository root, with the shared corpus checked out next to it):

    python benchmarks/extraction.py --corpus ../shared/corpus

Pages: every WordPress page in `corpus/html` that has gold.

* **Full-text gold** - the article-extraction-benchmark's `articleBody` and Readability's
  `expected.html` (its visible text). Score: bag-of-words precision / recall / F1 of the
  extracted body text (lower-cased `\\w+` tokens, multiset overlap).
* **Snippet gold** - trafilatura's evaluation entries: snippets that must appear in the main
  text and snippets (chrome, sidebars, later posts) that must not. Score: share of snippets
  satisfied.

Extracted text: the visible text of the content HTML (migrator: the first document the page
yields - the post itself on a single page, the first post on an index page, which is what
trafilatura's gold calls the main text; trafilatura: `extract(html, include_comments=False)`).
Titles are not part of the body on either side.

## Results
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "extraction.md",
                        help="Markdown file to write the results into ('-' to skip)")
    parser.add_argument("--no-trafilatura", action="store_true", help="score migrator only")
    args = parser.parse_args(argv)
    if not (args.corpus / "html").is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    rows = run(args.corpus, with_trafilatura=not args.no_trafilatura)
    table = render_table(rows)
    print(table)
    print(f"\n({len(rows)} pages in {time.perf_counter() - start:.1f}s)")
    if str(args.docs) != "-":
        notes = ""
        if args.docs.is_file():
            old = args.docs.read_text(encoding="utf-8")
            marker = "\n## Notes\n"
            if marker in old:
                notes = marker + old.split(marker, 1)[1]
        args.docs.parent.mkdir(parents=True, exist_ok=True)
        args.docs.write_text(DOC_HEAD + "\n" + table + "\n" + notes, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
