"""The benchmark's export generator: deterministic, well-formed, realistic mix."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import migrator

from conftest import ROOT


def _gen():
    spec = importlib.util.spec_from_file_location("wxrgen", ROOT / "benchmarks" / "wxrgen.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    gen = _gen()
    a = gen.generate(150, tmp_path / "a.xml", seed=3).read_bytes()
    b = gen.generate(150, tmp_path / "b.xml", seed=3).read_bytes()
    c = gen.generate(150, tmp_path / "c.xml", seed=4).read_bytes()
    assert a == b and a != c


def test_mix_sizes_and_links(tmp_path: Path) -> None:
    export = _gen().generate(400, tmp_path / "g.xml", seed=1)
    problems: list = []
    docs = list(migrator.read([export], problems=problems))
    assert len(docs) == 400 and not [p for p in problems if p.severity == "error"]
    kinds = Counter(d.type for d in docs)
    assert kinds["post"] > 150 and kinds["attachment"] > 60 and kinds["page"] > 10 and kinds["revision"] > 5
    posts = [d for d in docs if d.type in ("post", "page")]
    average = sum(len(d.content.encode("utf-8")) for d in posts) / len(posts)
    assert 5_000 <= average <= 8_000
    text = export.read_text(encoding="utf-8")
    for marker in (
        "[caption",
        "[gallery",
        "<!-- wp:image",
        "srcset=",
        "?p=",
        "?page_id=",
        "http://perf",
        "https://www.perf",
        "<wp:comment>",
        "<!--more-->",
    ):
        assert marker in text, marker
    report = migrator.convert([export], tmp_path / "out", jobs=1)
    assert report.exit_code == 0 and len(report.documents) > 150
