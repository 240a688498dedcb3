"""Which sources of the shared corpus use each class or id of the HTML reader's vocabulary.

A *source* is one theme of the theme matrix (``corpus/themes/<theme>``) or one site of the
scraped pages (``corpus/html``: one page each).  The reader may name a class, id or class word
only when at least two sources use it, or when WordPress core itself prints it
(``migrator.sources.html.vocabulary.CORE``): a rule that one theme or one page needs is tuning,
not generalising (``tests/sources/test_html_vocabulary.py`` enforces it; ``benchmarks/extraction.py
--leave-one-out`` measures each theme with the literals only it supports switched off).

    python benchmarks/vocabulary_support.py [--corpus ../shared/corpus]   # the support table
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from lxml import html as lxml_html  # noqa: E402

from migrator.sources.html import vocabulary  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def sources(corpus: Path = CORPUS) -> dict[str, list[Path]]:
    """Source name -> its pages: ``theme:<name>`` and ``site:<page>``."""
    out: dict[str, list[Path]] = defaultdict(list)
    themes = corpus / "themes"
    if themes.is_dir():
        for page in sorted(themes.glob("*/*.html")):
            out[f"theme:{page.parent.name}"].append(page)
    html = corpus / "html"
    if html.is_dir():
        for page in sorted(html.rglob("*.html")):
            if page.name == "expected.html":
                continue
            name = page.parent.name if page.name == "source.html" else page.name
            out[f"site:{name}"].append(page)
    return dict(out)


@lru_cache(maxsize=4)
def tokens(corpus: Path = CORPUS) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Source -> (every class token, every id) its pages use."""
    result: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for name, pages in sources(corpus).items():
        classes: set[str] = set()
        ids: set[str] = set()
        for page in pages:
            root = lxml_html.document_fromstring(page.read_bytes())
            for el in root.iter():
                if not isinstance(el.tag, str):
                    continue
                classes.update((el.get("class") or "").split())
                if (el.get("id") or "").strip():
                    ids.add(el.get("id").strip())
        result[name] = (frozenset(classes), frozenset(ids))
    return result


@lru_cache(maxsize=None)
def support(literal: vocabulary.Literal, corpus: Path = CORPUS) -> frozenset[str]:
    """The sources whose pages use ``literal`` (an exact class/id, a prefix or a class word)."""
    used = set()
    for name, (classes, ids) in tokens(corpus).items():
        if any(literal.matches(t) for t in classes) or any(literal.matches(i, is_id=True) for i in ids):
            used.add(name)
    return frozenset(used)


def supported(literal: vocabulary.Literal, corpus: Path = CORPUS, without: str = "") -> bool:
    """True when core WordPress prints ``literal`` or two sources (other than ``without``) use it."""
    if literal.core:
        return True
    return len(support(literal, corpus) - {without}) >= 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    for lit in sorted(vocabulary.literals(), key=lambda x: (x.kind, x.value)):
        used = support(lit, args.corpus)
        flag = (
            "core" if lit.core else ("ok" if len(used) >= 2 else ("ONLY " + ",".join(sorted(used))) if used else "NONE")
        )
        print(f"{lit.kind:7s} {lit.value:40s} {len(used):3d} {flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
