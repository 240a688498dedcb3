"""Screenshots of the built-in Hugo and Jekyll scaffolds, for docs/targets.md.

    .venv/bin/python benchmarks/screenshots.py [--out docs/img]
    .venv/bin/python benchmarks/screenshots.py --export FILE --uploads DIR --formatted TITLE --gallery TITLE

Converts a WordPress export with ``--target hugo|jekyll --scaffold`` (media copied from a local
``wp-content/uploads``: a target's default is to bring them along), builds it with the real
generator, serves the built folder on 127.0.0.1 and takes three screenshots of each site with
headless Chromium: the home page, a long formatted post and a gallery post.  Written as
``scaffold-<target>-<page>.png`` into ``--out``.

The default input is our own: ``fixtures/sample-export.xml`` plus a few more posts of the same
invented site written here (a long formatted post, a gallery), with generated images standing in
for every upload, so the screenshots hold no third-party text or picture.  Another export (the
real WordPress of ``../shared/realwp``, say) is converted with ``--export`` and ``--uploads``.
Needs ``hugo``, ``jekyll`` and ``chromium`` (or ``chromium-browser``, ``google-chrome``).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import http.server
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import zlib
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import migrator  # noqa: E402

FORMATTED, GALLERY = "Reading the tide tables", "Boats of the inner harbour"
BUILD = {"hugo": (["hugo", "--quiet"], "public"), "jekyll": (["jekyll", "build", "--quiet"], "_site")}
WIDTH, HEIGHT = 1200, 1500


SITE = "https://harbour.example.com"
UPLOADS = SITE + "/wp-content/uploads"
ITEM = """<item><title><![CDATA[{title}]]></title><link>{site}/{path}/</link>
<dc:creator><![CDATA[{author}]]></dc:creator><content:encoded><![CDATA[{body}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>{id}</wp:post_id>
<wp:post_date>{date}</wp:post_date><wp:post_date_gmt>{gmt}</wp:post_date_gmt>
<wp:post_name><![CDATA[{slug}]]></wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
{terms}{meta}</item>
"""
ATTACHMENT = """<item><title><![CDATA[{name}]]></title><link>{site}/{name}/</link><wp:post_id>{id}</wp:post_id>
<wp:post_date>2019-08-01 10:00:00</wp:post_date><wp:post_date_gmt>2019-08-01 08:00:00</wp:post_date_gmt>
<wp:post_name><![CDATA[{name}]]></wp:post_name><wp:status>inherit</wp:status><wp:post_parent>{parent}</wp:post_parent>
<wp:post_type>attachment</wp:post_type><wp:attachment_url><![CDATA[{url}]]></wp:attachment_url></item>
"""

FORMATTED_BODY = """<p>Twice a day the water comes in and goes out again, and twice a day somebody on the quay
asks whether there is <em>enough</em> of it. The answer is in the tide tables, if you know how
to <a href="{site}/2016/07/knots-every-deckhand-should-know/">read them</a>.</p>
<h2>What a table tells you</h2>
<p>Each day has two high waters and two low waters, with a time and a height. Heights are
measured from <strong>chart datum</strong>, the lowest level the tide normally reaches, so a
height of <code>0.4 m</code> means there is forty centimetres more than the chart shows.</p>
<ul><li>The <strong>time</strong> is local time; add an hour in summer if the table does not.</li>
<li>The <strong>height</strong> is above chart datum, not above the harbour floor.
<ul><li>Spring tides: the biggest range, around new and full moon.</li>
<li>Neap tides: the smallest range, a week later.</li></ul></li>
<li>The <strong>range</strong> is the difference between high and low water.</li></ul>
<blockquote><p>Never trust a tide table you did not check against the harbour gauge at least once.</p>
<cite>The harbourmaster, every spring</cite></blockquote>
<h2>The rule of twelfths</h2>
<p>The water does not rise evenly. In the six hours from low to high water it rises roughly:</p>
<table><thead><tr><th>Hour</th><th>Share of the range</th><th>On a 4.8 m range</th></tr></thead>
<tbody><tr><td>1st</td><td>1/12</td><td>0.4 m</td></tr><tr><td>2nd</td><td>2/12</td><td>0.8 m</td></tr>
<tr><td>3rd</td><td>3/12</td><td>1.2 m</td></tr><tr><td>4th</td><td>3/12</td><td>1.2 m</td></tr>
<tr><td>5th</td><td>2/12</td><td>0.8 m</td></tr><tr><td>6th</td><td>1/12</td><td>0.4 m</td></tr></tbody></table>
<h3>Working it out</h3>
<ol><li>Find the low water before the time you want.</li><li>Count the hours since then.</li>
<li>Add up the twelfths and multiply by the range.</li></ol>
<p>Or let the computer do it:</p>
<pre><code>def height(low, high, hours):
    twelfths = [1, 2, 3, 3, 2, 1]
    done = sum(twelfths[:int(hours)])
    return low + (high - low) * done / 12</code></pre>
<figure class="wp-block-image"><img src="{uploads}/2016/08/gauge.jpg" alt="The tide gauge on the north wall"/>
<figcaption>The tide gauge on the north wall, half an hour after low water</figcaption></figure>
<h2>When the table is wrong</h2>
<p>A strong westerly can hold the water back by a <em>third of a metre</em>; high pressure pushes
it down, low pressure lets it rise. If the forecast says a deep low is coming, keep a margin.</p>
<hr/>
<p>Next month: reading the chart itself, from soundings to the little anchors.</p>"""

GALLERY_BOATS = [
    ("dinghy-red", "Red dinghy on the slip"),
    ("crabber", "The crabber home at dusk"),
    ("ketch", "A ketch waiting for the tide"),
    ("rowing-gig", "The pilot gig, freshly painted"),
    ("launch", "The harbour launch"),
    ("yawl", "Yawl on the outer mooring"),
    ("punt", "Punt with oars"),
    ("trawler", "Trawler unloading"),
    ("catamaran", "A visiting catamaran"),
]


def gallery_body() -> str:
    images = "".join(
        f'<figure class="wp-block-image"><img src="{UPLOADS}/2016/08/{name}.jpg" alt="{caption}"/>'
        f"<figcaption>{caption}</figcaption></figure>"
        for name, caption in GALLERY_BOATS
    )
    return (
        "<p>A walk along the inner harbour on a calm August evening, every boat on its mooring.</p>"
        f'<figure class="wp-block-gallery has-nested-images columns-3 is-cropped">{images}</figure>'
        "<p>Most of them will be out again before the morning tide.</p>"
    )


def one_line(html: str) -> str:
    """``html`` without line breaks outside ``<pre>`` (WordPress makes a line break inside a
    paragraph a ``<br>``)."""
    parts = re.split(r"(<pre>.*?</pre>)", html, flags=re.S)
    return "".join(part if part.startswith("<pre>") else part.replace("\n", " ") for part in parts)


def demo_export(path: Path) -> Path:
    """More posts of the invented "Harbour Notes" (fixtures/sample-export.xml): our own text."""

    def item(id_, title, slug, date, gmt, body, category, tags, featured):
        terms = f'<category domain="category" nicename="{category.lower()}"><![CDATA[{category}]]></category>'
        terms += "".join(f'<category domain="post_tag" nicename="{t}"><![CDATA[{t}]]></category>' for t in tags)
        meta = f"<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>{id_ + 100}</wp:meta_value></wp:postmeta>"
        return ITEM.format(
            title=title,
            site=SITE,
            path=f"{date[:4]}/{date[5:7]}/{slug}",
            author="harbourmaster",
            body=body,
            id=id_,
            date=date,
            gmt=gmt,
            slug=slug,
            terms=terms,
            meta=meta,
        ) + ATTACHMENT.format(
            name=featured, site=SITE, id=id_ + 100, parent=id_, url=f"{UPLOADS}/2016/08/{featured}.jpg"
        )

    items = [
        item(
            9101,
            FORMATTED,
            "reading-the-tide-tables",
            "2019-10-05 09:30:00",
            "2019-10-05 07:30:00",
            one_line(FORMATTED_BODY.format(site=SITE, uploads=UPLOADS)),
            "Weather",
            ["tides", "tables"],
            "gauge",
        ),
        item(
            9102,
            GALLERY,
            "boats-of-the-inner-harbour",
            "2019-08-18 19:00:00",
            "2019-08-18 17:00:00",
            gallery_body(),
            "Boats",
            ["photos", "moorings"],
            "crabber",
        ),
    ]
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Harbour Notes</title>'
        f"<link>{SITE}</link><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>{SITE}</wp:base_site_url>\n"
        + "".join(items)
        + "</channel></rss>\n",
        encoding="utf-8",
    )
    return path


def picture(name: str, width: int = 960, height: int = 640) -> bytes:
    """A PNG standing in for an upload: a soft diagonal gradient between two colours of its name."""
    digest = hashlib.sha256(name.encode()).digest()
    top, bottom = digest[:3], digest[3:6]
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(0, width, 8):
            t = (x / width + y / height) / 2
            row += bytes(int(a + (b - a) * t) // 2 + 64 for a, b in zip(top, bottom)) * 8
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 6))
        + chunk(b"IEND", b"")
    )


def demo_uploads(folder: Path, exports: list[Path]) -> Path:
    """A stand-in ``wp-content/uploads`` with a generated picture for every upload named."""
    for export in exports:
        for rel in set(
            re.findall(r"wp-content/uploads/(\d{4}/\d\d/[A-Za-z0-9._-]+)", export.read_text(encoding="utf-8"))
        ):
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(picture(rel))
    return folder


def browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return name
    raise SystemExit("no Chromium on the PATH")


def page_titled(site: Path, title: str) -> str:
    """The site path of the built page whose heading is ``title``."""
    for path in sorted(site.rglob("index.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        heading = soup.select_one("h1.page-title")
        if heading is not None and heading.get_text(" ", strip=True) == title:
            return "/" + str(path.parent.relative_to(site)).replace("\\", "/").strip(".") + "/"
    raise SystemExit(f"no built page titled {title!r} in {site}")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


def serve(folder: Path) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def shoot(chrome: str, url: str, png: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                chrome,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--force-prefers-reduced-motion",
                "--no-first-run",
                f"--user-data-dir={profile}",
                "--force-color-profile=srgb",
                f"--window-size={WIDTH},{HEIGHT}",
                f"--screenshot={png}",
                url,
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--export", type=Path, help="a WordPress export (default: our own demo site)")
    parser.add_argument("--uploads", type=Path, help="its wp-content/uploads (with --export)")
    parser.add_argument("--formatted", default=FORMATTED, help="title of the long formatted post")
    parser.add_argument("--gallery", default=GALLERY, help="title of the gallery post")
    parser.add_argument("--out", type=Path, default=ROOT / "docs/img")
    parser.add_argument("--targets", default="hugo,jekyll")
    args = parser.parse_args(argv)
    if bool(args.export) != bool(args.uploads):
        parser.error("--export and --uploads go together")
    chrome = browser()
    args.out.mkdir(parents=True, exist_ok=True)
    pages = [("home", None), ("formatted-post", args.formatted), ("gallery-post", args.gallery)]
    with tempfile.TemporaryDirectory() as tmp:
        if args.export:
            inputs, uploads = [args.export], args.uploads
        else:
            inputs = [ROOT / "fixtures/sample-export.xml", demo_export(Path(tmp) / "demo.xml")]
            uploads = demo_uploads(Path(tmp) / "uploads", inputs)
        for target in args.targets.split(","):
            command, folder = BUILD[target]
            out = Path(tmp) / target
            report = migrator.convert(
                inputs, out, target=target, scaffold=True, media_from=str(uploads), comments="data"
            )
            if report.failed:
                raise SystemExit(f"{target}: the conversion failed (exit {report.exit_code})")
            subprocess.run(command, cwd=out, check=True, timeout=600)
            site = out / folder
            server = serve(site)
            try:
                for name, title in pages:
                    path = "/" if title is None else page_titled(site, title)
                    png = args.out / f"scaffold-{target}-{name}.png"
                    shoot(chrome, f"http://127.0.0.1:{server.server_address[1]}{path}", png)
                    print(f"{png.relative_to(ROOT) if png.is_relative_to(ROOT) else png}  <- {target} {path}")
            finally:
                server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
