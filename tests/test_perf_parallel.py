"""--jobs N writes exactly what --jobs 1 writes (files, manifest, report), in input order."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import pytest

import migrator
from migrator import parallel
from migrator.cli import build_parser
from migrator.options import Options

from conftest import FIXTURES, ROOT


def _load_generator():
    spec = importlib.util.spec_from_file_location("wxrgen", ROOT / "benchmarks" / "wxrgen.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def pooled(monkeypatch):
    """Force the pool even for tiny inputs, one document per task; count merged outcomes."""
    monkeypatch.setattr(parallel, "MIN_DOCUMENTS", 1)
    monkeypatch.setattr(parallel, "MAX_BATCH", 1)
    merged = []
    real_merge = parallel.merge

    def counting_merge(report, part):
        merged.append(part)
        real_merge(report, part)

    monkeypatch.setattr(parallel, "merge", counting_merge)
    return merged


def run_both(inputs: list[Path], tmp_path: Path, **options):
    one = migrator.convert(inputs, tmp_path / "one", jobs=1, **options)
    two = migrator.convert(inputs, tmp_path / "two", jobs=2, **options)
    return one, two


def assert_same(one, two, tmp_path: Path) -> None:
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    assert dataclasses.asdict(one) == dataclasses.asdict(two)


def test_sample_export_byte_identical(tmp_path: Path, pooled) -> None:
    one, two = run_both([FIXTURES / "sample-export.xml"], tmp_path)
    assert one.documents and pooled, "the pool converted nothing"
    assert len(pooled) == len(one.documents) + sum(1 for s in one.skipped if s.reason == "conversion-failed")
    assert_same(one, two, tmp_path)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"media": "bundle", "link_style": "absolute"},
        {"media": "download", "include_drafts": True, "redirects": ["csv"]},
        {"target": "hugo", "comments": "data", "scaffold": True},
    ],
)
def test_generated_export_byte_identical(tmp_path: Path, pooled, options: dict) -> None:
    export = _load_generator().generate(120, tmp_path / "gen.xml", seed=7)
    if options.get("media") in ("download", "bundle"):
        (tmp_path / "uploads").mkdir()  # copy media from an empty folder: every file is missing
        options = {**options, "media_from": str(tmp_path / "uploads")}
    one, two = run_both([export], tmp_path, **options)
    assert len(one.documents) > 40 and len(pooled) >= len(one.documents)
    assert any(p.code == "dangling-internal-link" for p in one.problems)
    assert_same(one, two, tmp_path)


WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<link>https://same.example.com</link><wp:base_site_url>https://same.example.com</wp:base_site_url>
{items}</channel></rss>"""
ITEM = """<item><title>Post {n}</title><link>https://same.example.com/post-{n}/</link>
<content:encoded><![CDATA[<p>Image {n}</p><img src="{url}" alt="x">]]></content:encoded>
<wp:post_id>{n}</wp:post_id><wp:post_name>post-{n}</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type></item>
"""


def test_canonical_spelling_fixed_by_an_earlier_document(tmp_path: Path, pooled) -> None:
    """One file, two spellings, no attachment: the first document's spelling wins everywhere."""
    urls = ["http://same.example.com/wp-content/uploads/a.jpg", "https://www.same.example.com/wp-content/uploads/a.jpg"]
    items = "".join(ITEM.format(n=n, url=urls[n % 2]) for n in range(1, 9))
    export = tmp_path / "same.xml"
    export.write_text(WXR.format(items=items), encoding="utf-8")
    one, two = run_both([export], tmp_path)
    assert_same(one, two, tmp_path)
    bodies = [t for p, t in tree(tmp_path / "two").items() if p.endswith(".md")]
    assert len(bodies) == 8 and all(urls[1].encode() in b for b in bodies)  # post 1 (odd) used https://www.


def test_jobs_option_and_cli() -> None:
    assert Options().jobs >= 1
    args = build_parser().parse_args(["convert", "x.xml", "-o", "out", "--jobs", "3"])
    assert args.jobs == 3
    with pytest.raises(SystemExit):
        build_parser().parse_args(["convert", "x.xml", "-o", "out", "--jobs", "0"])


def test_small_runs_stay_in_one_process(tmp_path: Path, monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(parallel, "convert_parallel", lambda *a, **k: calls.append(a))
    migrator.convert([FIXTURES / "sample-export.xml"], tmp_path / "out", jobs=2)
    assert calls == []  # fewer than MIN_DOCUMENTS documents


def test_pooled_run_owns_its_files_on_a_rerun(tmp_path: Path, pooled) -> None:
    """Files the workers wrote are recorded as this run's: a second run into the same folder
    neither refuses them as foreign nor removes them as stale."""
    export = _load_generator().generate(80, tmp_path / "gen.xml", seed=3)
    first = migrator.convert([export], tmp_path / "out", jobs=2)
    assert pooled and first.exit_code == 0
    second = migrator.convert([export], tmp_path / "out", jobs=2)
    codes = {p.code for p in second.problems}
    assert second.exit_code == 0 and not codes & {"output-conflict", "stale-removed"}
    assert len(second.documents) == len(first.documents)
