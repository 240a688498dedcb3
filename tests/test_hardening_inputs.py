"""Hostile inputs that once broke a promise (issue 18): wrong encoding declarations, layout
templates, ids shared by different items, hostile slugs, exit codes of repaired files.

Every export here is written by the test itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import migrator
from migrator.model import Site
from migrator.inspect import inspect_inputs
from migrator.sources.wxr import read_wxr
from migrator.validate import validate

from conftest import run_cli, split_front_matter

HEAD = ('<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n'
        "<title>Pier Notes</title>\n<link>https://pier.example.com</link>\n"
        "<wp:wxr_version>1.2</wp:wxr_version>\n<wp:base_site_url>https://pier.example.com</wp:base_site_url>\n")
TAIL = "</channel>\n</rss>\n"


def item(post_id: str, title: str, body: str = "<p>Body text.</p>", slug: str = "", status: str = "publish",
         post_type: str = "post", extra: str = "") -> str:
    return (f"<item>\n<title>{title}</title>\n<wp:post_id>{post_id}</wp:post_id>\n"
            f"<wp:post_name>{slug}</wp:post_name>\n<wp:post_type>{post_type}</wp:post_type>\n"
            f"<wp:status>{status}</wp:status>\n<wp:post_date>2024-03-01 10:00:00</wp:post_date>\n"
            f"<content:encoded><![CDATA[{body}]]></content:encoded>\n{extra}</item>\n")


def export(path: Path, *items: str, declaration: str = '<?xml version="1.0" encoding="UTF-8"?>\n') -> Path:
    path.write_bytes((declaration + HEAD + "".join(items) + TAIL).encode("utf-8"))
    return path


def _read(path: Path):
    problems: list = []
    return list(read_wxr(path, Site(), problems)), problems


# -- 1. wrong encoding declarations --------------------------------------------------------------

@pytest.mark.parametrize("declared", ["UTF-16", "UTF-32", "utf-16le", "UTF-32BE", "ucs-2", "cp037", "utf-7",
                                      "hex", "rot13", "base64", "undefined", "idna", "no-such-codec"])
def test_wrong_encoding_declaration_is_read_by_the_bytes(tmp_path: Path, declared: str) -> None:
    """UTF-8 bytes declared as UTF-16/UTF-32 (or as a codec that is no text encoding at all) are
    read as what the bytes are, and the declaration is reported; convert, validate and inspect
    finish cleanly."""
    path = export(tmp_path / "in.xml", item("1", "Café au lait", "<p>Crème brûlée.</p>"),
                  declaration=f'<?xml version="1.0" encoding="{declared}"?>\n')
    docs, problems = _read(path)
    assert [(d.title, d.content) for d in docs] == [("Café au lait", "<p>Crème brûlée.</p>")]
    codes = {p.code for p in problems}
    assert codes & {"encoding-mismatch", "encoding-unknown"}, problems
    assert any(declared in p.message for p in problems if p.code.startswith("encoding-"))
    assert not [p for p in problems if p.severity == "error"]
    report = migrator.convert([path], tmp_path / "out", jobs=1)
    assert report.exit_code == 0
    assert "Crème brûlée." in next((tmp_path / "out").rglob("*.md")).read_text(encoding="utf-8")
    assert validate([path]).exit_code() == 0
    summary = inspect_inputs([path])
    assert summary["items"] == 1 and not summary["unreadable"]


@pytest.mark.parametrize("declared", ["UTF-16", "UTF-32"])
def test_wrong_encoding_declaration_on_the_command_line(tmp_path: Path, declared: str) -> None:
    path = export(tmp_path / "in.xml", item("1", "Café au lait"),
                  declaration=f'<?xml version="1.0" encoding="{declared}"?>\n')
    for args in (["convert", str(path), "-o", str(tmp_path / "out"), "-q"], ["validate", str(path)],
                 ["inspect", str(path)]):
        result = run_cli(*args)
        assert "Traceback" not in result.stderr and result.returncode == 0, (args, result.stderr, result.stdout)
    assert "encoding-mismatch" in run_cli("validate", str(path)).stdout


def test_utf32_without_bom_is_sniffed(tmp_path: Path) -> None:
    text = '<?xml version="1.0" encoding="UTF-32"?>\n' + HEAD + item("1", "Zoë") + TAIL
    path = tmp_path / "in.xml"
    path.write_bytes(text.encode("utf-32-le"))
    docs, problems = _read(path)
    assert [d.title for d in docs] == ["Zoë"]
    assert not [p for p in problems if p.severity == "error"]


# -- 2. --layout templates -----------------------------------------------------------------------

@pytest.mark.parametrize("layout", ["{nope}.md", "{slug", "slug}.md", "{0}.md", "{}.md", "{slug.__class__}.md",
                                    "{slug[0]}.md", "{slug!r}.md", "{slug:>200}.md", "{year:{slug}}.md",
                                    "{type.__init__.__globals__}.md"])
def test_bad_layout_is_a_usage_error(tmp_path: Path, layout: str) -> None:
    path = export(tmp_path / "in.xml", item("1", "Hello", slug="hello"))
    result = run_cli("convert", str(path), "-o", str(tmp_path / "out"), "--layout", layout)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "--layout" in result.stderr
    assert not (tmp_path / "out").exists()
    with pytest.raises(ValueError, match="layout"):
        migrator.convert([path], tmp_path / "out2", layout=layout)


def test_documented_layout_fields_work(tmp_path: Path) -> None:
    path = export(tmp_path / "in.xml", item("7", "Hello", slug="hello"))
    report = migrator.convert([path], tmp_path / "out", layout="{type}/{status}/{year}-{month}-{day}/{id}-{slug}.md",
                              jobs=1)
    assert [d.path for d in report.documents] == ["post/publish/2024-03-01/7-hello.md"]
    assert (tmp_path / "out" / "post/publish/2024-03-01/7-hello.md").is_file()
