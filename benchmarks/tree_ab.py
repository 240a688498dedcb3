"""The document tree's stages, this package against another commit, document by document.

Each document of the inputs goes through this package's WordPress filters once; its HTML is
then parsed (``parse_html``), cleaned, stripped of interactive widgets and rendered-HTML
leftovers and rendered to Markdown by this package and by the package at ``COMMIT`` (extracted
from git as ``tests.render.differential`` does), the two taking turns on each document.  Each
stage's CPU per document is the least of ``--passes`` passes (a shared machine's noise left
out); the totals are printed per stage.

    python benchmarks/tree_ab.py COMMIT INPUT... [--passes 5]
"""

from __future__ import annotations

import argparse
import gc
import importlib
import tempfile
import time
from pathlib import Path

from tests.render import differential

STAGES = ("parse", "clean", "interactive/rendered", "render")


def filtered_html(paths: list[Path]) -> list[str]:
    """Each document's HTML after this package's WordPress filters."""
    from migrator.model import Site
    from migrator.options import Options
    from migrator.pipeline import document_context
    from migrator.plan.index import build_index
    from migrator.sources import read_inputs
    from migrator.transforms import apply_content_filters

    out = []
    for path in paths:
        options = Options(jobs=1)
        index = build_index([path], options, [])
        index.db.freeze()
        for doc in read_inputs([path], Site(), [], None):
            entry = index.by_id.get(doc.id)
            if entry is not None and entry.disposition == "document":
                out.append(apply_content_filters(document_context(doc, index, options)))
    return out


def stages(package: str):
    def mod(name: str):
        return importlib.import_module(f"{package}.{name}")

    transforms = mod("transforms")
    return (
        mod("htmltree").parse_html,
        mod("transforms.clean").clean,
        mod("transforms.interactive"),
        mod("transforms.rendered"),
        mod("render.markdown").render_markdown,
        lambda: transforms.Context(doc=mod("model").Document(id="x")),
    )


def run(docs: list[str], packages: dict[str, tuple], passes: int) -> dict[str, list[float]]:
    clock = time.process_time
    best = {name: [[1e9] * len(STAGES) for _ in docs] for name in packages}
    names = list(packages)
    gc.disable()
    try:
        for n in range(passes):
            for i, html in enumerate(docs):
                for name in names if n % 2 == 0 else reversed(names):
                    parse, clean, interactive, rendered, render, context = packages[name]
                    ctx = context()
                    t0 = clock()
                    root = parse(html)
                    t1 = clock()
                    clean(root, ctx)
                    t2 = clock()
                    lowered = html.lower()
                    if interactive.may_hold(lowered):
                        interactive.remove_interactive(root, ctx)
                    if rendered.may_hold(lowered):
                        rendered.readable(root, ctx)
                    t3 = clock()
                    render(root, "markdown", [], "link")
                    t4 = clock()
                    mins = best[name][i]
                    for j, spent in enumerate((t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                        mins[j] = min(mins[j], spent)
                    del root
            gc.collect()
    finally:
        gc.enable()
    return {name: [sum(doc[j] for doc in best[name]) for j in range(len(STAGES))] for name in names}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("commit")
    parser.add_argument("inputs", nargs="+", type=Path)
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if differential.ref_renderer(args.commit, Path(tmp)) is None:
            raise SystemExit(f"git archive of {args.commit} failed")
        docs = filtered_html(args.inputs)
        totals = run(docs, {"ref": stages(differential.REF), "new": stages("migrator")}, args.passes)
    ref, new = totals["ref"], totals["new"]
    for j, stage in enumerate(STAGES):
        print(f"{stage:22s} {args.commit[:7]} {ref[j]:7.3f} s   this {new[j]:7.3f} s   {new[j] / ref[j]:.3f}")
    print(f"{'all four':22s} {args.commit[:7]} {sum(ref):7.3f} s   this {sum(new):7.3f} s   {sum(new) / sum(ref):.3f}")
    print(f"({len(docs)} documents, each stage the least of {args.passes} passes, the two taking turns)")


if __name__ == "__main__":
    main()
