"""The export and the live site converted, compared with each other and with WordPress's own
rendering (issue 16): the measures of ``test_export_vs_live.py``, also runnable on their own::

    python tests/wordpress/agreement.py OUT_WXR OUT_LIVE [SITE]

prints the numbers docs/live.md quotes (front matter identical, bodies identical, word recall
and precision of each path against the REST API's ``content.rendered``).

Words are compared as multisets of lower-case word tokens: WordPress's rendering as text (the
REST HTML) against our Markdown rendered to HTML with markdown-it-py, then to text.  For the
export, what dynamic blocks generate at view time (latest posts, archives, calendar...) is left
out of WordPress's side: an export cannot hold it.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
import requests
import yaml
from lxml import etree
from markdown_it import MarkdownIt

from migrator.transforms.blocks.dynamic import is_dynamic_output
from migrator.transforms.interactive import INTERACTIVE_CLASSES, INTERACTIVE_ELEMENTS

#: Front matter fields the issue asks to agree on (``source``-specific keys such as aliases too).
FIELDS = ("title", "date", "updated", "slug", "author", "categories", "tags", "excerpt", "featured_image")
_WORD = re.compile(r"\w+")
#: What never counts as text: code the browser runs, and forms (the comment form, search, login:
#: they only work on the running WordPress; ``transforms.interactive`` says which).
_NOT_TEXT = ("script", "style", "noscript", "template", *INTERACTIVE_ELEMENTS)
_MD = MarkdownIt("commonmark").enable("table")


@dataclass
class Converted:
    """One output folder: every document by its WordPress id, as (front matter, body)."""

    root: Path
    docs: dict[str, tuple[dict, str]] = field(default_factory=dict)

    @classmethod
    def read(cls, root: Path) -> Converted:
        found = cls(root)
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        for entry in manifest["documents"]:
            text = (root / entry["path"]).read_text(encoding="utf-8")
            end = text.index("\n---\n", 3)
            found.docs[str(entry["id"])] = (yaml.safe_load(text[4 : end + 1]) or {}, text[end + 5 :])
        return found


def text_words(markup: str, skip_dynamic: bool = False) -> Counter:
    """The words of an HTML fragment (split at element edges too), as a multiset."""
    if not markup.strip():
        return Counter()
    root = lxml.html.fragment_fromstring(markup, create_parent="div")
    for el in list(root.iter(*_NOT_TEXT)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        classes = (el.get("class") or "").split()
        if any(c in INTERACTIVE_CLASSES for c in classes) or (skip_dynamic and is_dynamic_output(classes)):
            el.drop_tree()
    for el in list(root.iter(etree.Comment)):
        el.getparent().remove(el)  # keeps its tail
    return Counter(_WORD.findall(" ".join(root.itertext()).lower()))


def markdown_words(body: str) -> Counter:
    return text_words(_MD.render(body))


def rest_rendered(site: str) -> dict[str, str]:
    """``content.rendered`` of every published post and page of the site, by id."""
    found: dict[str, str] = {}
    for kind in ("posts", "pages"):
        page = 1
        while True:
            answer = requests.get(
                f"{site.rstrip('/')}/wp-json/wp/v2/{kind}",
                timeout=60,
                params={"per_page": 100, "page": page, "_fields": "id,content"},
            )
            answer.raise_for_status()
            for item in answer.json():
                found[str(item["id"])] = str(item["content"]["rendered"] or "")
            if page >= int(answer.headers.get("X-WP-TotalPages", "1")):
                break
            page += 1
    return found


def recall_precision(ours: dict[str, Counter], truth: dict[str, Counter]) -> tuple[float, float]:
    """Word recall and precision summed over the documents both hold."""
    hit = want = got = 0
    for key, words in truth.items():
        mine = ours.get(key)
        if mine is None:
            continue
        hit += sum((mine & words).values())
        want += sum(words.values())
        got += sum(mine.values())
    return (hit / want if want else 1.0), (hit / got if got else 1.0)


def front_matter_differences(wxr: Converted, live: Converted) -> dict[str, list[str]]:
    """Per document id, the front matter fields (of :data:`FIELDS`) the two disagree on."""
    out: dict[str, list[str]] = {}
    for key in sorted(set(wxr.docs) & set(live.docs), key=int):
        a, b = wxr.docs[key][0], live.docs[key][0]
        fields = [f for f in FIELDS if a.get(f) != b.get(f)]
        if fields:
            out[key] = fields
    return out


def body_differences(wxr: Converted, live: Converted) -> list[str]:
    """The ids of documents whose bodies differ."""
    return [k for k in sorted(set(wxr.docs) & set(live.docs), key=int) if wxr.docs[k][1] != live.docs[k][1]]


def measure(wxr_root: Path, live_root: Path, site: str) -> dict:
    wxr, live = Converted.read(wxr_root), Converted.read(live_root)
    rendered = rest_rendered(site)
    truth = {k: text_words(v) for k, v in rendered.items()}
    static_truth = {k: text_words(v, skip_dynamic=True) for k, v in rendered.items()}
    live_words = {k: markdown_words(body) for k, (_fm, body) in live.docs.items()}
    wxr_words = {k: markdown_words(body) for k, (_fm, body) in wxr.docs.items()}
    common = set(wxr.docs) & set(live.docs)
    fm = front_matter_differences(wxr, live)
    bodies = body_differences(wxr, live)
    return {
        "documents": (len(wxr.docs), len(live.docs), len(common)),
        "live": recall_precision(live_words, truth),
        "export": recall_precision(wxr_words, static_truth),
        "front_matter_identical": len(common) - len(fm),
        "front_matter_differences": fm,
        "bodies_identical": len(common) - len(bodies),
        "body_differences": bodies,
    }


def main(argv: list[str]) -> int:
    wxr_root, live_root = Path(argv[0]), Path(argv[1])
    site = argv[2] if len(argv) > 2 else "http://127.0.0.1:8088/"
    m = measure(wxr_root, live_root, site)
    n = m["documents"][2]
    print(f"documents: export {m['documents'][0]}, live {m['documents'][1]}, both {n}")
    print("live vs WordPress: recall %.4f precision %.4f" % m["live"])
    print("export vs WordPress (dynamic blocks left out): recall %.4f precision %.4f" % m["export"])
    print(f"front matter identical: {m['front_matter_identical']}/{n}")
    for key, fields in m["front_matter_differences"].items():
        print(f"  {key}: {', '.join(fields)}")
    print(f"bodies identical: {m['bodies_identical']}/{n} ({100 * m['bodies_identical'] / max(n, 1):.1f} %)")
    print("  differ:", " ".join(m["body_differences"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
