"""The conversion baseline: a fixed set of conversions whose output a refactor must keep byte-identical.

    python benchmarks/baseline.py DIR            # write every conversion's output tree under DIR
    diff -r BEFORE AFTER                          # compare two such runs

Each case is one `migrator convert` (or `validate` / `inspect` / `check`) run on an input of
`fixtures/` or, when it is beside the repository, `../shared/corpus`; its output folder and its
stdout/stderr/exit code land in DIR/<case>/.  Cases run in parallel (``--jobs``).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
MIGRATOR = [sys.executable, "-m", "migrator"]


def _inputs() -> list[tuple[str, list[str], list[str]]]:
    """(name, inputs, extra options) for every conversion case."""
    fx = ROOT / "fixtures"
    cases: list[tuple[str, list[str], list[str]]] = []
    for path in sorted(fx.rglob("*")):
        if path.is_dir() or path.suffix not in {".xml", ".html", ".txt", ".gz"}:
            continue
        if "mirror" in path.parts:
            continue
        rel = path.relative_to(fx)
        cases.append((f"fx-{rel}", [str(path)], []))
    cases.append(("fx-mirror", [str(fx / "html" / "mirror")], []))
    cases.append(("fx-split", [str(fx / "split")], []))
    if SHARED.is_dir():
        for path in sorted((SHARED / "wxr").rglob("*.xml")):
            cases.append((f"wxr-{path.relative_to(SHARED / 'wxr')}", [str(path)], []))
        for path in sorted((SHARED / "html").rglob("*.html")):
            if path.name.endswith(".gold.html") or path.name == "expected.html":
                continue
            cases.append((f"html-{path.relative_to(SHARED / 'html')}", [str(path)], ["--from", "html"]))
        for path in sorted((SHARED / "seed").glob("*.txt")):
            cases.append((f"seed-{path.name}", [str(path)], ["--from", "text"]))
        for path in sorted((SHARED / "themes").rglob("*.html")):
            cases.append((f"themes-{path.relative_to(SHARED / 'themes')}", [str(path)], ["--from", "html"]))
        for path in sorted((SHARED / "text-themes").rglob("*.txt")):
            rel = path.relative_to(SHARED / "text-themes")
            cases.append((f"text-{rel}", [str(path)], ["--from", "text"]))
    # option variations on a rich export
    rich = SHARED / "wxr" / "theme-test-data" / "themeunittestdata.wordpress.xml"
    rich = rich if rich.is_file() else fx / "sample-export.xml"
    blocks = SHARED / "wxr" / "theme-test-data" / "64-block-test-data.xml"
    blocks = blocks if blocks.is_file() else fx / "sample-export.xml"
    for target in ("plain", "hugo", "jekyll", "astro", "eleventy", "mkdocs", "pelican"):
        cases.append((f"target-{target}", [str(rich)], ["--target", target, "--scaffold", "--comments", "data"]))
    cases.append(
        ("target-hugo-toml-inline", [str(rich)], ["--target", "hugo", "--front-matter", "toml", "--comments", "inline"])
    )
    cases.append(
        (
            "opts-html-styles",
            [str(rich)],
            ["--figure-style", "html", "--embed-style", "html", "--include-drafts", "--include-private"],
        )
    )
    cases.append(("opts-hugo-figures", [str(blocks)], ["--figure-style", "hugo", "--shortcodes", "keep"]))
    cases.append(
        (
            "opts-absolute",
            [str(rich)],
            [
                "--link-style",
                "absolute",
                "--base-url",
                "https://new.example/blog/",
                "--old-url",
                "https://wpthemetestdata.wordpress.com/",
                "--redirects",
                "netlify,nginx,apache,caddy,csv",
            ],
        )
    )
    cases.append(("opts-layout", [str(rich)], ["--layout", "{type}/{year}/{month}/{slug}.md"]))
    cases.append(("opts-jobs2", [str(blocks)], ["--jobs", "2"]))
    cases.append(("opts-explain", [str(fx / "text" / "magazine_index.txt")], ["--explain"]))
    return cases


def _rel(path: str) -> str:
    """``path`` relative to the checkout, so that two checkouts write the same manifests."""
    return os.path.relpath(path, ROOT) if os.path.isabs(path) else path


def _run(case: tuple[str, list[str], list[str]], dest: Path) -> None:
    name, inputs, extra = case
    inputs = [_rel(i) for i in inputs]
    safe = name.replace("/", "__")
    folder = dest / safe
    folder.mkdir(parents=True)
    out = folder / "out"
    env = dict(os.environ, PYTHONHASHSEED="0", COLUMNS="100")
    proc = subprocess.run(
        MIGRATOR + ["convert", *inputs, "-o", str(out), "-q", "--jobs", "1", *extra]
        if "--jobs" not in extra
        else MIGRATOR + ["convert", *inputs, "-o", str(out), "-q", *extra],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    text = proc.stdout + proc.stderr
    (folder / "convert.txt").write_text(f"exit {proc.returncode}\n{text.replace(str(dest), 'DEST')}")
    if inputs[0].endswith((".xml", ".gz")) or (ROOT / inputs[0]).is_dir():
        for cmd in (["validate", "--format", "json"], ["inspect"]):
            proc = subprocess.run(MIGRATOR + cmd + inputs, capture_output=True, text=True, cwd=ROOT, env=env)
            (folder / f"{cmd[0]}.txt").write_text(f"exit {proc.returncode}\n{proc.stdout}{proc.stderr}")
    if out.is_dir():
        env["PYTHONPATH"] = str(ROOT)
        proc = subprocess.run(MIGRATOR + ["check", "out"], capture_output=True, text=True, cwd=folder, env=env)
        (folder / "check.txt").write_text(f"exit {proc.returncode}\n{proc.stdout}{proc.stderr}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--only", default="", help="run only the cases whose name contains this")
    args = parser.parse_args()
    dest = args.dest.resolve()
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    cases = [c for c in _inputs() if args.only in c[0]]
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for _ in pool.map(lambda c: _run(c, dest), cases):
            pass
    print(f"{len(cases)} cases written to {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
