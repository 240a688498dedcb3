"""The lxml renderer against the BeautifulSoup renderer it replaced, document by document.

Each document of the given inputs goes through the pipeline of the last BeautifulSoup commit
(:data:`BS4_COMMIT`, extracted from git into a temporary package): filters, ``parse_html``,
cleaning, link rewriting, as ``convert_document`` does. That BeautifulSoup tree is converted
node for node to an lxml tree (:func:`tests.render.bridge.from_soup`), then rendered by the
old renderer and by this one; the Markdown and the warnings are compared.

    python -m tests.render.differential [--all-styles] INPUT...   (a summary and every difference)
    python -m tests.render.differential --time INPUT...   (CPU per document of each renderer)

With ``--against COMMIT`` the renderer is compared instead with this package's renderer at
``COMMIT`` (extracted from git the same way, as ``migrator_ref``), both rendering a copy of the
same lxml tree that this package's pipeline built (a refactor of the renderer keeps every
document byte for byte); with ``--time`` that gives the CPU per document of both:

    python -m tests.render.differential --against COMMIT [--all-styles] [--time] INPUT...
"""

from __future__ import annotations

import codecs
import contextlib
import copy
import gc
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
REF = "migrator_ref"


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


def _extract(commit: str, where: Path, name: str) -> bool:
    """The ``migrator`` package of ``commit`` extracted under ``where`` as ``name``."""
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", commit, "migrator"], capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return False
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(where, filter="data")
    (where / "migrator").rename(where / name)
    if str(where) not in sys.path:
        sys.path.insert(0, str(where))
    return True


def ref_renderer(commit: str, where: Path):
    """``render_markdown`` of this package at ``commit`` (None without git)."""
    if REF not in sys.modules and not _extract(commit, where, REF):
        return None
    return importlib.import_module(f"{REF}.render.markdown").render_markdown


def old_package(where: Path, commit: str = BS4_COMMIT, as_name: str = OLD) -> ModuleType | None:
    """The ``migrator`` package of ``commit`` (:data:`BS4_COMMIT` unless given) as ``as_name``
    (``migrator_bs4``), extracted into ``where``; None without git."""
    if as_name in sys.modules:
        return sys.modules[as_name]
    if not _extract(commit, where, as_name):
        return None
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
            tree = from_soup(soup)  # before the old renderer changes the soup (page breaks)
        except Exception as exc:  # a crash is a difference, reported
            yield Outcome(str(path), doc_id, "", "", [], [], error=f"{type(exc).__name__}: {exc}")
            continue
        yield _outcome(
            path,
            doc_id,
            lambda w: old_render(soup, figure_style, w, embed_style),
            lambda w: render_markdown(tree, figure_style, w, embed_style),
        )


def _outcome(path: Path, doc_id: str, render_old, render_new) -> Outcome:
    """Both renderings of a document (each called with its list of warnings) compared."""
    old_w: list = []
    new_w: list = []
    try:
        old = render_old(old_w)
        new = render_new(new_w)
    except Exception as exc:  # a crash is a difference, reported
        return Outcome(str(path), doc_id, "", "", [], [], error=f"{type(exc).__name__}: {exc}")
    return Outcome(
        str(path),
        doc_id,
        old,
        new,
        [f"{w.code}: {w.message}" for w in old_w],
        [f"{w.code}: {w.message}" for w in new_w],
    )


def trees(path: Path) -> Iterator[tuple[str, object]]:
    """(document id, lxml tree just before rendering) for each document of ``path``, built by
    this package's pipeline as ``convert_document`` does."""
    from migrator import targets
    from migrator.model import Site
    from migrator.options import Options
    from migrator.plan.index import build_index
    from migrator.plan.references import References
    from migrator.sources import read_inputs
    from migrator.pipeline import document_context
    from migrator.transforms import transform

    options = Options(jobs=1)
    index = build_index([path], options, [])
    refs = References(index, options)
    index.db.freeze()
    for doc in read_inputs([path], Site(), [], None):
        entry = index.by_id.get(doc.id)
        if entry is None or entry.disposition != "document":
            continue
        ctx = document_context(doc, index, options)
        root = transform(ctx)
        refs.rewrite(root, ctx, entry.path or f"{doc.id}.md")
        targets.mark_template_syntax(root, options)
        yield doc.id, root


def compare_ref(path: Path, ref_render, styles: list[tuple[str, str]]) -> Iterator[tuple[str, Outcome]]:
    """(style, outcome) for each document of ``path`` and each style: the renderer at the
    reference commit (``old``) against this one (``new``), each on its own copy of the tree."""
    for doc_id, root in trees(path):
        for fig, embed in styles:
            outcome = _outcome(
                path,
                doc_id,
                lambda w: ref_render(_copy(root), fig, w, embed),
                lambda w: render_markdown(_copy(root), fig, w, embed),
            )
            yield f"{fig}/{embed}", outcome


def _copy(root):
    """A copy of the whole document ``root`` is in (comments around ``<html>`` too)."""
    return copy.deepcopy(root.getroottree()).getroot()


def timing_ref(paths: list[Path], ref_render, passes: int = 6) -> str:
    """CPU per document of the reference renderer and of this one on copies of the same trees."""
    roots = [root for path in paths for _, root in trees(path)]
    clock = time.process_time
    best: dict[str, float] = {}
    renderers = [("reference renderer", ref_render), ("this renderer", render_markdown)]
    for _ in range(passes):
        renderers.reverse()  # each goes first as often (a busy machine's noise shared out)
        for name, render in renderers:
            gc.collect()
            copies = [_copy(r) for r in roots]
            start = clock()
            for tree in copies:
                render(tree, "markdown", [])
            best[name] = min(best.get(name, 1e9), clock() - start)
    n = max(1, len(roots))
    return "\n".join(f"{name:20s} {1000 * best[name] / n:6.3f} ms/document" for name, _ in sorted(renderers)) + (
        f"\n({len(roots)} documents, best of {passes})"
    )


def _diff(a: str, b: str, names: tuple[str, str] = ("bs4", "lxml")) -> str:
    import difflib

    return "\n".join(difflib.unified_diff(a.split("\n"), b.split("\n"), *names, n=1, lineterm=""))


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


def _report(outcome: Outcome, style: str, names: tuple[str, str]) -> bool:
    """True for an identical document; else its difference printed."""
    if outcome.same:
        return True
    print(f"=== {outcome.source} {outcome.doc_id} ({style})")
    if outcome.error:
        print("ERROR", outcome.error)
    if outcome.old_warnings != outcome.new_warnings:
        print("warnings:", outcome.old_warnings, "->", outcome.new_warnings)
    print(_diff(outcome.old, outcome.new, names))
    return False


def main(argv: list[str]) -> int:
    against = None
    if argv[:1] == ["--against"] and len(argv) > 1:
        against, argv = argv[1], argv[2:]
    styles = [("markdown", "link")]
    if argv and argv[0] == "--all-styles":
        argv = argv[1:]
        styles += [("html", "html"), ("hugo", "link")]
    if against is not None:
        return main_ref(against, styles, argv)
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
                    same += _report(outcome, f"{figure_style}/{embed_style}", ("bs4", "lxml"))
        print(f"{same} of {total} documents identical")
    return 0 if same == total else 1


def main_ref(commit: str, styles: list[tuple[str, str]], argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        ref_render = ref_renderer(commit, Path(tmp))
        if ref_render is None:
            print("git archive of", commit, "failed")
            return 2
        if argv and argv[0] == "--time":
            print(timing_ref([Path(arg) for arg in argv[1:]], ref_render))
            return 0
        total = same = unread = 0
        for arg in argv:
            try:
                outcomes = list(compare_ref(Path(arg), ref_render, styles))
            except Exception as exc:  # an input the pipeline refuses: no document to compare
                print(f"--- {arg} not read: {type(exc).__name__}: {exc}")
                unread += 1
                continue
            for style, outcome in outcomes:
                total += 1
                same += _report(outcome, style, (commit[:7], "new"))
        print(f"{same} of {total} documents identical ({len(argv) - unread} inputs, {unread} not read)")
    return 0 if same == total else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
