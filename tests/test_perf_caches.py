"""Per-run caches of pass 2 (issue 20): they answer exactly what the uncached code answers."""

from __future__ import annotations

import dataclasses

from migrator.options import Options
from migrator.plan import references
from migrator.plan.index import build_index
from migrator.plan.references import References

from conftest import FIXTURES


def test_link_classification_is_cached_per_absolute_url(monkeypatch) -> None:
    index = build_index([FIXTURES / "sample-export.xml"], Options(), [])
    try:
        base = index.site.urls[0].rstrip("/")
        hrefs = [
            f"{base}/?p=1",
            f"{base}/hello-world/",
            "/hello-world/#part",
            "hello-world/",
            f"{base}/category/x/",
            f"{base}/wp-content/uploads/a.jpg",
            "https://elsewhere.example/x",
            " mailto:a@b.example ",
            "#top",
            f"{base}/no-such-page/",
            f"{base.replace('https:', 'http:')}/hello-world/",
        ]
        docs = [f"{base}/hello-world/", f"{base}/a/b/", ""]
        cached = References(index, Options())
        calls = []
        real = cached._classify_absolute
        monkeypatch.setattr(cached, "_classify_absolute", lambda url: calls.append(url) or real(url))
        first = [cached.classify(h, d) for h in hrefs for d in docs]
        again = [cached.classify(h, d) for h in hrefs for d in docs]
        fresh = [References(index, Options()).classify(h, d) for h in hrefs for d in docs]
        assert first == again == fresh
        assert len(calls) == len(set(calls))  # each absolute URL classified once
        again[0].url = "changed"
        assert cached.classify(hrefs[0], docs[0]) == fresh[0]  # callers get copies
        monkeypatch.setattr(references, "CLASSIFIED", 2)
        small = References(index, Options())
        assert [small.classify(h, d) for h in hrefs for d in docs] == fresh and len(small._classified) <= 2
    finally:
        index.close()
    assert dataclasses.is_dataclass(fresh[0])


def test_output_folders_checked_once_files_every_time(tmp_path, monkeypatch) -> None:
    import os

    import pytest

    from migrator.output import writer
    from migrator.output.writer import SafeRoot, UnsafePath, resolve_inside

    out = tmp_path / "out"
    (out / "posts" / "2020").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (out / "link").symlink_to(tmp_path / "elsewhere")
    (out / "posts" / "file-link.md").symlink_to(tmp_path / "elsewhere" / "x.md")
    paths = SafeRoot(out)
    cases = [
        "posts/2020/a.md",
        "posts/new/b.md",
        "./posts/c.md",
        "link/a.md",
        "posts/file-link.md",
        "../x.md",
        "/etc/passwd",
        "C:/x",
        "a\x00b",
        ".",
        "",
        "posts\\2020\\d.md",
    ]
    for rel in cases:
        try:
            expected = resolve_inside(out, rel)
        except UnsafePath:
            with pytest.raises(UnsafePath):
                paths.resolve(rel)
            continue
        assert paths.resolve(rel) == expected
    looked = []
    real_lstat = os.lstat
    monkeypatch.setattr(writer.os, "lstat", lambda p: looked.append(str(p)) or real_lstat(p))
    paths.resolve("posts/2020/e.md")
    inside = str(out.resolve()) + "/"
    assert [p for p in looked if p.startswith(inside)] == [inside + "posts/2020/e.md"]  # the folders were known
    # a folder not there when first met is looked at again: a symlink put there later is refused
    (out / "posts" / "new").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UnsafePath):
        paths.resolve("posts/new/b.md")
