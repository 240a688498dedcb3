"""Text-scrape benchmark: `migrator convert --from text` on the text theme matrix.

Run from the repository root::

    python benchmarks/extraction_text.py [--corpus ../shared/corpus] [--jobs 2] [-v]
                                         [--theme NAME ...] [--tool w3m|chrome] [--no-loto]
                                         [--docs docs/extraction.md | --docs -]

A full run (no ``--theme``/``--tool``/``--no-loto``) writes its tables between the markers of
``docs/extraction.md`` (``--docs -``: print only).

For every dump under ``<corpus>/text-themes`` (nine themes; w3m and Chromium text of the home
page, a category archive and eight single pages, with exact truth) it converts the file with
the real pipeline (``migrator.convert(..., source_format="text")``, in-process) and scores the
Markdown it writes with the corpus's own ``score.py`` (imported, not copied): posts found,
extra documents, titles exact, the day right where the page shows it, body recall and
precision, merged documents.  Reported per theme, per browser and overall, with the goals of
issue 23.

**Leave one theme out.**  The reader learns nothing from data, so holding a theme out means:
no rule of the chrome vocabulary may exist that only that theme needs.  Every vocabulary rule
says where its phrase comes from (``wordpress``, ``browser`` or ``themes``); for each theme
the benchmark finds the ``themes`` rules that match a line of no other theme, switches them
off and scores that theme again.  The leave-one-theme-out table is those scores (identical to
the plain run when no rule is particular to one theme, which ``tests`` also assert).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BEGIN = "<!-- benchmarks/extraction_text.py: begin -->"
END = "<!-- benchmarks/extraction_text.py: end -->"
GOALS = {"found": 0.95, "extra": 0, "title": 0.98, "day": 0.95, "recall": 0.97, "precision": 0.95}


def load_scorer(corpus: Path):
    path = corpus / "text-themes" / "score.py"
    spec = importlib.util.spec_from_file_location("text_themes_score", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def theme_only_rules(base: Path) -> dict[str, set[str]]:
    """theme -> patterns of ``themes`` vocabulary rules that match lines of that theme only."""
    from migrator.sources.text.lines import load
    from migrator.sources.text.vocabulary import RULES, SITE_RULES

    seen: dict[str, set[str]] = defaultdict(set)
    rules = [r for r in RULES + SITE_RULES if r.origin == "themes"]
    for txt in sorted(base.rglob("*.txt")):
        theme = txt.relative_to(base).parts[0]
        for line in load(txt, []) or []:
            for rule in rules:
                if rule.rx.match(line.norm):
                    seen[rule.rx.pattern].add(theme)
    out: dict[str, set[str]] = defaultdict(set)
    for pattern, themes in seen.items():
        if len(themes) == 1:
            out[next(iter(themes))].add(pattern)
    return out


def convert_one(args: tuple[str, str, list[str]]) -> str:
    txt, out, disabled = args
    from migrator import convert
    from migrator.options import Options
    from migrator.sources.text.switches import HEURISTICS, switched_off
    from migrator.sources.text.vocabulary import disabled_rules

    with (
        disabled_rules({d for d in disabled if d not in HEURISTICS}),
        switched_off({d for d in disabled if d in HEURISTICS}),
    ):
        convert([txt], out, Options(source_format="text", quiet=True, jobs=1, force=True))
    return out


def _reader_rows(args: tuple[str, list[str], str]) -> list[dict]:
    """Score every dump with the reader alone (no pipeline) and some heuristics off."""
    corpus, off, _ = args
    from bs4 import BeautifulSoup

    from migrator.model import Site
    from migrator.sources.text import read_text
    from migrator.sources.text.switches import switched_off

    scorer = load_scorer(Path(corpus))
    base = Path(corpus) / "text-themes"
    rows = []
    with switched_off(set(off)):
        for txt in sorted(base.rglob("*.txt")):
            docs, fields = [], {}
            for d in read_text(txt, Site(), []):
                body = BeautifulSoup(d.content, "html.parser").get_text(" ")
                docs.append(
                    {
                        "title": scorer.norm_title(d.title),
                        "day": scorer.day_of(d.date),
                        "body": body,
                        "words": scorer.words(body),
                    }
                )
                fields.setdefault(scorer.norm_title(d.title), (d.author, d.categories, d.tags))
            truth = json.loads(txt.with_name(txt.name.split(".")[0] + ".truth.json").read_text(encoding="utf-8"))
            r = scorer.score_page(txt, truth, docs, False)
            r["theme"] = txt.relative_to(base).parts[0]
            # metadata the score does not weigh: author, categories, tags exact
            r["fields_ok"] = sum(
                sum(a == b for a, b in zip(fields[key], (p["author"], p["categories"], p["tags"])))
                for p in truth["posts"]
                if (key := scorer.norm_title(p.get("title_shown") or p["title"])) in fields
            )
            rows.append(r)
    return rows


def _theme_marks(scorer, rows: list[dict]) -> dict[str, tuple]:
    by: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by[r["theme"]].append(r)
    out = {}
    for theme, rs in by.items():
        a = scorer.agg(rs)
        out[theme] = (
            a["found"],
            -a["extra"],
            a["title_ok"],
            a["day_ok"],
            round(a["recall"], 3),
            round(a["precision"], 3),
            sum(r["fields_ok"] for r in rs),
        )
    return out


def theme_only_heuristics(corpus: Path, scorer, jobs: int) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Switch each structural heuristic off in turn: which themes get worse without it (the
    score's measures, and the author, categories and tags the posts get right)?  Returns (heuristic -> themes that need it, theme -> heuristics only that theme needs)."""
    from migrator.sources.text.switches import HEURISTICS

    names = sorted(HEURISTICS)
    work = [(str(corpus), [], "")] + [(str(corpus), [h], h) for h in names]
    with ProcessPoolExecutor(max(1, jobs)) as ex:
        results = list(ex.map(_reader_rows, work))
    base = _theme_marks(scorer, results[0])
    needs: dict[str, set[str]] = {}
    only: dict[str, set[str]] = defaultdict(set)
    for h, rows in zip(names, results[1:]):
        marks = _theme_marks(scorer, rows)
        needs[h] = {t for t, m in marks.items() if any(x < y for x, y in zip(m, base[t]))}
        if len(needs[h]) == 1:
            only[next(iter(needs[h]))].add(h)
    return needs, only


def run(items: list[tuple[Path, Path, list[str]]], jobs: int) -> None:
    work = [(str(txt), str(out), disabled) for txt, out, disabled in items]
    if jobs <= 1:
        for w in work:
            convert_one(w)
        return
    with ProcessPoolExecutor(jobs) as ex:
        list(ex.map(convert_one, work, chunksize=4))


def score(scorer, base: Path, items, verbose: bool) -> list[dict]:
    rows = []
    for txt, out, _ in items:
        manifest = out / "manifest.json"
        if manifest.exists():
            for p in json.loads(manifest.read_text(encoding="utf-8")).get("problems", []):
                if p.get("severity") == "error":
                    print(f"ERROR {txt}: {p.get('code')} {p.get('message')}", file=sys.stderr)
        page = txt.name.split(".")[0]
        truth = json.loads(txt.with_name(page + ".truth.json").read_text(encoding="utf-8"))
        r = scorer.score_page(txt, truth, scorer.load_docs(out), verbose)
        r["theme"] = txt.relative_to(base).parts[0]
        rows.append(r)
    return rows


def write_docs(path: Path, results: str) -> bool:
    """Put ``results`` between the markers of ``path``; the rest of the file stays."""
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if BEGIN not in old or END not in old:
        print(f"no {BEGIN} ... {END} markers in {path}: not written", file=sys.stderr)
        return False
    head, rest = old.split(BEGIN, 1)
    path.write_text(head + f"{BEGIN}\n{results.rstrip()}\n{END}" + rest.split(END, 1)[1], encoding="utf-8")
    return True


def ok(a: dict) -> bool:
    return (
        a["found_rate"] >= GOALS["found"]
        and a["extra"] == 0
        and a["title"] >= GOALS["title"]
        and a["day"] >= GOALS["day"]
        and a["recall"] >= GOALS["recall"]
        and a["precision"] >= GOALS["precision"]
    )


def table(scorer, groups: dict[str, list[dict]], head: str) -> list[str]:
    out = [
        f"| {head} | pages | found | extra | title | day | recall | precision | merged |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, rows in groups.items():
        a = scorer.agg(rows)
        day = f"{a['day']:.3f} ({int(a['day_ok'])}/{int(a['day_n'])})" if a["day_n"] else "- (shows no dates)"
        out.append(
            f"| {name} | {int(a['pages'])} | {int(a['found'])}/{int(a['posts'])} ({a['found_rate']:.3f}) "
            f"| {int(a['extra'])} | {a['title']:.3f} | {day} "
            f"| {a['recall']:.3f} | {a['precision']:.3f} | {int(a['merged'])} |"
        )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--theme", action="append", help="only these themes")
    ap.add_argument("--tool", choices=["w3m", "chrome"], help="only this browser's dumps")
    ap.add_argument("--no-loto", action="store_true", help="skip the leave-one-theme-out runs")
    ap.add_argument("-v", "--verbose", action="store_true", help="per page, with each failure")
    ap.add_argument("--workdir", type=Path, help="keep the outputs here (default: a temporary directory)")
    ap.add_argument(
        "--docs",
        type=Path,
        default=ROOT / "docs" / "extraction.md",
        help="Markdown file whose marked block a full run rewrites ('-': print only)",
    )
    args = ap.parse_args()

    base = args.corpus / "text-themes"
    if not base.is_dir():
        print(f"no {base}", file=sys.stderr)
        return 2
    scorer = load_scorer(args.corpus)
    txts = [
        t
        for t in sorted(base.rglob("*.txt"))
        if (not args.theme or t.relative_to(base).parts[0] in args.theme)
        and (not args.tool or t.name.endswith(f".{args.tool}.txt"))
    ]
    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        items = [(t, work / "all" / t.relative_to(base).with_suffix(""), []) for t in txts]
        started = time.perf_counter()
        run(items, args.jobs)
        elapsed = time.perf_counter() - started
        rows = score(scorer, base, items, args.verbose)
        loto_rows = rows
        held: dict[str, set[str]] = {}
        needs: dict[str, set[str]] = {}
        if not args.no_loto:
            held = theme_only_rules(base)
            needs, only = theme_only_heuristics(args.corpus, scorer, args.jobs)
            for theme, hs in only.items():
                held.setdefault(theme, set()).update(hs)
            redo = [
                (t, work / "loto" / t.relative_to(base).with_suffix(""), sorted(held[t.relative_to(base).parts[0]]))
                for t in txts
                if held.get(t.relative_to(base).parts[0])
            ]
            run(redo, args.jobs)
            again = {str(r["page"]): r for r in score(scorer, base, redo, False)}
            loto_rows = [again.get(str(r["page"]), r) for r in rows]

    if args.verbose:
        for r in rows:
            rel = Path(r["page"]).relative_to(base)
            print(f"{str(rel):44s} docs={r['docs']:2d} {scorer.fmt(scorer.agg([r]))}")
            for note in r["notes"]:
                print(f"    {note}")
        print()

    themes: dict[str, list[dict]] = defaultdict(list)
    tools: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        themes[r["theme"]].append(r)
        tools[r["tool"]].append(r)
    lines = [
        f"Pages: {len(rows)} ({len(rows) / max(elapsed, 1e-9):.1f} pages/s, {elapsed:.1f} s with {args.jobs} jobs)",
        "",
    ]
    lines += table(scorer, dict(sorted(themes.items())), "theme") + [""]
    lines += table(scorer, dict(sorted(tools.items())) | {"**all**": rows}, "browser") + [""]
    loto_tools: dict[str, list[dict]] = defaultdict(list)
    loto_themes: dict[str, list[dict]] = defaultdict(list)
    for r in loto_rows:
        loto_tools[r["tool"]].append(r)
        loto_themes[r["theme"]].append(r)
    if needs:
        from migrator.sources.text.switches import HEURISTICS

        lines.append(
            "Structural heuristics, each switched off in turn: the themes whose score (or whose posts' "
            "author, categories, tags) gets worse without it (reader alone):"
        )
        lines.append("")
        lines.append("| heuristic | what it does | themes that need it |")
        lines.append("|---|---|---|")
        for h, themes_ in sorted(needs.items()):
            lines.append(f"| {h} | {HEURISTICS[h]} | {', '.join(sorted(themes_)) or '-'} |")
        lines.append("")
    lines.append(
        "Leave one theme out (each theme scored without the vocabulary rules and the structural "
        f"heuristics that only it needs: {sum(len(v) for v in held.values())} in all"
        + (
            ": " + "; ".join(f"{t}: {', '.join(sorted(v))}" for t, v in sorted(held.items()) if v)
            if any(held.values())
            else ""
        )
        + "):"
    )
    lines.append("")
    lines += table(scorer, dict(sorted(loto_themes.items())), "theme") + [""]
    lines += table(scorer, dict(sorted(loto_tools.items())) | {"**all**": loto_rows}, "browser")
    verdict = {tool: ok(scorer.agg(rs)) for tool, rs in loto_tools.items()}
    lines.append("")
    lines.append(
        "Goals (issue 23): found >= 0.95, extra 0, title >= 0.98, day >= 0.95, recall >= 0.97, precision >= 0.95 "
        "-- " + ", ".join(f"{t}: {'met' if v else 'NOT met'}" for t, v in sorted(verdict.items()))
    )
    print("\n".join(lines))
    if str(args.docs) != "-" and not (args.theme or args.tool or args.no_loto):
        write_docs(args.docs, "\n".join(lines))
    return 0 if all(verdict.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
