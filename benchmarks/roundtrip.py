"""CommonMark spec round trip through the whole pipeline.

Each example of the CommonMark spec is rendered to HTML by markdown-it-py, put in a post of a
WXR export as a Custom HTML block, converted by ``migrator convert``; the Markdown migrator
wrote is rendered again by markdown-it-py and compared with the first HTML, both normalised
(see :func:`canonical`). An example passes when the two are the same.

Not differences (the pipeline's intended work, or what Markdown cannot say): relative URLs
that the pipeline makes absolute against the site, links without text or without a target that
it drops (and a paragraph left empty by that), whitespace HTML ignores, an image's empty ``alt``
against none, ``<b>``/``<i>`` against ``<strong>``/``<em>``; and the spec sections "HTML blocks"
and "Raw HTML" are left out (raw HTML is sanitised and re-formed by design: 64 examples).

The spec examples come from the test data of markdown-it-py's source distribution (the version
installed), downloaded with pip at run time into a cache folder; nothing of the spec is kept in
this repository.

Usage:  python benchmarks/roundtrip.py [--docs docs/fidelity.md] [--show SECTION] [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from html import escape
from pathlib import Path
from urllib.parse import unquote, urljoin

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from markdown_it import MarkdownIt
from markdown_it import __version__ as MARKDOWN_IT_VERSION

ROOT = Path(__file__).resolve().parent.parent
SITE = "https://roundtrip.example"
EXCLUDED_SECTIONS = ("HTML blocks", "Raw HTML")
START, END = "<!-- roundtrip:start -->", "<!-- roundtrip:end -->"
_md = MarkdownIt("commonmark")


def spec_examples(cache: Path) -> list[dict]:
    """The spec examples (``commonmark.json`` of markdown-it-py's sdist), downloaded once."""
    target = cache / f"markdown-it-py-{MARKDOWN_IT_VERSION}-commonmark.json"
    if not target.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--quiet",
                    "--no-deps",
                    "--no-binary",
                    ":all:",
                    "-d",
                    tmp,
                    f"markdown-it-py=={MARKDOWN_IT_VERSION}",
                ],
                check=True,
            )
            sdist = next(Path(tmp).glob("markdown_it_py-*.tar.gz"))
            with tarfile.open(sdist) as tar:
                member = next(m for m in tar.getmembers() if m.name.endswith("test_cmark_spec/commonmark.json"))
                data = tar.extractfile(member).read()  # type: ignore[union-attr]
        target.write_bytes(data)
    return json.loads(target.read_text(encoding="utf-8"))


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def export(examples: list[dict]) -> str:
    """A WXR export with one post per example, its HTML as a Custom HTML block."""
    items = []
    for ex in examples:
        n = ex["example"]
        html = _md.render(ex["markdown"])
        items.append(f"""<item><title>Example {n}</title><link>{SITE}/ex-{n}/</link>
<dc:creator>{_cdata("admin")}</dc:creator><guid isPermaLink="false">{SITE}/?p={n}</guid>
<content:encoded>{_cdata("<!-- wp:html -->" + html + "<!-- /wp:html -->")}</content:encoded>
<excerpt:encoded>{_cdata("")}</excerpt:encoded><wp:post_id>{n}</wp:post_id>
<wp:post_date>2024-01-01 00:00:00</wp:post_date><wp:post_date_gmt>2024-01-01 00:00:00</wp:post_date_gmt>
<wp:post_name>ex-{n}</wp:post_name><wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent>
<wp:post_type>post</wp:post_type></item>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Round trip</title><link>{SITE}</link><description>{escape("spec")}</description>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>{SITE}</wp:base_site_url>
<wp:base_blog_url>{SITE}</wp:base_blog_url>
{chr(10).join(items)}
</channel></rss>
"""


def convert(examples: list[dict], work: Path) -> dict[int, str]:
    """Run ``migrator convert`` on the export; the Markdown body of each example's post."""
    wxr = work / "spec.xml"
    wxr.write_text(export(examples), encoding="utf-8")
    out = work / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    # --no-texturize: the round trip measures the renderer; wptexturize changes the text itself
    # (``--`` to a dash, straight to curly quotes) as WordPress displays it, on purpose
    cmd = [sys.executable, "-m", "migrator", "convert", str(wxr), "-o", str(out), "-q", "--no-texturize"]
    subprocess.run(cmd, cwd=ROOT, env=env, check=False)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    bodies: dict[int, str] = {}
    for doc in manifest["documents"]:
        text = (out / doc["path"]).read_text(encoding="utf-8")
        if text.startswith("---\n"):
            text = text.split("\n---\n", 1)[1]
        bodies[int(doc["id"])] = text
    return bodies


_BLOCKS = {
    "p",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
}
_WS = re.compile(r"[ \t\n\r\f]+")


def canonical(html: str, base: str) -> str:
    """HTML as a comparable string: URLs resolved against ``base``, empty links unwrapped or
    dropped, whitespace HTML ignores collapsed, attributes sorted."""
    soup = BeautifulSoup(html, "html.parser")
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    for a in soup.find_all("a"):
        if not a.get("href"):
            a.unwrap()
        elif not a.get_text().strip() and a.find("img") is None:
            a.decompose()
    for p in soup.find_all("p"):
        if not p.get_text().strip() and p.find(True) is None:
            p.decompose()  # what is left of a paragraph that held only such a link
    for img in soup.find_all("img", alt=""):
        del img["alt"]  # Markdown has no image without alt text: empty alt is the same
    for tag in soup.find_all(["b", "i"]):
        tag.name = {"b": "strong", "i": "em"}[tag.name]  # the same to every reader
    out: list[str] = []
    _serialise(soup, base, out, in_pre=False)
    return "".join(out).strip()


def _serialise(node: Tag, base: str, out: list[str], in_pre: bool) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            text = str(child)
            if not in_pre:
                text = _WS.sub(" ", text)
                prev, nxt = child.previous_sibling, child.next_sibling
                if prev is None and node.name in _BLOCKS or isinstance(prev, Tag) and prev.name in _BLOCKS | {"br"}:
                    text = text.lstrip(" ")
                if nxt is None and node.name in _BLOCKS or isinstance(nxt, Tag) and nxt.name in _BLOCKS | {"br"}:
                    text = text.rstrip(" ")
            out.append(escape(text, quote=False))
            continue
        attrs = []
        for key in sorted(child.attrs):
            value = child.attrs[key]
            value = " ".join(value) if isinstance(value, list) else value
            if key in ("href", "src"):
                value = unquote(urljoin(base, value))
            attrs.append(f' {key}="{escape(value)}"')
        out.append(f"<{child.name}{''.join(attrs)}>")
        _serialise(child, base, out, in_pre or child.name == "pre")
        out.append(f"</{child.name}>")


def run(cache: Path) -> list[tuple[dict, bool, str, str]]:
    examples = [ex for ex in spec_examples(cache) if ex["section"] not in EXCLUDED_SECTIONS]
    with tempfile.TemporaryDirectory() as tmp:
        bodies = convert(examples, Path(tmp))
    results = []
    for ex in examples:
        n = ex["example"]
        base = f"{SITE}/ex-{n}/"
        want = canonical(_md.render(ex["markdown"]), base)
        got = canonical(_md.render(bodies.get(n, "")), base)
        results.append((ex, want == got, want, got))
    return results


def report(results: list[tuple[dict, bool, str, str]]) -> str:
    total, passed = Counter(), Counter()
    for ex, ok, _, _ in results:
        total[ex["section"]] += 1
        passed[ex["section"]] += ok
    n, p = len(results), sum(passed.values())
    rows = [f"| {s} | {passed[s]} | {total[s]} | {passed[s] / total[s]:.3f} |" for s in total]
    return "\n".join(
        [
            f"Overall: **{p} of {n} = {p / n:.3f}** (markdown-it-py {MARKDOWN_IT_VERSION}'s spec examples, "
            f"without {' and '.join(EXCLUDED_SECTIONS)}).",
            "",
            "| section | passed | examples | ratio |",
            "|---|---|---|---|",
            *rows,
        ]
    )


DOCS_HEAD = """## CommonMark spec round trip

Each example of the CommonMark spec (from markdown-it-py's test data) rendered to HTML by
markdown-it-py, put in a post as a Custom HTML block, converted by `migrator convert`, rendered
again and compared as normalised HTML (what is not a difference: `benchmarks/roundtrip.py`).
Produced by (the spec examples are downloaded by pip at run time):

```sh
.venv/bin/python benchmarks/roundtrip.py --docs docs/fidelity.md
```

Before the fixes of issue 17 (the same benchmark on the commit before them): 544 of 588 = 0.925,
lists 12 of 26, code spans 17 of 22, fenced code blocks 23 of 29, block quotes 22 of 25.
"""


def write_docs(path: Path, text: str) -> None:
    """Replace the round-trip section of ``path`` (between its markers) by ``text``."""
    doc = path.read_text(encoding="utf-8")
    section = f"{START}\n{DOCS_HEAD}\n{text}\n{END}"
    if START in doc and END in doc:
        doc = doc[: doc.index(START)] + section + doc[doc.index(END) + len(END) :]
    else:
        doc = doc.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(doc, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, help="write the per-section table into this file")
    parser.add_argument(
        "--show",
        default="",
        help="print the failing examples of the sections whose name contains this (all: every section)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "migrator-bench",
        help="where the downloaded spec examples are kept",
    )
    args = parser.parse_args(argv)
    results = run(args.cache)
    if args.show:
        for ex, ok, want, got in results:
            if not ok and (args.show == "all" or args.show.lower() in ex["section"].lower()):
                print(f"--- example {ex['example']} ({ex['section']})\n{ex['markdown']!r}\n want {want}\n  got {got}\n")
    text = report(results)
    print(text)
    if args.docs:
        write_docs(args.docs, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
