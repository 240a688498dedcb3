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
        hrefs = [f"{base}/?p=1", f"{base}/hello-world/", "/hello-world/#part", "hello-world/", f"{base}/category/x/",
                 f"{base}/wp-content/uploads/a.jpg", "https://elsewhere.example/x", " mailto:a@b.example ", "#top",
                 f"{base}/no-such-page/", f"{base.replace('https:', 'http:')}/hello-world/"]
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
