"""Fidelity harness: does the Markdown say what the WordPress page showed?

For every document of the given exports, the HTML WordPress would render (after migrator's
WordPress filters and cleaning: the renderer's input) is compared with the produced Markdown
rendered back to HTML by markdown-it-py (CommonMark + tables):

- visible-text token recall and precision (multisets of lower-cased word tokens);
- links, images, headings, list items, table cells and code blocks preserved (min(out, src) / src).

Usage:  python benchmarks/fidelity.py ../shared/corpus/wxr [more exports or folders]
        [--worst 15] [--docs docs/fidelity.md]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup
from lxml import etree
from markdown_it import MarkdownIt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from migrator.plan.index import build_index  # noqa: E402
from migrator.model import Site  # noqa: E402
from migrator.options import Options  # noqa: E402
from migrator.render.markdown import render_markdown  # noqa: E402
from migrator.sources import InputError, read_inputs  # noqa: E402
from migrator.pipeline import document_context  # noqa: E402
from migrator.transforms import transform  # noqa: E402

ELEMENTS = {
    "links": lambda s: [a for a in s.find_all("a") if a.get("href")],
    "images": lambda s: s.find_all("img", src=True),
    "headings": lambda s: s.find_all(re.compile(r"^h[1-6]$")),
    "list items": lambda s: s.find_all("li"),
    "table cells": lambda s: [c for c in s.find_all(["td", "th"]) if c.get_text(strip=True)],
    "code blocks": lambda s: s.find_all("pre"),
}
_WORD = re.compile(r"\w+", re.UNICODE)
_md = MarkdownIt("commonmark").enable("table")


@dataclass
class Score:
    name: str
    src_tokens: int = 0
    out_tokens: int = 0
    common: int = 0
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # element -> (src, kept)

    @property
    def recall(self) -> float:
        return self.common / self.src_tokens if self.src_tokens else 1.0

    @property
    def precision(self) -> float:
        return self.common / self.out_tokens if self.out_tokens else 1.0


def label(path: Path) -> str:
    """A short, unambiguous name for an input: its folder and file name."""
    return f"{path.parent.name}/{path.name}"


def tokens(soup: BeautifulSoup) -> Counter:
    return Counter(t.lower() for t in _WORD.findall(soup.get_text(" ")))


def score_document(name: str, source: BeautifulSoup, markdown: str) -> Score:
    """Compare the renderer's input with the Markdown rendered back to HTML."""
    out = BeautifulSoup(_md.render(markdown), "html.parser")
    src_t, out_t = tokens(source), tokens(out)
    score = Score(name, sum(src_t.values()), sum(out_t.values()), sum((src_t & out_t).values()))
    for key, find in ELEMENTS.items():
        n_src, n_out = len(find(source)), len(find(out))
        score.counts[key] = (n_src, min(n_src, n_out))
    return score


def score_inputs(paths: list[Path]) -> list[Score]:
    options = Options()
    scores: list[Score] = []
    for path in paths:
        try:
            index = build_index([path], options, [])
        except InputError as exc:
            print(f"skipped {path}: {exc.message}", file=sys.stderr)
            continue
        entries = iter(index.entries)
        for doc in read_inputs([path], Site(), [], None):
            entry = next(entries)
            if entry.disposition != "document":
                continue
            ctx = document_context(doc, index, options)
            root = transform(ctx)
            source = BeautifulSoup(etree.tostring(root, encoding="unicode", method="html"), "html.parser")
            markdown = render_markdown(root, options.figure_style, [])
            scores.append(score_document(f"{label(path)}#{doc.id} {doc.title[:40]}", source, markdown))
    return scores


def totals(scores: list[Score]) -> dict[str, float]:
    src = sum(s.src_tokens for s in scores)
    out = sum(s.out_tokens for s in scores)
    common = sum(s.common for s in scores)
    result = {
        "documents": len(scores),
        "token recall": common / src if src else 1.0,
        "token precision": common / out if out else 1.0,
    }
    for key in ELEMENTS:
        n_src = sum(s.counts[key][0] for s in scores)
        kept = sum(s.counts[key][1] for s in scores)
        result[f"{key} preserved"] = kept / n_src if n_src else 1.0
        result[f"{key} (source)"] = n_src
    return result


def table(rows: list[list[str]], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def expand(args: list[str]) -> list[Path]:
    paths: list[Path] = []
    for arg in args:
        p = Path(arg)
        paths += sorted(p.rglob("*.xml")) if p.is_dir() else [p]
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--worst", type=int, default=15, help="how many worst documents to list")
    parser.add_argument("--docs", help="also write the report (Markdown) to this file")
    args = parser.parse_args(argv)
    paths = expand(args.inputs)
    scores = score_inputs(paths)
    worst = sorted(scores, key=lambda s: (min(s.recall, s.precision), s.name))[: args.worst]
    per_doc = table(
        [
            [
                s.name.replace("|", "\\|"),
                f"{s.recall:.3f}",
                f"{s.precision:.3f}",
                " ".join(f"{k.split()[0]} {v[1]}/{v[0]}" for k, v in s.counts.items() if v[0] != v[1]) or "all kept",
            ]
            for s in worst
        ],
        ["document", "recall", "precision", "elements lost"],
    )
    per_file = []
    for path in paths:
        mine = [s for s in scores if s.name.startswith(label(path) + "#")]
        if mine:
            t = totals(mine)
            per_file.append(
                [label(path), str(t["documents"]), f"{t['token recall']:.4f}", f"{t['token precision']:.4f}"]
                + [f"{t[k + ' preserved']:.3f}" for k in ELEMENTS]
            )
    t = totals(scores)
    total_rows = [[k, f"{v:.4f}" if isinstance(v, float) else str(v)] for k, v in t.items()]
    report = "\n\n".join(
        [
            "## Worst documents",
            per_doc,
            "## Per export",
            table(per_file, ["export", "docs", "recall", "precision", *ELEMENTS]),
            "## Corpus totals",
            table(total_rows, ["measure", "value"]),
        ]
    )
    print(report)
    if args.docs:
        command = "python benchmarks/fidelity.py " + " ".join(args.inputs)
        docs = Path(args.docs)
        old = docs.read_text(encoding="utf-8") if docs.is_file() else ""
        start, end = "<!-- roundtrip:start -->", "<!-- roundtrip:end -->"  # benchmarks/roundtrip.py's part
        keep = old[old.index(start) : old.index(end) + len(end)] if start in old and end in old else ""
        docs.write_text(
            HEADER.format(command=command) + report + "\n" + (f"\n{keep}\n" if keep else ""), encoding="utf-8"
        )
    return 0


HEADER = """# Fidelity

Does the Markdown say what the WordPress page showed? `benchmarks/fidelity.py` compares, for
every document, the HTML WordPress would render (migrator's WordPress filters and cleaning: the
renderer's input) with the produced Markdown rendered back to HTML by markdown-it-py
(CommonMark + tables): visible-text token recall and precision, and how many links, images,
headings, list items, non-empty table cells and code blocks survive.

Produced by (from the repository root, with `../shared/corpus` beside it):

```sh
.venv/bin/python {command} --docs docs/fidelity.md
```

"""

if __name__ == "__main__":
    raise SystemExit(main())
