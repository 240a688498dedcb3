"""Scraped inputs through the whole pipeline: text scrapes, saved pages and a saved site."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from conftest import FIXTURES, md_html, run_cli, split_front_matter

CHROME = ("Skip to content", "Get every new post delivered to your Inbox", "other followers")


def test_seed_scrape_end_to_end(corpus: Path, tmp_path: Path) -> None:
    seed = corpus / "seed" / "000_8774593daedced97.txt"
    proc = run_cli("convert", str(seed), "-o", str(tmp_path / "o"), "-q", "--explain")
    assert proc.returncode == 0, proc.stderr
    assert "skip-link: 'Skip to content'" in proc.stdout  # --explain names the removed line and rule
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert len(manifest["documents"]) == 7
    for entry in manifest["documents"]:
        text = (tmp_path / "o" / entry["path"]).read_text(encoding="utf-8")
        assert not any(c in text for c in CHROME)
        meta = yaml.safe_load(split_front_matter(text)[0])
        assert meta["title"] == entry["title"] and meta["date"].startswith(entry["date"][:10])
    first = next(e for e in manifest["documents"] if e["date"].startswith("2015-05-26"))
    body = split_front_matter((tmp_path / "o" / first["path"]).read_text())[1]
    items = [li.get_text(" ", strip=True) for li in BeautifulSoup(md_html(body), "html.parser").find_all("li")]
    assert "3 Clinical Commissioning Groups" in items


def test_saved_site_folder(tmp_path: Path) -> None:
    proc = run_cli("convert", str(FIXTURES / "html" / "mirror"), "-o", str(tmp_path / "o"), "-q")
    assert proc.returncode in (0, 1), proc.stderr
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text())
    titles = [d["title"] for d in manifest["documents"]]
    assert titles and len(titles) == len(set(titles)), "each post once"
    for entry in manifest["documents"]:
        doc = tmp_path / "o" / entry["path"]
        text = doc.read_text(encoding="utf-8")
        meta = yaml.safe_load(split_front_matter(text)[0])
        assert not any("?p=" in alias for alias in meta.get("aliases", [])), "no made-up ?p= ids"
        images = BeautifulSoup(md_html(split_front_matter(text)[1]), "html.parser").find_all("img")
        for img in images:  # the saved site's own images are copied and referenced relatively
            assert not img["src"].startswith("http"), img["src"]
            assert (doc.parent / img["src"]).resolve().is_file(), img["src"]
    assert list((tmp_path / "o" / "media").rglob("*.jpg"))


def test_html_page_end_to_end(tmp_path: Path) -> None:
    page = FIXTURES / "html" / "wpcom-jetpack-single.html"
    proc = run_cli("convert", str(page), "-o", str(tmp_path / "o"), "-q")
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert len(manifest["documents"]) == 1
    text = (tmp_path / "o" / manifest["documents"][0]["path"]).read_text()
    assert "Like this:" not in text and "Share this:" not in text
    assert yaml.safe_load(split_front_matter(text)[0])["date"]
