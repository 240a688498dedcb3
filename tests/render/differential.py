"""The lxml renderer against the BeautifulSoup renderer it replaced, document by document.

Each document of the given inputs goes through the pipeline of the last BeautifulSoup commit
(:data:`BS4_COMMIT`, extracted from git into a temporary package): filters, ``parse_html``,
cleaning, link rewriting, as ``convert_document`` does. That BeautifulSoup tree is converted
node for node to an lxml tree (:func:`tests.render.bridge.from_soup`), then rendered by the
old renderer and by this one; the Markdown and the warnings are compared.

    python -m tests.render.differential [--all-styles] INPUT...   (a summary and every difference)
    python -m tests.render.differential --time INPUT...   (CPU per document of each renderer)
"""

from __future__ import annotations

import codecs
import contextlib
import importlib
import io
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import migrator.sources.xmlsafe  # noqa: F401 - its codec error handler registered (old_package)
from tests.render.bridge import from_soup
from migrator.render.markdown import render_markdown

ROOT = Path(__file__).resolve().parents[2]
#: The last commit whose transforms and renderer work on BeautifulSoup trees.
BS4_COMMIT = "4063b11ec40dbf88f0751cfb23e42f6ada31ccb0"
OLD = "migrator_bs4"


@dataclass
class Outcome:
    source: str
    doc_id: str
    old: str
    new: str
    old_warnings: list[str]
    new_warnings: list[str]
    error: str = ""

    @property
    def same(self) -> bool:
        return not self.error and self.old == self.new and self.old_warnings == self.new_warnings


def old_package(where: Path, commit: str = BS4_COMMIT, as_name: str = OLD) -> ModuleType | None:
    """The ``migrator`` package of ``commit`` (:data:`BS4_COMMIT` unless given) as ``as_name``
    (``migrator_bs4``), extracted into ``where``; None without git."""
    if as_name in sys.modules:
        return sys.modules[as_name]
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", commit, "migrator"], capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(where, filter="data")
    (where / "migrator").rename(where / as_name)
    sys.path.insert(0, str(where))
    current = {name: codecs.lookup_error(name) for name in _ERROR_HANDLERS}
    package = importlib.import_module(as_name)
    importlib.import_module(f"{as_name}.sources")
    for name, handler in current.items():  # its import registered its own: this package's again
        _OLD_HANDLERS[name] = codecs.lookup_error(name)
        codecs.register_error(name, handler)
    return package


#: Codec error handlers both packages register under one name (each records what it repaired).
_ERROR_HANDLERS = ("migrator-cp1252",)
_OLD_HANDLERS: dict = {}


@contextlib.contextmanager
def _old_handlers() -> Iterator[None]:
    """The old package's codec error handlers while it reads, this package's after."""
    current = {name: codecs.lookup_error(name) for name in _OLD_HANDLERS}
    for name, handler in _OLD_HANDLERS.items():
        codecs.register_error(name, handler)
    try:
        yield
    finally:
        for name, handler in current.items():
            codecs.register_error(name, handler)


def _mod(name: str) -> ModuleType:
    return importlib.import_module(f"{OLD}.{name}")


def documents(path: Path) -> Iterator[tuple[str, object]]:
    """(document id, BeautifulSoup tree just before rendering) for each document of ``path``."""
    with _old_handlers():
        yield from _documents(path)


def _documents(path: Path) -> Iterator[tuple[str, object]]:
    options = _mod("options").Options(jobs=1)
    index = _mod("plan.index").build_index([path], options, [])
    refs = _mod("plan.references").References(index, options)
    index.db.freeze()
    transforms = _mod("transforms")
    targets = _mod("targets")
    for doc in _mod("sources").read_inputs([path], _mod("model").Site(), [], None):
        entry = index.by_id.get(doc.id)
        if entry is None or entry.disposition != "document":
            continue
        ctx = transforms.Context(
            doc=doc,
            options=options,
            site=index.site,
            attachments=index.attachments,
            reusable_blocks=index.reusable_blocks,
        )
        soup = transforms.transform(ctx)
        refs.rewrite(soup, ctx, entry.path or f"{doc.id}.md")
        targets.mark_template_syntax(soup, options)
        yield doc.id, soup


def compare(path: Path, figure_style: str = "markdown", embed_style: str = "link") -> Iterator[Outcome]:
    old_render = _mod("render.markdown").render_markdown
    for doc_id, soup in documents(path):
        try:
            tree = from_soup(soup)
            old_w: list = []
            new_w: list = []
            old = old_render(soup, figure_style, old_w, embed_style)
            new = render_markdown(tree, figure_style, new_w, embed_style)
        except Exception as exc:  # a crash is a difference, reported
            yield Outcome(str(path), doc_id, "", "", [], [], error=f"{type(exc).__name__}: {exc}")
            continue
        yield Outcome(
            str(path),
            doc_id,
            old,
            new,
            [f"{w.code}: {w.message}" for w in old_w],
            [f"{w.code}: {w.message}" for w in new_w],
        )


def _diff(a: str, b: str) -> str:
    import difflib

    return "\n".join(difflib.unified_diff(a.split("\n"), b.split("\n"), "bs4", "lxml", n=1, lineterm=""))


def timing(paths: list[Path], passes: int = 3) -> str:
    """CPU per document of the old renderer (on the BeautifulSoup trees), of the bridge, and of
    this renderer (on ``lxml.html`` trees and on plain lxml trees): the best of ``passes``."""
    old_render = _mod("render.markdown").render_markdown
    soups = [soup for path in paths for _, soup in documents(path)]
    clock = time.process_time
    best: dict[str, float] = {}

    def run(name: str, work) -> None:
        start = clock()
        work()
        best[name] = min(best.get(name, 1e9), clock() - start)

    for _ in range(passes):
        run("old renderer (BeautifulSoup)", lambda: [old_render(s, "markdown", []) for s in soups])
        trees: list = []
        run("bridge (BeautifulSoup -> lxml.html)", lambda: trees.extend(from_soup(s) for s in soups))
        run("new renderer (lxml.html elements)", lambda: [render_markdown(t, "markdown", []) for t in trees])
        plain = [from_soup(s, html_elements=False) for s in soups]
        run("new renderer (plain lxml elements)", lambda: [render_markdown(t, "markdown", []) for t in plain])
    n = max(1, len(soups))
    return "\n".join(f"{name:38s} {1000 * spent / n:6.3f} ms/document" for name, spent in best.items()) + (
        f"\n({len(soups)} documents, best of {passes})"
    )


def main(argv: list[str]) -> int:
    styles = [("markdown", "link")]
    if argv and argv[0] == "--all-styles":
        argv = argv[1:]
        styles += [("html", "html"), ("hugo", "link")]
    with tempfile.TemporaryDirectory() as tmp:
        if old_package(Path(tmp)) is None:
            print("git archive of", BS4_COMMIT, "failed")
            return 2
        if argv and argv[0] == "--time":
            print(timing([Path(arg) for arg in argv[1:]]))
            return 0
        total = same = 0
        for arg in argv:
            for figure_style, embed_style in styles:
                for outcome in compare(Path(arg), figure_style, embed_style):
                    total += 1
                    if outcome.same:
                        same += 1
                        continue
                    print(f"=== {outcome.source} {outcome.doc_id} ({figure_style}/{embed_style})")
                    if outcome.error:
                        print("ERROR", outcome.error)
                    if outcome.old_warnings != outcome.new_warnings:
                        print("warnings:", outcome.old_warnings, "->", outcome.new_warnings)
                    print(_diff(outcome.old, outcome.new))
        print(f"{same} of {total} documents identical")
    return 0 if same == total else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
