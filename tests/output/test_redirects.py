"""Redirect maps: every format from the sample export, checked line by line and by meaning."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from migrator.cli import main
from migrator.output.redirects import FILES, Redirect, render, unique
from plan.test_references_helpers import SAMPLE, MediaServer, export_for, manifest, path_of

FORMATS = ["netlify", "nginx", "apache", "caddy", "csv"]
UNICODE = "/posts/%E6%B8%AF%E3%81%AE%E6%9C%9D/"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("redirects") / "out"
    code = main(
        [
            "convert",
            str(SAMPLE),
            "-o",
            str(out),
            "-q",
            "--redirects",
            "netlify,nginx",
            "--redirects",
            "apache",
            "--redirects",
            "caddy,csv",
        ]
    )
    assert code == 0
    return out


def lines(out: Path, fmt: str) -> list[str]:
    return (out / FILES[fmt]).read_text(encoding="utf-8").splitlines()


def test_every_format_written(out: Path) -> None:
    for fmt in FORMATS:
        assert (out / FILES[fmt]).is_file(), fmt


def test_netlify(out: Path) -> None:
    got = [re.split(r"\s+", line.strip()) for line in lines(out, "netlify") if not line.startswith("#")]
    assert ["/2015/03/harbour-at-dawn/", "/posts/harbour-at-dawn/", "301"] in got
    assert ["/", "p=101", "/posts/harbour-at-dawn/", "301!"] in got  # forced: "/" exists
    assert ["/", "page_id=132", "/pages/about/moorings/visitor-moorings/", "301!"] in got
    assert ["/2018/01/%E6%B8%AF%E3%81%AE%E6%9C%9D/", UNICODE, "301"] in got
    assert ["/2019/09/caf%C3%A9-on-the-quay/", "/posts/caf%C3%A9-on-the-quay/", "301"] in got
    # attachment page -> parent document (media stayed on the old host in link mode)
    assert ["/2015/03/harbour-at-dawn/dawn/", "/posts/harbour-at-dawn/", "301"] in got
    assert [
        "/",
        "attachment_id=206",
        "https://harbour.example.com/wp-content/uploads/2016/05/tide-tables-2016.pdf",
        "301!",
    ] in got
    # skipped items (drafts, private, trash) get no redirect
    assert not any("p=106" in part or "p=111" in part or "p=113" in part for row in got for part in row)
    # every row: old path, query parameters (if any), new URL, status
    assert all(
        len(row) >= 3 and row[-1] == ("301!" if "=" in row[1] else "301") and row[0].startswith("/") for row in got
    )
    assert ["/", "post_type=portfolio", "p=119", "/portfolios/chart-of-the-outer-harbour/", "301!"] in got


def test_nginx(out: Path) -> None:
    text = lines(out, "nginx")
    assert "location = /2015/03/harbour-at-dawn/ { return 301 /posts/harbour-at-dawn/; }" in text
    assert "location = /2015/03/harbour-at-dawn { return 301 /posts/harbour-at-dawn/; }" in text
    assert "if ($arg_p = 101) { return 301 /posts/harbour-at-dawn/; }" in text
    assert f"location = /2018/01/港の朝/ {{ return 301 {UNICODE}; }}" in text
    assert 'if ($args = "post_type=portfolio&p=119") { return 301 /portfolios/chart-of-the-outer-harbour/; }' in text
    braces = "".join(text).count("{") - "".join(text).count("}")
    assert braces == 0


def test_apache_rules_match_the_old_paths(out: Path) -> None:
    text = lines(out, "apache")
    assert "RewriteEngine On" in text
    rules = [line.split() for line in text if line.startswith("RewriteRule")]
    assert rules

    def target(path: str) -> str | None:
        for _, pattern, new, flags in rules:
            if re.search(pattern, path.lstrip("/")) and flags == "[R=301,L,QSD,NE]":
                return new.replace("\\%", "%")  # what Apache sends (NE: as written)
        return None

    assert target("/2015/03/harbour-at-dawn/") == "/posts/harbour-at-dawn/"
    assert target("/2015/03/harbour-at-dawn") == "/posts/harbour-at-dawn/"
    assert target("/about/moorings/") == "/pages/about/moorings/"
    assert target("/2018/01/港の朝/") == UNICODE
    assert target("/2015/03/harbour-at-dawn-extra/") is None
    i = text.index(r"RewriteCond %{QUERY_STRING} (^|&)p=101(&|$)")
    assert text[i + 1] == "RewriteRule ^/?$ /posts/harbour-at-dawn/ [R=301,L,QSD,NE]"


def test_caddy(out: Path) -> None:
    text = lines(out, "caddy")
    assert "redir /2015/03/harbour-at-dawn/ /posts/harbour-at-dawn/ 301" in text
    assert "redir /2015/03/harbour-at-dawn /posts/harbour-at-dawn/ 301" in text
    i = text.index("\tquery p=101")
    name = text[i - 2].split()[0]
    assert text[i - 1] == "\tpath /" and text[i + 1] == "}"
    assert text[i + 2] == f"redir {name} /posts/harbour-at-dawn/ 301"


def test_csv_maps_every_document(out: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((out / FILES["csv"]).read_text(encoding="utf-8"))))
    by_old = {r["old"]: r for r in rows}
    assert by_old["/?p=101"]["new"] == "/posts/harbour-at-dawn/"
    assert by_old["/?p=101"]["id"] == "101" and by_old["/?p=101"]["status"] == "301"
    written = {d["id"] for d in manifest(out)["documents"]}
    assert {r["id"] for r in rows} >= written
    for row in rows:
        if row["new"].startswith("/"):
            stem = unquote(row["new"]).strip("/")
            assert (out / f"{stem}.md").is_file(), row
        if row["id"] in written:
            assert path_of(out, row["id"]).is_file()


def test_downloaded_media_redirect_to_the_local_copy(tmp_path: Path) -> None:
    with MediaServer() as server:
        export = export_for(server.base, tmp_path)
        out = tmp_path / "out"
        code = main(
            [
                "convert",
                str(export),
                "-o",
                str(out),
                "-q",
                "--media",
                "download",
                "--allow-private-hosts",
                "--redirects",
                "netlify",
                "--base-url",
                "/site/",
            ]
        )
        assert code == 0
    got = [re.split(r"\s+", line) for line in lines(out, "netlify") if not line.startswith("#")]
    assert ["/", "attachment_id=201", "/site/media/2015/03/dawn.jpg", "301!"] in got
    assert ["/wp-content/uploads/2015/03/dawn.jpg", "/site/media/2015/03/dawn.jpg", "301"] in got
    assert ["/2015/03/harbour-at-dawn/", "/site/posts/harbour-at-dawn/", "301"] in got
    assert (out / "media/2015/03/dawn.jpg").is_file()


def test_unique_and_quoting() -> None:
    redirects = [Redirect("/a b/", "/new a/", "1"), Redirect("/a b/", "/other/", "2"), Redirect("/same/", "/same/")]
    assert list(unique(redirects)) == [redirects[0]]
    assert "/a%20b/  /new%20a/  301" in render(redirects, "netlify")
    assert 'location = "/a b/" { return 301 /new%20a/; }' in render(redirects, "nginx")
    assert 'redir "/a b/" /new%20a/ 301' in render(redirects, "caddy")
    assert r'RewriteRule "^/?a\ b/?$" /new\%20a/ [R=301,L,QSD,NE]' in render(redirects, "apache")


def test_apache_target_percent_escaped_and_sent_as_written() -> None:
    """mod_rewrite reads %N in a target as a back-reference and escapes % again: a percent-encoded
    target is written with \\% and NE, so Apache sends exactly /caf%C3%A9/."""
    text = render([Redirect("/2019/09/café/", "/posts/café/", "1")], "apache")
    assert r"RewriteRule ^/?2019/09/café/?$ /posts/caf\%C3\%A9/ [R=301,L,QSD,NE]" in text


def test_trailing_slash_twin_that_is_the_target_is_not_redirected() -> None:
    """/services -> /services/: the twin rule /services/ would send the new page to itself."""
    r = [Redirect("/services", "/services/", "7")]
    assert "location = /services/ " not in render(r, "nginx")
    assert "location = /services { return 301 /services/; }" in render(r, "nginx")
    assert "redir /services/ " not in render(r, "caddy")
    assert "RewriteRule ^/?services$ /services/ [R=301,L,QSD,NE]" in render(r, "apache")
    assert not re.search(r"services/\?\$", render(r, "apache"))


def test_redirects_follow_the_target_and_never_loop(tmp_path):
    import migrator
    from conftest import FIXTURES

    hugo = tmp_path / "hugo"
    assert migrator.convert([FIXTURES / "sample-export.xml"], hugo, target="hugo", redirects=["csv"]).exit_code == 0
    rows = list(csv.DictReader((hugo / "redirects.csv").open(encoding="utf-8")))
    new = {r["old"]: r["new"] for r in rows}
    assert new["/2015/03/harbour-at-dawn/"] == "/posts/harbour-at-dawn/"  # Hugo's URL, not the file path
    assert new["/?p=101"] == "/posts/harbour-at-dawn/"
    jekyll = tmp_path / "jekyll"
    assert migrator.convert([FIXTURES / "sample-export.xml"], jekyll, target="jekyll", redirects=["csv"]).exit_code == 0
    jrows = list(csv.DictReader((jekyll / "redirects.csv").open(encoding="utf-8")))
    assert jrows, "query forms (?p=N) still need redirects"
    for row in rows + jrows:
        assert row["old"].rstrip("/") != row["new"].rstrip("/"), row  # no redirect loops


def test_streamed_files_equal_the_rendered_text(tmp_path):
    """write_redirects streams (spool, old URLs on disk): the files are the text render() gives,
    for every format, past the spool's memory limit and with repeated old URLs."""
    from migrator.output.redirects import write_redirects

    redirects = [
        Redirect(f"/{n % 700}/päge {n}/?p={n % 3}" if n % 5 == 0 else f"/{n % 700}/", f"/new/{n}/", str(n))
        for n in range(2000)
    ]
    redirects.append(Redirect("/same/", "/same/", "x"))  # points at itself: left out
    names = write_redirects(iter(redirects), list(FILES), tmp_path)
    assert names == list(FILES.values())
    for fmt, name in FILES.items():
        assert (tmp_path / name).read_text(encoding="utf-8") == render(redirects, fmt)
    assert "/same/" not in (tmp_path / "_redirects").read_text(encoding="utf-8")
    before = {name: (tmp_path / name).stat().st_mtime_ns for name in FILES.values()}
    write_redirects(iter(redirects), list(FILES), tmp_path)  # unchanged: left alone
    assert before == {name: (tmp_path / name).stat().st_mtime_ns for name in FILES.values()}
