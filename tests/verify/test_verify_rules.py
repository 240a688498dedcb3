"""verify's parts on their own: redirect rules read back and applied, alias pages, the content
comparison, the converted folder's URLs and base URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.model import Document
from migrator.output.redirects import Redirect, render
from migrator.verify.content import compare, main_element, page_words, source_words
from migrator.verify.converted import config_base_url, page_url
from migrator.verify.navigate import Locator, same_page
from migrator.verify.new_site import Answer, FolderSite, refresh_target
from migrator.verify.rules import READERS, Request


def rules(fmt: str, text: str, name: str = "rules"):
    return READERS[fmt](text, Path(name))


def target(ruleset, path: str, query: str = "", files: tuple[str, ...] = ()):
    hit = ruleset.match(Request(path, query), lambda p: p in files)
    return (hit.status, hit.target, hit.line) if hit else None


# ---------------------------------------------------------------------------------- convert's own maps

REDIRECTS = [
    Redirect("/2015/03/harbour-at-dawn/", "/posts/harbour-at-dawn/", "101"),
    Redirect("/?p=101", "/posts/harbour-at-dawn/", "101"),
    Redirect("/?page_id=130", "/pages/about/", "130"),
    Redirect("/2018/01/港の朝/", "/posts/港の朝/", "115"),
    Redirect("/a b/it's/", "/posts/a-b/", "7"),
]


@pytest.mark.parametrize("fmt", ["netlify", "nginx", "apache", "caddy"])
def test_every_map_convert_writes_is_read_back(fmt):
    ruleset = rules(fmt, render(REDIRECTS, fmt))
    assert not ruleset.unread
    for path in ("/2015/03/harbour-at-dawn/", "/2015/03/harbour-at-dawn"):
        assert target(ruleset, path)[:2] == (301, "/posts/harbour-at-dawn/")
    assert target(ruleset, "/", "p=101")[:2] == (301, "/posts/harbour-at-dawn/")
    assert target(ruleset, "/", "utm=x&page_id=130")[:2] == (301, "/pages/about/")
    assert target(ruleset, "/", "p=1010") is None and target(ruleset, "/elsewhere/") is None
    assert target(ruleset, "/a b/it's/") is not None


def test_unicode_targets_per_server():
    """Every server sends the encoded target convert writes as it is (Apache: ``\\%`` and [NE]);
    without [NE] mod_rewrite would escape it again (``%E6`` leaves as ``%25E6``, and ``%8`` in
    ``%81`` is a back-reference)."""
    for fmt in ("netlify", "nginx", "caddy", "apache"):
        assert (
            target(rules(fmt, render(REDIRECTS, fmt)), "/2018/01/港の朝/")[1] == "/posts/%E6%B8%AF%E3%81%AE%E6%9C%9D/"
        )
    escaped = rules("apache", "RewriteEngine On\nRewriteRule ^/?x$ /posts/%E6%B8%AF%E3/ [R=301,L]\n")
    apache = target(escaped, "/x")[1]
    assert apache.startswith("/posts/%25E6%25B8%25AF") and "%E3" not in apache
    fixed = rules("apache", "RewriteEngine On\nRewriteRule ^/?2018/01/港の朝/?$ /posts/港の朝/ [R=301,L]\n")
    assert target(fixed, "/2018/01/港の朝/")[1] == "/posts/%E6%B8%AF%E3%81%AE%E6%9C%9D/"
    noescape = rules("apache", "RewriteEngine On\nRewriteRule ^/?x$ /posts/\\%E6\\%B8/ [R=301,NE]\n")
    assert target(noescape, "/x")[1] == "/posts/%E6%B8/"


# ---------------------------------------------------------------------------------- Netlify


def test_netlify_shadowing_force_placeholders_splats():
    ruleset = rules(
        "netlify",
        """# comment
/  p=5  /five/  301
/  p=6  /six/  301!
/news/:year/:slug  /blog/:year/:slug/  302
/old/*  /new/:splat  301
/store  id=:id  /items/:id  301
/fr/*  /fr/404.html  404
/geo  /uk/  302  Country=gb
""",
    )
    assert target(ruleset, "/", "p=5", files=("/",)) is None  # /index.html answers first
    assert target(ruleset, "/", "p=5") == (301, "/five/", 2)
    assert target(ruleset, "/", "p=6", files=("/",)) == (301, "/six/", 3)
    assert target(ruleset, "/news/2020/tides") == (302, "/blog/2020/tides/", 4)
    assert target(ruleset, "/old/a/b") == (301, "/new/a/b", 5)
    assert target(ruleset, "/store", "id=42") == (301, "/items/42", 6)
    assert target(ruleset, "/fr/x") == (404, "", 7)
    assert target(ruleset, "/geo") is None  # conditions are not known here
    assert ruleset.unread == []
    assert rules("netlify", "garbage\n/only-one-token\n").unread == [(1, "garbage"), (2, "/only-one-token")]


# ---------------------------------------------------------------------------------- nginx


def test_nginx_locations_ifs_rewrites():
    ruleset = rules(
        "nginx",
        """
# include inside server { }
if ($arg_p = "5") { return 301 /five/; }
if ($args ~ "^cat=(\\d+)$") { return 302 /category/$1/; }
rewrite ^/feed/?$ /index.xml permanent;
location = /exact { return 301 https://example.org/exact/; }
location /prefix/ { return 301 /p/; }
location ^~ /static/ { return 404; }
location ~ "^/(\\d{4})/(\\d\\d)/([^/]+)/?$" { return 301 /posts/$3/; }  # nginx needs quotes around {
location ~* \\.PHP$ { return 410; }
""",
    )
    assert target(ruleset, "/anything", "p=5")[:2] == (301, "/five/")
    assert target(ruleset, "/", "cat=7")[:2] == (302, "/category/7/")
    assert target(ruleset, "/feed/")[:2] == (301, "/index.xml")
    assert target(ruleset, "/exact")[:2] == (301, "https://example.org/exact/")
    assert target(ruleset, "/exact/") is None
    assert target(ruleset, "/prefix/x/y")[:2] == (301, "/p/")
    assert target(ruleset, "/static/2015/03/x/")[:2] == (404, "")  # ^~ wins over the regex
    assert target(ruleset, "/2015/03/harbour/")[:2] == (301, "/posts/harbour/")
    assert target(ruleset, "/index.php")[:2] == (410, "")
    assert target(ruleset, "//2015//03/harbour/")[:2] == (301, "/posts/harbour/")  # merged slashes


def test_nginx_full_server_block():
    ruleset = rules("nginx", "server {\n  listen 80;\n  location = /a { return 301 /b/; }\n}\n")
    assert target(ruleset, "/a")[:2] == (301, "/b/")


# ---------------------------------------------------------------------------------- Apache


def test_apache_conditions_flags_aliases():
    ruleset = rules(
        "apache",
        """RewriteEngine On
RewriteCond %{QUERY_STRING} (^|&)p=5(&|$)
RewriteRule ^/?$ /five/ [R=301,L,QSD]
RewriteCond %{QUERY_STRING} ^id=(\\d+)$ [NC]
RewriteRule ^/?store$ /items/%1/ [R=302,L,QSD]
RewriteRule ^/?keep/(.*)$ /kept/$1 [R=301,L]
RewriteRule ^/?gone$ - [G]
RewriteRule ^/?inside$ /target/ [L]
Redirect 301 /moved /new-place
RedirectMatch 302 ^/tag/(.+)$ /tags/$1/
""",
    )
    assert target(ruleset, "/", "p=5")[:2] == (301, "/five/")
    assert target(ruleset, "/", "p=50") is None
    assert target(ruleset, "/store", "ID=42")[:2] == (302, "/items/42/")
    assert target(ruleset, "/keep/a", "x=1")[:2] == (301, "/kept/a?x=1")  # the query goes along without QSD
    assert target(ruleset, "/gone")[:2] == (410, "")
    assert target(ruleset, "/inside")[:2] == (200, "/target/")  # an internal rewrite
    assert target(ruleset, "/moved/sub")[:2] == (301, "/new-place/sub")
    assert target(ruleset, "/tag/fog")[:2] == (302, "/tags/fog/")
    off = rules("apache", "RewriteRule ^/?a$ /b/ [R=301]\n")
    assert target(off, "/a") is None  # RewriteEngine is off by default


def test_apache_htaccess_is_directory_context():
    ruleset = rules("apache", "RewriteEngine On\nRewriteRule ^old$ /new/ [R=301,L]\n", ".htaccess")
    assert target(ruleset, "/old")[:2] == (301, "/new/")
    server = rules("apache", "RewriteEngine On\nRewriteRule ^old$ /new/ [R=301,L]\n", "site.conf")
    assert target(server, "/old") is None  # the server context sees "/old"


# ---------------------------------------------------------------------------------- Caddy


def test_caddy_matchers():
    ruleset = rules(
        "caddy",
        """# import me
@five {
\tpath /
\tquery p=5
}
redir @five /five/ 301
@any path /blog/*
redir @any /posts/ permanent
redir /Exact /exact/ 308
redir /moved/ https://example.org{uri}
handle {
\tredir /inner /in/ 301
}
""",
    )
    assert target(ruleset, "/", "p=5")[:2] == (301, "/five/")
    assert target(ruleset, "/", "p=6") is None
    assert target(ruleset, "/blog/x/y")[:2] == (301, "/posts/")
    assert target(ruleset, "/exact")[:2] == (308, "/exact/")  # path matching ignores case
    assert target(ruleset, "/moved/", "a=1")[:2] == (302, "https://example.org/moved/?a=1")
    assert target(ruleset, "/inner")[:2] == (301, "/in/")


# ---------------------------------------------------------------------------------- pages and paths


def test_refresh_target_reads_alias_pages():
    hugo = (
        b'<!DOCTYPE html><html><head><title>x</title><link rel="canonical" href="https://a.example/p/">'
        b'<meta name="robots" content="noindex"><meta charset="utf-8">'
        b'<meta http-equiv="refresh" content="0; url=https://a.example/p/"></head></html>'
    )
    assert refresh_target(Answer(200, "text/html", hugo)) == "https://a.example/p/"
    jekyll = b"<html><head><meta http-equiv='Refresh' content='0;URL=/new/'></head><body>moved</body></html>"
    assert refresh_target(Answer(200, "text/html", jekyll)) == "/new/"
    assert refresh_target(Answer(200, "text/html", b"<html><body><p>refresh your memory</p></body></html>")) is None
    assert refresh_target(Answer(404, "text/html", hugo)) is None


def test_folder_site_serves_like_a_static_host(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<p>a</p>")
    (tmp_path / "b.html").write_text("<p>b</p>")
    (tmp_path / "港").mkdir()
    (tmp_path / "港" / "index.html").write_text("<p>harbour</p>")
    (tmp_path.parent / "secret.html").write_text("no")
    site = FolderSite(tmp_path)
    assert site.get("/a/").ok and site.get("/a/", "p=5").ok
    assert site.get("/a").status == 301 and site.get("/a", "x=1").location == "/a/?x=1"
    assert site.get("/b").ok and site.get("/b.html").ok
    assert site.get("/港/").ok
    assert site.get("/../secret.html").status == 404 and site.get("/c/").status == 404
    blog = FolderSite(tmp_path, "/blog/")
    assert blog.get("/blog/a/").ok and blog.get("/a/").status == 404


def test_locator_and_same_page():
    locator = Locator({"harbour.example.com", "127.0.0.1:8000"})
    assert locator.locate("https://www.harbour.example.com/x/?p=1#c") == ("/x/", "p=1")
    assert locator.locate("http://127.0.0.1:8000/%E6%B8%AF/") == ("/港/", "")
    assert locator.locate("../b/", "/posts/a/") == ("/posts/b/", "")
    assert locator.locate("https://other.example/x/") is None
    assert locator.locate("mailto:a@example.org") is None and locator.locate("#top") is None
    assert same_page("/a/index.html", "/a") and same_page("/%E6%B8%AF/", "/港/") and not same_page("/a/", "/b/")


def test_content_comparison():
    doc = Document(
        "1",
        title="Tides",
        content='<p>High water at <b>six</b>.</p>[caption id="a"]A boat[/caption]'
        "<!-- wp:archives /--><table><tr><td>one</td><td>two</td></tr></table>",
    )
    words = source_words(doc)
    assert words == ["tides", "high", "water", "at", "six", "a", "boat", "one", "two"]
    page = (
        "<html><body><nav>Home About</nav><main><article><h1>Tides</h1><p>High water at six.</p>"
        "<p>A boat</p><table><tr><td>one</td><td>two</td></tr></table><section class='comments'>Nice!</section>"
        "</article></main><footer>Footer text</footer></body></html>"
    )
    same = compare(words, page_words(main_element(page)))
    assert (same.recall, same.precision, same.missing) == (1.0, 1.0, 0)
    changed = compare(words, page_words(main_element(page.replace("High water at six.", "Low tide."))))
    assert changed.missing == 4 and changed.passage == "high water at six" and changed.recall < 0.6


def test_converted_urls_and_base_urls(tmp_path):
    (tmp_path / "content" / "posts").mkdir(parents=True)
    (tmp_path / "content" / "posts" / "Mixed-Case.md").write_text("---\ntitle: x\n---\nbody\n")
    assert page_url(tmp_path, "content/posts/Mixed-Case.md", "hugo") == "/posts/mixed-case/"
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "2015-03-01-a.md").write_text("---\ntitle: a\npermalink: /2015/03/a/\n---\nx\n")
    assert page_url(tmp_path, "_posts/2015-03-01-a.md", "jekyll") == "/2015/03/a/"
    assert page_url(tmp_path, "posts/港.md", "plain") == "/posts/港/"
    (tmp_path / "hugo.toml").write_text('baseURL = "https://new.example/blog/"\ntitle = "x"\n')
    assert config_base_url(tmp_path, "hugo") == "https://new.example/blog/"
    (tmp_path / "_config.yml").write_text('url: "https://new.example"\nbaseurl: "/notes"\n')
    assert config_base_url(tmp_path, "jekyll") == "https://new.example/notes/"
    assert config_base_url(tmp_path, "plain") == ""


def test_every_verify_code_is_documented():
    from migrator.verify.report import CHECKS

    from conftest import ROOT

    problems = (ROOT / "docs" / "problems.md").read_text(encoding="utf-8")
    guide = (ROOT / "docs" / "verify.md").read_text(encoding="utf-8")
    codes = {code for check in CHECKS for code in check.codes}
    assert len({c for c in codes if c.startswith("verify-")}) == 5
    assert all(f"`{code}`" in problems for code in codes)
    assert all(f"`{code}`" in guide for code in codes if code.startswith("verify-"))


def test_a_rule_sending_a_page_to_itself_is_a_loop(tmp_path):
    """``location = /services/ { return 301 /services/; }`` (the twin of ``/services``) never ends."""
    from migrator.verify.navigate import Navigator

    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "index.html").write_text("<main>Services</main>")
    nginx = rules(
        "nginx", "location = /services { return 301 /services/; }\nlocation = /services/ { return 301 /services/; }\n"
    )
    navigator = Navigator(FolderSite(tmp_path), Locator(set()))
    outcome = navigator.follow("/services", "", nginx)
    assert not outcome.ok and outcome.error == "redirect loop"
    assert [s.line for s in outcome.steps] == [1, 2]
    assert navigator.follow("/services", "", None).ok  # without the map: a redirect to /services/, then the page
