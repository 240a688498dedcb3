"""Script in comments, titles, excerpts and template syntax in post text never becomes live in a
built site (issue 18, items 6-8).  The export is written here; the sites are built with the
real generators (a generator that is not installed skips its test)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import migrator

from conftest import md_html, split_front_matter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz_targets import assert_inert  # noqa: E402
from targets.test_targets_build import _command  # noqa: E402

TITLE = (
    "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot; &lt;/title&gt;&lt;script&gt;alert(9)&lt;/script&gt;"
)
SHOWN_TITLE = (
    "<img src=x onerror=alert(1)> & “quoted” </title><script>alert(9)</script>"  # as WordPress shows it (wptexturize)
)
EXCERPT = "&lt;script&gt;alert(3)&lt;/script&gt; and &quot;more&quot; &lt;b onmouseover=alert(10)&gt;x&lt;/b&gt;"
HUGO_TEXT = (
    '<p>Use {{&lt; param "apiKey" &gt;}} and {{% notice %}}x{{% /notice %}} here, '
    "a lone {{&lt; opener and {{ .Site.Title }}.</p>\n"
    '<pre><code>{{&lt; figure src="a.jpg" &gt;}}\n{{% raw %}}</code></pre>\n'
    "<p>Inline <code>{{&lt;/* kept */&gt;}}</code> too.</p>\n"
    "<p>Liquid {% include evil.html %} and {{ site.data }} stays text.</p>"
)
COMMENT = (
    '<a href="javascript:alert(2)">click</a> <a href=" JaVa\tScript:alert(11)">two</a> '
    "<script>alert(6)</script> <img src=x onerror=alert(7)> "
    "&lt;b onmouseover=alert(8)&gt;bold&lt;/b&gt; <b>fine</b> [md](javascript:alert(12))"
)


def _export(path: Path) -> Path:
    comment = (
        "<wp:comment><wp:comment_id>{id}</wp:comment_id><wp:comment_author><![CDATA[{author}]]>"
        "</wp:comment_author><wp:comment_author_email>x@example.com</wp:comment_author_email>"
        "<wp:comment_author_url>{url}</wp:comment_author_url>"
        "<wp:comment_date>2024-03-02 10:00:00</wp:comment_date>"
        "<wp:comment_content><![CDATA[{content}]]></wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>{parent}</wp:comment_parent>"
        "</wp:comment>\n"
    )
    comments = comment.format(
        id=1, author="&lt;img src=x onerror=alert(4)&gt;", url="javascript:alert(5)", content=COMMENT, parent=0
    ) + comment.format(id=2, author="Reply *person*", url="https://ok.example.com/", content=COMMENT, parent=1)
    item = (
        "<item><title><![CDATA[{title}]]></title><link>https://pier.example.com/{slug}/</link>"
        "<dc:creator>keeper</dc:creator><wp:post_id>{id}</wp:post_id><wp:post_name>{slug}</wp:post_name>"
        "<wp:post_type>{type}</wp:post_type><wp:status>publish</wp:status>"
        "<wp:post_date>2024-03-01 10:00:00</wp:post_date><wp:post_date_gmt>2024-03-01 10:00:00</wp:post_date_gmt>"
        "<content:encoded><![CDATA[{body}]]></content:encoded>"
        "<excerpt:encoded><![CDATA[{excerpt}]]></excerpt:encoded>{comments}"
        '<category domain="category" nicename="notes"><![CDATA[Notes]]></category></item>\n'
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" '
        'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        "<channel><title><![CDATA[Pier &lt;script&gt;alert(13)&lt;/script&gt; Notes]]></title>"
        "<link>https://pier.example.com</link><wp:wxr_version>1.2</wp:wxr_version>"
        "<wp:base_site_url>https://pier.example.com</wp:base_site_url>"
        "<wp:author><wp:author_login>keeper</wp:author_login>"
        "<wp:author_display_name><![CDATA[Keeper &lt;img src=x onerror=alert(14)&gt;]]></wp:author_display_name>"
        "</wp:author>\n"
        + item.format(
            title=TITLE, slug="hostile", id=1, type="post", body=HUGO_TEXT, excerpt=EXCERPT, comments=comments
        )
        + item.format(title="A calm page", slug="calm", id=2, type="page", body="<p>Calm.</p>", excerpt="", comments="")
        + "</channel></rss>\n",
        encoding="utf-8",
    )
    return path


# -- 6. comments are sanitised like post bodies ---------------------------------------------------


def test_inline_comments_are_sanitised(tmp_path: Path) -> None:
    report = migrator.convert([_export(tmp_path / "in.xml")], tmp_path / "out", comments="inline", jobs=1)
    assert report.exit_code == 0
    text = (tmp_path / "out" / "posts" / "hostile.md").read_text(encoding="utf-8")
    body = split_front_matter(text)[1]
    assert "## Comments" in body
    assert_inert(body)
    html = md_html(body)
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all("img", onerror=True) and not soup.find_all("script")
    assert "<img src=x onerror=alert(4)>" in soup.get_text()  # the author's name, as text
    assert "bold" in soup.get_text() and soup.find("strong", string="fine")


def test_comment_data_files_are_sanitised(tmp_path: Path) -> None:
    report = migrator.convert([_export(tmp_path / "in.xml")], tmp_path / "out", comments="data", jobs=1)
    assert report.exit_code == 0
    [data] = (tmp_path / "out").rglob("comments/1.json")
    thread = json.loads(data.read_text(encoding="utf-8"))
    assert thread[0]["author_url"] is None and thread[0]["replies"][0]["author_url"] == "https://ok.example.com/"
    for node in (thread[0], thread[0]["replies"][0]):
        assert_inert(node["content"])


# -- 7 and 8. titles, excerpts, comments and shortcode syntax in built sites -----------------------


def _live(html_text: str) -> list[str]:
    """What would run in a browser: script elements, event handlers, javascript: URLs."""
    soup = BeautifulSoup(html_text, "lxml")
    found = [str(s)[:80] for s in soup.find_all("script") if "alert(" in s.get_text()]
    for tag in soup.find_all(True):
        for attr, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
            if attr.lower().startswith("on") or squeezed.startswith(("javascript:", "vbscript:")):
                found.append(f"<{tag.name} {attr}={value[:60]!r}>")
    return found


@pytest.mark.parametrize("target", ["hugo", "jekyll", "pelican", "mkdocs"])
def test_nothing_hostile_runs_in_the_built_site(tmp_path: Path, target: str) -> None:
    command = _command(target)
    if command is None:
        pytest.skip(f"{target} is not installed")
    out = tmp_path / "site"
    comments = "data" if target in ("hugo", "jekyll") else "inline"
    report = migrator.convert(
        [_export(tmp_path / "in.xml")], out, target=target, scaffold=True, comments=comments, jobs=1
    )
    assert report.exit_code == 0, [p for p in report.problems if p.severity == "error"]
    cmd, folder = command
    proc = subprocess.run(cmd, cwd=out, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, f"{target} build failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    pages = {p: p.read_text(encoding="utf-8") for p in (out / folder).rglob("*.html")}
    assert pages
    live = {str(p.relative_to(out)): found for p, text in pages.items() if (found := _live(text))}
    assert not live, live
    shown = [p for p, text in pages.items() if SHOWN_TITLE in BeautifulSoup(text, "lxml").get_text()]
    assert shown, f"the title is not shown as text on any page of the {target} site"
    post = max(pages.items(), key=lambda kv: kv[1].count("apiKey"))[1]
    text = BeautifulSoup(post, "lxml").get_text().translate(str.maketrans("\u201c\u201d\u2018\u2019", "\"\"''"))
    assert 'param "apiKey"' in text, "the shortcode syntax is not shown as text"
    if target == "hugo":
        assert '{{< param "apiKey" >}}' in text and "{{% notice %}}" in text
        assert '{{< figure src="a.jpg" >}}' in text and "{{< opener" in text
        assert "{{</* kept */>}}" in text
