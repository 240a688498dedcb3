"""Pathological posts through the whole pipeline: deep nesting and one very large post.

Each case is one post in a WXR export, converted by ``migrator convert`` in a subprocess; the
CPU time (user + system, ``resource.getrusage``: on a shared, loaded machine wall time says more
about the neighbours than about the code), the wall time and the peak memory (max RSS) of the
conversion are measured, and whether the post was written with its text.

    python benchmarks/nesting.py [--only NAME] [--root DIR] [--timeout SECONDS]

``--root`` converts with the migrator checked out in DIR (to compare with another commit);
``--timeout`` stops a case after that many wall seconds (default 300; reported as a timeout).
Cases: ``div-2000`` (2,000 nested ``<div>``), ``li-200000`` (200,000 nested list items),
``div-200000``, ``post-10mb`` (10 MB of ordinary paragraphs, lists, tables and links),
``details-N`` (N nested ``<details>``, each with a summary and a paragraph) and ``table-N`` (N
tables, each nested in a cell of the one around it, with a paragraph in each cell).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _big_post(size: int) -> str:
    chunk = (
        "<p>Harbour notes with a <a href='https://example.com/x'>link</a>, <em>emphasis</em> and "
        "<code>snake_case</code> words.</p>\n<ul><li>one</li><li>two <strong>bold</strong></li></ul>\n"
        "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>\n"
        "<h2>A heading</h2>\n<blockquote><p>Quoted text.</p></blockquote>\n"
    )
    return chunk * (size // len(chunk) + 1)


def _details(depth: int) -> str:
    return "".join(f"<details><summary>level {i}</summary><p>text {i}</p>" for i in range(depth)) + "</details>" * depth


def _tables(depth: int) -> str:
    return (
        "".join(f"<table><tr><th>head {i}</th></tr><tr><td><p>cell {i}</p>" for i in range(depth))
        + "</td></tr></table>" * depth
    )


CASES = {
    "div-2000": lambda: "<div>" * 2000 + "deep text" + "</div>" * 2000,
    "li-200000": lambda: "<ul><li>item" * 200_000 + "</li></ul>" * 200_000,
    "div-200000": lambda: "<div>" * 200_000 + "deep text" + "</div>" * 200_000,
    "post-10mb": lambda: _big_post(10_000_000),
    "details-12": lambda: _details(12),
    "details-30": lambda: _details(30),
    "table-40": lambda: _tables(40),
}


def export(content: str) -> str:
    cdata = "<![CDATA[" + content.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Nesting</title><link>https://nesting.example</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://nesting.example</wp:base_site_url>
<item><title>Deep</title><link>https://nesting.example/deep/</link><wp:post_id>1</wp:post_id>
<wp:post_date>2024-01-01 00:00:00</wp:post_date><wp:post_name>deep</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<content:encoded>{cdata}</content:encoded></item>
</channel></rss>
"""


def run_case(name: str, root: Path, timeout: float = 300) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        wxr = Path(tmp) / f"{name}.xml"
        wxr.write_text(export(CASES[name]()), encoding="utf-8")
        out = Path(tmp) / "out"
        code = (
            "import resource, runpy, sys; sys.argv = ['migrator'] + sys.argv[1:]\n"
            "try:\n    runpy.run_module('migrator', run_name='__main__')\n"
            "finally:\n    print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
        )
        env = dict(os.environ, PYTHONPATH=str(root))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", code, "convert", str(wxr), "-o", str(out), "-q"],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            _, stderr = proc.communicate(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            proc.kill()
            _, stderr = proc.communicate()
            timed_out = True
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        rss = next((int(line.split()[1]) for line in stderr.splitlines() if line.startswith("MAXRSS")), 0)
        manifest = json.loads((out / "manifest.json").read_text()) if (out / "manifest.json").is_file() else {}
        docs = manifest.get("documents", [])
        text = (out / docs[0]["path"]).read_text() if docs else ""
        problems = sorted({p["code"] for p in manifest.get("problems", [])})
        return {
            "case": name,
            "exit": "timeout" if timed_out else proc.returncode,
            "cpu_seconds": round(cpu, 1),
            "wall_seconds": round(seconds, 1),
            "max_rss_mb": rss // 1024,
            "written": bool(docs),
            "markdown_bytes": len(text.encode()),
            "problems": problems,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="")
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args(argv)
    for name in CASES:
        if args.only in name:
            print(json.dumps(run_case(name, args.root.resolve(), args.timeout)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
