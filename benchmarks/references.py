"""The link and media references stage alone: every link rewrite of one conversion, replayed.

    python benchmarks/references.py EXPORT [--repeat 3]

Converts EXPORT once (``--jobs 1``, into a temporary folder) while recording each attribute the
references stage rewrites (tag, attribute, value, the document's URL and path), then replays
those rewrites through a fresh :class:`~migrator.plan.references.References` over the same
index, with every per-process cache emptied first.  It prints the CPU time of the fastest replay
and a digest of everything the replays wrote (the attributes, the problems reported, the media
uses): two commits that rewrite links alike print the same digest.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import tempfile
import time
from functools import _lru_cache_wrapper
from pathlib import Path

from migrator import media_urls, pipeline, urls
from migrator.options import Options
from migrator.plan import references
from migrator.plan.index import build_index
from migrator.plan.references import References

Call = tuple[str, str, str, str, str, bool]  # tag, attribute, value, base URL, document path, media only


def record(export: Path) -> list[Call]:
    """Every ``_rewrite_attr`` call of one conversion of ``export``."""
    calls: list[Call] = []
    real = References._rewrite_attr

    def recording(self, tag, attr, ctx, from_path, base, media_only):  # type: ignore[no-untyped-def]
        value = tag.get(attr)
        if value:
            calls.append((tag.tag, attr, value, base, from_path, media_only))
        return real(self, tag, attr, ctx, from_path, base, media_only)

    out = Path(tempfile.mkdtemp(prefix="migrator-refs-"))
    References._rewrite_attr = recording  # type: ignore[method-assign]
    try:
        pipeline.convert([export], out / "out", jobs=1)
    finally:
        References._rewrite_attr = real  # type: ignore[method-assign]
        shutil.rmtree(out, ignore_errors=True)
    return calls


class _Tag(dict):
    """An element as far as ``_rewrite_attr`` uses it (a tag name and its attributes)."""

    def __init__(self, tag: str, attr: str, value: str):
        super().__init__({attr: value})
        self.tag = tag
        self.attrib = self

    def set(self, key: str, value: str) -> None:
        self[key] = value


class _Context:
    def __init__(self) -> None:
        self.reported: list[tuple[str, str]] = []

    def report(self, code: str, message: str, severity: str | None = None) -> None:
        self.reported.append((code, message))


def _empty_caches() -> None:
    for module in (urls, media_urls, references):
        for value in vars(module).values():
            if isinstance(value, _lru_cache_wrapper):
                value.cache_clear()


def replay(index, options: Options, calls: list[Call]) -> tuple[float, str]:  # type: ignore[no-untyped-def]
    """CPU seconds of one replay, and the digest of what it wrote."""
    _empty_caches()
    index.db._answers.clear()
    start = time.process_time()
    refs = References(index, options)
    ctx = _Context()
    written = []
    for tag_name, attr, value, base, from_path, media_only in calls:
        tag = _Tag(tag_name, attr, value)
        refs._rewrite_attr(tag, attr, ctx, from_path, base, media_only)  # type: ignore[arg-type]
        written.append(sorted(tag.items()))
    spent = time.process_time() - start
    digest = hashlib.sha256(repr(written).encode())
    digest.update(repr(ctx.reported).encode())
    digest.update(repr([(u, m.attachment_id, sorted(m.written.items())) for u, m in refs.media.items()]).encode())
    return spent, digest.hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("export", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    calls = record(args.export)
    options = pipeline.effective_options(Options(jobs=1), [args.export])
    index = build_index([args.export], options, [])
    try:
        References(index, options)  # fills the attachment maps, as the run's References does
        index.db.freeze()
        runs = [replay(index, options, calls) for _ in range(args.repeat)]
    finally:
        index.close()
    digests = {digest for _, digest in runs}
    assert len(digests) == 1, f"replays differ: {digests}"
    best = min(spent for spent, _ in runs)
    print(
        f"{len(calls)} rewrites: fastest replay {best:.3f} s CPU ({best / len(calls) * 1e6:.1f} us each), digest {digests.pop()}"
    )


if __name__ == "__main__":
    main()
