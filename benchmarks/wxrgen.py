"""A deterministic generator of realistic WordPress exports (WXR 1.2) of any size.

Every item is a pure function of ``(seed, id)``, so the same command always writes the same
bytes and any item can link to any other (earlier or later) by its real permalink.  The mix
follows what real exports hold: posts and pages of three WordPress eras (2000s classic content
stored for wpautop, with ``[caption]``, ``[gallery]``, ``[embed]`` and bare embed URLs; 2010s
classic-editor HTML with ``srcset`` images and size suffixes; 2019+ block markup with images,
galleries, lists, quotes, code, tables and embeds), attachments, comments, revisions, menu
items, drafts, private posts and a few reusable blocks.  Internal links come in every form
WordPress content has: permalinks, ``http``/``https``, ``www.``, site-relative, ``?p=N``,
``?page_id=N``, ``?attachment_id=N``, attachment pages, fragments.  Titles and text mix Latin,
accented, Cyrillic, Greek, CJK and emoji.  Posts average about 6 KB of HTML.

Usage:  python benchmarks/wxrgen.py ITEMS OUT.xml [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

HOST = "perf.example.com"
SITE = f"https://{HOST}"
START = datetime(2006, 3, 1, 9, 0, 0)
END = datetime(2024, 6, 1, 9, 0, 0)

_WORDS = (
    "harbour tide boat rope anchor keel mast sail deck hull wave fog light buoy chart compass "
    "north south wind gale calm morning evening ferry island pier dock crane cargo net fish "
    "gull lighthouse keeper storm weather river estuary bridge lock canal barge engine diesel "
    "timber varnish paint brush tool knot splice shackle winch cleat bollard quay slipway "
    "season summer winter spring autumn village town market café naïve façade résumé Zürich "
    "Ålesund São Kraków Straße мост гавань θάλασσα λιμάνι 港 船 海 灯台 the a of and to in is "
    "was for on with as by at from that this it we our they their were have had been will "
    "would could should about after before over under between through during without within"
).split()
_EMOJI = ["⚓", "🌊", "⛵", "🐟", "☕", "🌫️"]
_LANGS = ["python", "bash", "javascript", "php", "css", "sql"]
_VIDEO = ["https://www.youtube.com/watch?v={}", "https://vimeo.com/{}", "https://youtu.be/{}"]


def _rng(seed: int, item: int, salt: int = 0) -> random.Random:
    return random.Random(seed * 1_000_003 + item * 7919 + salt)


class Generator:
    """Items 1..n of one synthetic site (ids are WordPress post ids)."""

    def __init__(self, n: int, seed: int = 1):
        self.n = max(1, n)
        self.seed = seed
        rng = random.Random(seed)
        self.sentences = [self._sentence(rng) for _ in range(3000)]

    # ------------------------------------------------------------------ per-id facts

    def kind(self, i: int) -> str:
        """post, page, attachment, revision, nav_menu_item, wp_block, draft or private."""
        r = _rng(self.seed, i, 1).random()
        if i <= 3:
            return "page"
        for limit, kind in (
            (0.52, "post"),
            (0.58, "page"),
            (0.83, "attachment"),
            (0.90, "revision"),
            (0.94, "nav_menu_item"),
            (0.945, "wp_block"),
            (0.975, "draft"),
        ):
            if r < limit:
                return kind
        return "private"

    def date(self, i: int) -> datetime:
        span = (END - START).total_seconds()
        jitter = _rng(self.seed, i, 2).randint(0, 3600)
        return START + timedelta(seconds=span * i / (self.n + 1) + jitter)

    def title(self, i: int) -> str:
        rng = _rng(self.seed, i, 3)
        words = [rng.choice(_WORDS) for _ in range(rng.randint(3, 8))]
        if rng.random() < 0.1:
            words.append(rng.choice(_EMOJI))
        return " ".join(words).capitalize() + f" {i}"

    def slug(self, i: int) -> str:
        rng = _rng(self.seed, i, 3)
        words = [rng.choice(_WORDS) for _ in range(rng.randint(3, 8))]
        slug = "-".join(w.lower() for w in words if w.isascii() and w.isalnum())
        return f"{slug}-{i}" if slug else str(i)

    def permalink(self, i: int) -> str:
        kind = self.kind(i)
        if kind == "page":
            return f"{SITE}/{self.slug(i)}/"
        if kind == "attachment":
            return f"{SITE}/?attachment_id={i}"
        d = self.date(i)
        return f"{SITE}/{d:%Y/%m}/{self.slug(i)}/"

    def upload(self, i: int, size: str = "") -> str:
        """URL of attachment ``i``'s file, with an optional ``-300x200`` size suffix."""
        d = self.date(i)
        stem = self.slug(i)[:40].rstrip("-")
        ext = "jpg" if i % 5 else "png"
        return f"{SITE}/wp-content/uploads/{d:%Y/%m}/{stem}{size}.{ext}"

    def era(self, i: int) -> str:
        year = self.date(i).year
        return "classic" if year < 2013 else ("editor" if year < 2019 else "blocks")

    # ------------------------------------------------------------------ text

    def _sentence(self, rng: random.Random) -> str:
        words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 22))]
        s = " ".join(words)
        s = s[0].upper() + s[1:]
        if rng.random() < 0.05:
            s += " " + rng.choice(_EMOJI)
        return s + rng.choice([".", ".", ".", "!", "?", " &amp; more.", " — really."])

    def _text(self, rng: random.Random, lo: int, hi: int) -> str:
        return " ".join(rng.choice(self.sentences) for _ in range(rng.randint(lo, hi)))

    def _inline(self, rng: random.Random, i: int, text: str) -> str:
        """Add emphasis and one or two links of any form to a paragraph."""
        words = text.split(" ")
        if len(words) > 10:
            k = rng.randrange(1, len(words) - 3)
            words[k] = f"<strong>{words[k]}</strong>"
            words[k + 2] = f"<em>{words[k + 2]}</em>"
        for _ in range(rng.choice([0, 1, 1, 2])):
            k = rng.randrange(len(words))
            words[k] = f'<a href="{self.link_to(rng, i)}">{words[k]}</a>'
        return " ".join(words)

    def link_to(self, rng: random.Random, i: int) -> str:
        r = rng.random()
        if r < 0.15:
            return rng.choice(
                [
                    "https://en.wikipedia.org/wiki/Harbour",
                    "https://example.org/tides?x=1&amp;y=2",
                    "mailto:keeper@example.com",
                    "#section-2",
                ]
            )
        target = rng.randint(1, self.n)
        while target > 1 and self.kind(target) not in ("post", "page", "attachment") and rng.random() < 0.9:
            target -= 1
        form = rng.randrange(9)
        if form == 0:
            return f"{SITE}/?p={target}"
        if form == 1 and self.kind(target) == "page":
            return f"{SITE}/?page_id={target}"
        if form == 2:
            return self.permalink(target).replace("https://", "http://")
        if form == 3:
            return self.permalink(target).replace("https://", "https://www.")
        if form == 4:
            return self.permalink(target)[len(SITE) :] or "/"
        if form == 5:
            return self.permalink(target) + "#comments"
        if form == 6:
            return f"{SITE}/category/{rng.choice(['boats', 'weather', 'caf%c3%a9'])}/"
        return self.permalink(target)

    def attachments_near(self, i: int, want: int) -> list[int]:
        """Attachment ids close to ``i`` (images a post uses)."""
        found = [j for j in range(max(1, i - 40), min(self.n, i + 40) + 1) if self.kind(j) == "attachment"]
        return found[:want]

    # ------------------------------------------------------------------ content of the eras

    def content(self, i: int) -> str:
        rng = _rng(self.seed, i, 4)
        era = self.era(i)
        images = self.attachments_near(i, 6)
        build = {"classic": self._classic, "editor": self._editor, "blocks": self._blocks}[era]
        return build(rng, i, images)

    def _classic(self, rng: random.Random, i: int, images: list[int]) -> str:
        parts: list[str] = []
        for n in range(rng.randint(9, 15)):
            parts.append(self._inline(rng, i, self._text(rng, 3, 5)))
            if n == 1:
                parts.append("<!--more-->")
            r = rng.random()
            if r < 0.12 and images:
                a = rng.choice(images)
                w = rng.choice([300, 640, 1024])
                parts.append(
                    f'[caption id="attachment_{a}" align="aligncenter" width="{w}"]'
                    f'<a href="{self.upload(a)}"><img class="size-medium wp-image-{a}" '
                    f'src="{self.upload(a, f"-{w}x{w * 2 // 3}")}" alt="{self.title(a)}" '
                    f'width="{w}" height="{w * 2 // 3}" /></a> {self._text(rng, 1, 1)}[/caption]'
                )
            elif r < 0.17 and len(images) > 1:
                ids = ",".join(str(a) for a in images[:4])
                parts.append(f'[gallery columns="{rng.randint(2, 4)}" ids="{ids}"]')
            elif r < 0.2:
                parts.append(rng.choice(_VIDEO).format(f"v{i}x{n}"))
            elif r < 0.25:
                items = "\n".join(f"<li>{self._text(rng, 1, 1)}</li>" for _ in range(rng.randint(3, 6)))
                parts.append(f"<ul>\n{items}\n</ul>")
            elif r < 0.28:
                parts.append(
                    f'[sourcecode language="{rng.choice(_LANGS)}"]\nif (a < b && c > d) {{\n'
                    f'    return "{rng.choice(_WORDS)}";\n}}\n[/sourcecode]'
                )
            elif r < 0.32:
                parts.append(f"<blockquote>{self._text(rng, 1, 3)}</blockquote>")
            elif r < 0.35:
                parts.append(f"<h3>{self._text(rng, 1, 1)[:60]}</h3>")
        return "\n\n".join(parts)

    def _editor(self, rng: random.Random, i: int, images: list[int]) -> str:
        parts: list[str] = []
        for n in range(rng.randint(8, 14)):
            parts.append(f"<p>{self._inline(rng, i, self._text(rng, 3, 5))}</p>")
            r = rng.random()
            if r < 0.14 and images:
                a = rng.choice(images)
                srcset = ", ".join(f"{self.upload(a, f'-{w}x{w * 2 // 3}')} {w}w" for w in (300, 768, 1024))
                parts.append(
                    f'<img class="aligncenter size-large wp-image-{a}" src="{self.upload(a, "-1024x683")}" '
                    f'alt="{self.title(a)}" width="1024" height="683" srcset="{srcset}, '
                    f'{self.upload(a)} 1600w" sizes="(max-width: 1024px) 100vw, 1024px" />'
                )
            elif r < 0.2 and images:
                a = rng.choice(images)
                parts.append(
                    f'[caption id="attachment_{a}" align="alignnone" width="768"]<img '
                    f'class="size-medium_large wp-image-{a}" src="{self.upload(a, "-768x512")}" '
                    f'alt="" width="768" height="512" /> {self._text(rng, 1, 1)}[/caption]'
                )
            elif r < 0.24:
                parts.append(f"[embed]{rng.choice(_VIDEO).format(f'e{i}x{n}')}[/embed]")
            elif r < 0.3:
                items = "".join(
                    f"<li>{self._inline(rng, i, self._text(rng, 1, 1))}</li>" for _ in range(rng.randint(3, 6))
                )
                parts.append(f"<ol>{items}</ol>")
            elif r < 0.33:
                rows = "".join(
                    f"<tr><td>{rng.choice(_WORDS)}</td><td>{rng.randint(1, 99)}</td></tr>"
                    for _ in range(rng.randint(2, 5))
                )
                parts.append(f"<table><thead><tr><th>Name</th><th>Count</th></tr></thead><tbody>{rows}</tbody></table>")
            elif r < 0.37:
                parts.append(f"<h2>{self._text(rng, 1, 1)[:60]}</h2>")
            elif r < 0.39:
                parts.append(
                    f'<pre><code class="language-{rng.choice(_LANGS)}">x = [n * 2 for n in range(10)]\n'
                    f"print(x)  # &lt;done&gt;</code></pre>"
                )
        return "\n".join(parts)

    def _blocks(self, rng: random.Random, i: int, images: list[int]) -> str:
        parts: list[str] = []
        for n in range(rng.randint(8, 13)):
            parts.append(
                f"<!-- wp:paragraph -->\n<p>{self._inline(rng, i, self._text(rng, 3, 5))}</p>\n<!-- /wp:paragraph -->"
            )
            r = rng.random()
            if r < 0.14 and images:
                a = rng.choice(images)
                parts.append(
                    f'<!-- wp:image {{"id":{a},"sizeSlug":"large","linkDestination":"media"}} -->\n'
                    f'<figure class="wp-block-image size-large"><a href="{self.upload(a)}"><img '
                    f'src="{self.upload(a, "-1024x683")}" alt="{self.title(a)}" class="wp-image-{a}"/></a>'
                    f'<figcaption class="wp-element-caption">{self._text(rng, 1, 1)}</figcaption></figure>\n'
                    "<!-- /wp:image -->"
                )
            elif r < 0.19 and len(images) > 1:
                inner = "\n\n".join(
                    f'<!-- wp:image {{"id":{a},"sizeSlug":"large","linkDestination":"none"}} -->\n'
                    f'<figure class="wp-block-image size-large"><img src="{self.upload(a, "-1024x683")}" alt="" '
                    f'class="wp-image-{a}"/></figure>\n<!-- /wp:image -->'
                    for a in images[:3]
                )
                parts.append(
                    '<!-- wp:gallery {"linkTo":"none"} -->\n<figure class="wp-block-gallery '
                    f'has-nested-images columns-default is-cropped">{inner}</figure>\n<!-- /wp:gallery -->'
                )
            elif r < 0.25:
                items = "\n\n".join(
                    f"<!-- wp:list-item -->\n<li>{self._text(rng, 1, 1)}</li>\n<!-- /wp:list-item -->"
                    for _ in range(rng.randint(3, 6))
                )
                parts.append(f"<!-- wp:list -->\n<ul>{items}</ul>\n<!-- /wp:list -->")
            elif r < 0.29:
                parts.append(
                    f'<!-- wp:quote -->\n<blockquote class="wp-block-quote"><!-- wp:paragraph -->\n'
                    f"<p>{self._text(rng, 1, 2)}</p>\n<!-- /wp:paragraph --><cite>{self.title(i)[:30]}"
                    "</cite></blockquote>\n<!-- /wp:quote -->"
                )
            elif r < 0.32:
                lang = rng.choice(_LANGS)
                parts.append(
                    f'<!-- wp:code {{"language":"{lang}"}} -->\n<pre class="wp-block-code"><code '
                    f'class="language-{lang}">for (i = 0; i &lt; 10; i++) {{\n    total += i;\n}}'
                    "</code></pre>\n<!-- /wp:code -->"
                )
            elif r < 0.35:
                url = rng.choice(_VIDEO).format(f"b{i}x{n}")
                parts.append(
                    f'<!-- wp:embed {{"url":"{url}","type":"video","providerNameSlug":"youtube"}} -->\n'
                    f'<figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper">\n'
                    f"{url}\n</div></figure>\n<!-- /wp:embed -->"
                )
            elif r < 0.38:
                parts.append(
                    f'<!-- wp:heading -->\n<h2 class="wp-block-heading">{self._text(rng, 1, 1)[:60]}</h2>\n'
                    "<!-- /wp:heading -->"
                )
            elif r < 0.39:
                parts.append('<!-- wp:block {"ref":%d} /-->' % self._some_block(i))
        return "\n\n".join(parts)

    def _some_block(self, i: int) -> int:
        for j in range(i, 0, -1):
            if self.kind(j) == "wp_block":
                return j
        return 999_999_999

    # ------------------------------------------------------------------ XML

    def item(self, i: int) -> str:
        kind = self.kind(i)
        rng = _rng(self.seed, i, 5)
        d = self.date(i)
        post_type, status, parent, content, extra = "post", "publish", 0, "", ""
        excerpt = ""
        if kind in ("post", "draft", "private"):
            content = self.content(i)
            status = {"post": "publish", "draft": "draft", "private": "private"}[kind]
            if rng.random() < 0.2:
                excerpt = self._text(rng, 1, 1)
        elif kind == "page":
            post_type, content = "page", self.content(i)
            parent = i - 1 if i > 10 and rng.random() < 0.1 and self.kind(i - 1) == "page" else 0
        elif kind == "attachment":
            post_type, status = "attachment", "inherit"
            parent = next((j for j in range(i - 1, max(0, i - 40), -1) if self.kind(j) == "post"), 0)
            excerpt = self._text(rng, 1, 1) if rng.random() < 0.3 else ""
            extra = (
                f"\t\t<wp:attachment_url><![CDATA[{self.upload(i)}]]></wp:attachment_url>\n"
                f"\t\t<wp:postmeta><wp:meta_key><![CDATA[_wp_attachment_image_alt]]></wp:meta_key>"
                f"<wp:meta_value><![CDATA[{self.title(i)}]]></wp:meta_value></wp:postmeta>\n"
            )
        elif kind == "revision":
            post_type, status, content = "revision", "inherit", self._text(rng, 4, 10)
            parent = max(1, i - 1)
        elif kind == "nav_menu_item":
            post_type = "nav_menu_item"
        elif kind == "wp_block":
            post_type = "wp_block"
            content = f"<!-- wp:paragraph -->\n<p>{self._text(rng, 1, 2)}</p>\n<!-- /wp:paragraph -->"
        slug = self.slug(i) if kind != "revision" else f"{i - 1}-revision-v1"
        terms = ""
        if post_type == "post":
            terms = (
                '\t\t<category domain="category" nicename="boats"><![CDATA[Boats]]></category>\n'
                '\t\t<category domain="post_tag" nicename="fog"><![CDATA[fog]]></category>\n'
            )
        comments = ""
        if kind == "post":
            comments = "".join(self._comment(rng, i, c) for c in range(rng.choice([0, 0, 1, 2, 3, 5])))
        gmt = d - timedelta(hours=1)
        return (
            "\t<item>\n"
            f"\t\t<title><![CDATA[{self.title(i)}]]></title>\n"
            f"\t\t<link>{self.permalink(i)}</link>\n"
            f"\t\t<pubDate>{gmt:%a, %d %b %Y %H:%M:%S} +0000</pubDate>\n"
            f"\t\t<dc:creator><![CDATA[{rng.choice(['keeper', 'tidewatch'])}]]></dc:creator>\n"
            f'\t\t<guid isPermaLink="false">http://{HOST}/?p={i}</guid>\n'
            "\t\t<description></description>\n"
            f"\t\t<content:encoded><![CDATA[{content}]]></content:encoded>\n"
            f"\t\t<excerpt:encoded><![CDATA[{excerpt}]]></excerpt:encoded>\n"
            f"\t\t<wp:post_id>{i}</wp:post_id>\n"
            f"\t\t<wp:post_date><![CDATA[{d:%Y-%m-%d %H:%M:%S}]]></wp:post_date>\n"
            f"\t\t<wp:post_date_gmt><![CDATA[{gmt:%Y-%m-%d %H:%M:%S}]]></wp:post_date_gmt>\n"
            "\t\t<wp:comment_status><![CDATA[open]]></wp:comment_status>\n"
            f"\t\t<wp:post_name><![CDATA[{slug}]]></wp:post_name>\n"
            f"\t\t<wp:status><![CDATA[{status}]]></wp:status>\n"
            f"\t\t<wp:post_parent>{parent}</wp:post_parent>\n"
            "\t\t<wp:menu_order>0</wp:menu_order>\n"
            f"\t\t<wp:post_type><![CDATA[{post_type}]]></wp:post_type>\n"
            f"{extra}{terms}{comments}"
            "\t</item>\n"
        )

    def _comment(self, rng: random.Random, i: int, c: int) -> str:
        d = self.date(i) + timedelta(days=c + 1)
        return (
            "\t\t<wp:comment>\n"
            f"\t\t\t<wp:comment_id>{i * 10 + c}</wp:comment_id>\n"
            f"\t\t\t<wp:comment_author><![CDATA[{rng.choice(['Åsa', 'Jonas', 'Мария', '海子', 'Pat'])}]]></wp:comment_author>\n"
            "\t\t\t<wp:comment_author_email><![CDATA[reader@example.com]]></wp:comment_author_email>\n"
            "\t\t\t<wp:comment_author_IP><![CDATA[192.0.2.1]]></wp:comment_author_IP>\n"
            f"\t\t\t<wp:comment_date><![CDATA[{d:%Y-%m-%d %H:%M:%S}]]></wp:comment_date>\n"
            f"\t\t\t<wp:comment_date_gmt><![CDATA[{d:%Y-%m-%d %H:%M:%S}]]></wp:comment_date_gmt>\n"
            f"\t\t\t<wp:comment_content><![CDATA[{self._text(rng, 1, 3)}]]></wp:comment_content>\n"
            "\t\t\t<wp:comment_approved><![CDATA[1]]></wp:comment_approved>\n"
            "\t\t\t<wp:comment_type><![CDATA[comment]]></wp:comment_type>\n"
            f"\t\t\t<wp:comment_parent>{i * 10 + c - 1 if c else 0}</wp:comment_parent>\n"
            "\t\t</wp:comment>\n"
        )

    def header(self) -> str:
        return f"""<?xml version="1.0" encoding="UTF-8" ?>
<!-- Synthetic export written by benchmarks/wxrgen.py: invented text, reserved addresses. -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>Perf Harbour</title>
	<link>{SITE}</link>
	<description>Synthetic benchmark site</description>
	<language>en-GB</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>{SITE}</wp:base_site_url>
	<wp:base_blog_url>{SITE}</wp:base_blog_url>
	<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[keeper]]></wp:author_login><wp:author_display_name><![CDATA[Maren Keeper]]></wp:author_display_name></wp:author>
	<wp:author><wp:author_id>2</wp:author_id><wp:author_login><![CDATA[tidewatch]]></wp:author_login><wp:author_display_name><![CDATA[Tide Watch]]></wp:author_display_name></wp:author>
	<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename><![CDATA[boats]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[Boats]]></wp:cat_name></wp:category>
	<wp:tag><wp:term_id>10</wp:term_id><wp:tag_slug><![CDATA[fog]]></wp:tag_slug><wp:tag_name><![CDATA[fog]]></wp:tag_name></wp:tag>
"""

    def write(self, path: Path) -> None:
        with open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as fh:
            fh.write(self.header())
            for i in range(1, self.n + 1):
                fh.write(self.item(i))
            fh.write("</channel>\n</rss>\n")


def generate(items: int, path: Path, seed: int = 1) -> Path:
    """Write an export of ``items`` items to ``path`` (deterministic for a given seed)."""
    Generator(items, seed).write(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("items", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    generate(args.items, args.out, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
