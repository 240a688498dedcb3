"""The WordPress filter chain of this package against the one of :data:`BASE_COMMIT` (before
the fourth round of issue 20 made it faster), input by input: the output must be byte-identical.

The package of that commit is extracted from git into a temporary directory (as
:mod:`tests.render.differential` does), then every content of the inputs goes through the old
and the new ``apply_content_filters`` (with several options) and through each filter alone
(wptexturize, wpautop, do_shortcodes, render_blocks, autoembed, shortcode_unautop, ...), and
the titles, excerpts and comments through their filters.  Output, problems reported and any
exception must be equal.  Besides the exports, seeded random strings made of the pieces the
fast paths look for (quotes, brackets, shortcodes, ``<pre>``, block comments, URLs, ...).

    python -m tests.transforms.filters_differential [--random N] [INPUT...]
    (no INPUT: /tmp/perfx/wxr2k.xml, the shared corpus's exports, the real WordPress's export
    and fixtures/**/*.xml, those that exist)
"""

from __future__ import annotations

import importlib
import random
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from migrator.model import Comment, Document, Site
from migrator.sources import read_inputs
from tests.render.differential import ROOT, old_package

#: The commit whose filters the new ones must equal (main before the fourth round of issue 20).
BASE_COMMIT = "d11cee9a00099fa0d4fcadc150bdc14c8b5242b9"
OLD = "migrator_d11"

#: Options the whole chain runs with (every one with ``jobs=1``).
VARIANTS: tuple[dict, ...] = (
    {},
    {"embed_style": "html"},
    {"shortcodes": "keep"},
    {"texturize": False},
)


def default_inputs() -> list[Path]:
    shared = ROOT.parent / "shared"
    found = [Path("/tmp/perfx/wxr2k.xml")]
    found += sorted(p for p in (shared / "corpus").rglob("*") if p.suffix in (".xml", ".wxr") and p.is_file())
    found.append(Path("/root/.cache/realwp/export.xml"))
    found += sorted((ROOT / "fixtures").rglob("*.xml"))
    return [p for p in found if p.is_file()]


@dataclass
class Package:
    """One side of the comparison: the ``migrator`` package of some commit."""

    name: str

    def mod(self, name: str) -> ModuleType:
        return importlib.import_module(f"{self.name}.{name}")

    def options(self, variant: dict):
        return self.mod("options").Options(jobs=1, **variant)

    def context(self, doc: Document, variant: dict, index=None):
        ctx = self.mod("transforms").Context(doc=doc, options=self.options(variant))
        if index is not None:
            ctx.site, ctx.attachments, ctx.reusable_blocks = index.site, index.attachments, index.reusable_blocks
        return ctx


@dataclass
class Tally:
    inputs: int = 0  # texts (contents, titles, excerpts, comments, random strings)
    comparisons: int = 0
    differences: list[str] = field(default_factory=list)


def _outcome(call: Callable[[], object], ctx=None) -> tuple:
    try:
        out = call()
    except Exception as exc:  # the same exception on both sides is the same behaviour
        out = f"raised {type(exc).__name__}: {exc}"
    problems = [(p.severity, p.code, p.message) for p in ctx.problems] if ctx is not None else []
    return out, problems


def _checks(pkg: Package, doc: Document, index) -> Iterator[tuple[str, tuple]]:
    """(name, outcome) of every filter this package has for ``doc``."""
    wordpress = pkg.mod("transforms.wordpress")
    shortcodes = pkg.mod("transforms.shortcodes")
    blocks = pkg.mod("transforms.blocks")
    texturize = pkg.mod("transforms.texturize")
    wpautop = pkg.mod("transforms.wpautop")
    grammar = pkg.mod("transforms.shortcodes.grammar")
    text = doc.content
    for variant in VARIANTS:
        ctx = pkg.context(doc, variant, index)
        yield f"apply_content_filters{variant}", _outcome(lambda: wordpress.apply_content_filters(ctx), ctx)
    ctx = pkg.context(doc, {}, index)
    registry = shortcodes.registry_for(ctx.options)
    names = registry.names()
    yield "apply_title_filters", _outcome(lambda: wordpress.apply_title_filters(ctx))
    yield "apply_excerpt_filters", _outcome(lambda: wordpress.apply_excerpt_filters(ctx))
    yield "apply_comment_filters", _outcome(lambda: wordpress.apply_comment_filters(doc, ctx.options))
    yield "wptexturize", _outcome(lambda: texturize.wptexturize(text, names))
    yield "wptexturize()", _outcome(lambda: texturize.wptexturize(text))
    yield "texturize_plain", _outcome(lambda: texturize.texturize_plain(text))
    yield "capital_p_dangit", _outcome(lambda: texturize.capital_p_dangit(text))
    yield "wpautop", _outcome(lambda: wpautop.wpautop(text))
    yield "wpautop(br=False)", _outcome(lambda: wpautop.wpautop(text, br=False))
    yield "replace_in_html_tags", _outcome(lambda: wpautop.replace_in_html_tags(text, "\n", "<!-- nl -->"))
    yield "shortcode_unautop", _outcome(lambda: shortcodes.shortcode_unautop(text, names))
    yield "unknown_shortcodes", _outcome(lambda: sorted(shortcodes.unknown_shortcodes(text, registry).items()))
    yield "shortcodes_used", _outcome(lambda: sorted(shortcodes.shortcodes_used(text, registry).items()))
    yield "escape_brackets_in_tags", _outcome(lambda: grammar.escape_brackets_in_tags(text))
    yield "names_in", _outcome(lambda: grammar.names_in(text, names))
    for name, call in (
        ("do_shortcodes", lambda c: shortcodes.do_shortcodes(text, c, registry)),
        ("autoembed", lambda c: shortcodes.autoembed(text, c)),
        ("embed_wrapped_urls", lambda c: shortcodes.embed_wrapped_urls(text, c)),
        ("render_blocks", lambda c: blocks.render_blocks(text, c)),
        ("protect_code_shortcodes", lambda c: shortcodes.protect_code_shortcodes(text, c, registry)),
    ):
        for variant in ({}, {"embed_style": "html"}):
            c = pkg.context(doc, variant, index)
            yield f"{name}{variant}", _outcome(lambda: call(c), c)


def compare(old: Package, new: Package, doc: Document, where: str, tally: Tally, index=None) -> None:
    tally.inputs += 1
    for (name, before), (_, after) in zip(_checks(old, doc, index), _checks(new, doc, index), strict=True):
        tally.comparisons += 1
        if before != after:
            tally.differences.append(f"{where}: {name}\n  old {before!r:.600}\n  new {after!r:.600}")


def compare_export(old: Package, new: Package, path: Path, tally: Tally) -> None:
    index = new.mod("plan.index").build_index([path], new.options({}), [])
    for doc in read_inputs([path], Site(), [], None):
        compare(old, new, doc, f"{path} {doc.id}", tally, index)


#: What random texts are made of: the characters and pieces each filter and fast path looks for.
PIECES = (
    *" \n\n\n\t\xa0'\"`-.,;:!?()[]{}<>/=&x0123456789",
    "a", "word", "it's", "'tis", "''", "``", "...", "--", "---", " - ", "9x9", "1x", "x2", "'99", "'99'",
    '"42"', "7'", '7"', "(tm)", "&nbsp;", "&amp;", "&#91;", "&#93;", "&#091;", "&lt;", "&gt;", "&", "é",
    "Ω", "船", "\u200b", "\r\n", "\r", "Wordpress", " Wordpress", "<p>", "</p>", "<p class=\"x\">", "<br />",
    "<br>", "<br/>", "<div>", "</div>", "<li>", "</li>", "<ul>", "</ul>", "<blockquote>", "</blockquote>",
    "<pre>", "</pre>", "<pre class=\"x\">", "<code>", "</code>", "<kbd>", "</kbd>", "<tt>", "</tt>",
    "<script>", "</script>", "<style>", "</style>", "<textarea>", "</textarea>", "<svg>", "</svg>",
    "<option>", "</option>", "<object>", "</object>", "<embed>", "<source>", "<video>", "</video>",
    "<figcaption>", "</figcaption>", "<hr>", "<hr />", "<table>", "</table>", "<strong>", "</strong>",
    "<a href=\"http://e.com/\">", "</a>", "<img src=\"a.jpg\" alt=\"it's\">", "<img\nsrc=x>", "<b\n>",
    "<!--", "-->", "<!-- c -->", "<!--more-->", "<!-- a\nb -->", "<![CDATA[", "]]>", "<!", "<",
    "<!-- wp:paragraph -->", "<!-- /wp:paragraph -->", "<!-- wp:code -->", "<!-- /wp:code -->",
    "<!-- wp:embed {\"url\":\"https://youtu.be/abcdefg\"} -->", "<!-- /wp:embed -->", "<!-- wp:separator /-->",
    "<!-- wp:shortcode -->", "<!-- /wp:shortcode -->", "<!-- wp:Bad -->", "<!-- wp-line-break -->",
    "<!--wp-ae-0-->", "<pre wp-pre-tag-0></pre>", "<pre wp-sc-code-0></pre>",
    '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">',
    '<DIV CLASS="WP-BLOCK-EMBED__WRAPPER">', "</div></figure>",
    "https://youtu.be/abcdefg", "https://www.youtube.com/watch?v=abcdefgh", "HTTPS://VIMEO.COM/12345",
    "http://example.com/a.mp3", "http://example.com/v.mp4", "https://example.com/page", "httpſ://youtu.be/abcdefg",
    "https://twitter.com/x/status/1", "http://", "https://youtu.be/a&amp;b",
    "[caption id=\"a\" width=\"300\"]", "[/caption]", "[gallery ids=\"1,2\"]", "[embed]", "[/embed]",
    "[audio src=\"a.mp3\"]", "[video]", "[/video]", "[playlist]", "[code]", "[/code]", "[php]", "[/php]",
    "[sourcecode language=\"py\"]", "[/sourcecode]", "[[caption]]", "[[code]]", "[unknown_sc a=1]",
    "[/unknown_sc]", "[top]", "[simple boat]", "[x/]", "[wp_caption]", "[/wp_caption]", "[caption",
    "[embed]https://youtu.be/abcdefg[/embed]", "[ ", " ]", "[/", "[[", "]]",
    "<P>", "<BR>", "<BLOCKQUOTE>", "</BLOCKQUOTE>", "<p><blockquote>", "</blockquote></p>", "<li", "<link>",
    "<track>", "<math>", "</form>", "</address>", "<hr/>", "<br\n/>", "<option", "</object", "<a title=\"[x]\">",
    "<!-- [x] -->", "<!-- > [x] -->", "<![CDATA[x]]>", "\u2028", "\x0b", "\x1c", "\x85", "<br /> \n", "<br />\n\n",
    "  \n  ", "Httpſ://", "hTTp://youtu.be/abcdefg", ">https://youtu.be/abcdefg", "ftp://", "://", "x://",
    "1x2", "10x20 ", "0x1", "a x 2", "&#91;x&#93;", "&#9", "'em", "'tis", "\"'", "--x", "x--", "xn--",
)  # fmt: skip


def random_text(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(1, rng.choice((8, 30, 90)))))


def compare_random(old: Package, new: Package, count: int, tally: Tally, seed: int = 20) -> None:
    rng = random.Random(seed)
    for i in range(count):
        text = random_text(rng)
        doc = Document(
            id=f"r{i}",
            title=random_text(rng) if i % 3 == 0 else "",
            excerpt=random_text(rng) if i % 5 == 0 else "",
            content=text,
            comments=[Comment(id="1", author="a", date=None, content=random_text(rng))] if i % 7 == 0 else [],
        )
        compare(old, new, doc, f"random #{i} {text!r}", tally)


def main(argv: list[str]) -> int:
    count = 3000
    if argv[:1] == ["--random"]:
        count, argv = int(argv[1]), argv[2:]
    paths = [Path(a) for a in argv] or default_inputs()
    with tempfile.TemporaryDirectory() as tmp:
        if old_package(Path(tmp), BASE_COMMIT, OLD) is None:
            print("git archive of", BASE_COMMIT, "failed")
            return 2
        old, new = Package(OLD), Package("migrator")
        tally = Tally()
        for path in paths:
            before = (tally.inputs, tally.comparisons, len(tally.differences))
            try:
                compare_export(old, new, path, tally)
            except Exception as exc:  # an input the readers refuse (fixtures/bad): nothing to filter
                print(f"{path}: not read ({type(exc).__name__}: {exc})")
                continue
            print(f"{path}: {tally.inputs - before[0]} documents, {len(tally.differences) - before[2]} differ")
        exports = tally.inputs
        compare_random(old, new, count, tally)
    for difference in tally.differences[:20]:
        print(difference)
    print(
        f"{tally.inputs} inputs ({exports} documents of {len(paths)} exports, {tally.inputs - exports} random texts), "
        f"{tally.comparisons} comparisons, {len(tally.differences)} differ"
    )
    return 1 if tally.differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
