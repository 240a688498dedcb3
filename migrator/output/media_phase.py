"""The media phase, after every document is written: download, record, fix references.

Documents are written in pass 2 with *tentative* local media paths (``media_ref``).  Here
each unique media URL gets its final place (bundle mode: beside the one document that uses
it, else ``media/...``), is downloaded once, and every document whose tentative reference
turned out wrong (the download failed, or a bundle image is shared) is patched in place:
failed files go back to their absolute URL.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import threading
from pathlib import Path

from ..media_urls import original_url
from ..model import MediaEntry, Problem, Report
from ..plan.references import MediaUse, References
from ..spool import Spool
from .media import Downloader, MediaResult, ProgressCallback
from .ownership import OutputConflict, Ownership
from .writer import UnsafePath, atomic_write, resolve_inside

OK_STATUSES = frozenset({"downloaded", "skipped-complete", "copied"})


def previous_records(manifest: dict | None) -> dict[str, dict]:
    """Media records of an earlier run's manifest, keyed by URL (and by original URL)."""
    records: dict[str, dict] = {}
    if not isinstance(manifest, dict):
        return records
    for key in ("media", "media_files"):
        for record in manifest.get(key) or []:
            if not isinstance(record, dict) or not isinstance(record.get("url"), str):
                continue
            extra = record.get("extra") if isinstance(record.get("extra"), dict) else {}
            for url in (extra.get("download_url"), record["url"], original_url(record["url"])):
                if isinstance(url, str) and url:
                    records.setdefault(url, record)
    return records


def final_paths(refs: References) -> dict[str, str]:
    """Output path of every downloadable media URL (deterministic: URLs in first-use order)."""
    plan: dict[str, str] = {}
    taken: set[str] = set()
    for url, use in refs.media_uses():
        if not refs.downloadable(url):
            continue
        rel = refs.media_location(url)
        users = sorted(use.written)
        if refs.options.media == "bundle" and len(users) == 1 and users[0].endswith(("/index.md", "/_index.md")):
            beside = posixpath.dirname(users[0]) + "/" + rel.rsplit("/", 1)[-1]
            if beside.lower() not in taken and not beside.endswith(".md"):
                rel = beside
        taken.add(rel.lower())
        plan[url] = rel
    return plan


def _record(result: MediaResult | None, rel: str | None, url: str) -> tuple[str | None, str, str | None, dict]:
    if result is None:
        return None, "linked", None, {}
    extra = {
        k: v
        for k, v in (
            ("size", result.size),
            ("etag", result.etag),
            ("last_modified", result.last_modified),
            ("content_type", result.content_type),
        )
        if v is not None
    }
    extra["download_url"] = url
    if result.status in OK_STATUSES:
        status = "copied" if result.status == "copied" else "downloaded"
        return rel, status, None, extra
    return None, "failed", result.error, extra


def run_media_phase(
    refs: References,
    report: Report,
    out: Path,
    previous: dict | None = None,
    progress: ProgressCallback | None = None,
    owner: Ownership | None = None,
) -> None:
    """Download (or copy) media, fill the manifest entries, patch documents; never raises.

    With ``owner``, media files are recorded as ours before they are written (their hash as
    soon as each is finished), and a path holding a file migrator did not create is left alone
    (``output-conflict``; the media stays linked at its URL).
    """
    options = refs.options
    plan = final_paths(refs) if options.media != "link" else {}
    if owner is not None:
        plan = _claim(plan, owner, report)
    results: dict[str, MediaResult] = {}
    if plan:
        downloader = Downloader(
            refs.allowed_hosts,
            jobs=options.media_jobs,
            max_size=options.max_media_size,
            timeout=options.http_timeout,
            max_time=options.http_max_time,
            retries=options.http_retries,
            allow_private_hosts=options.allow_private_hosts,
            local_dir=options.media_from,
            progress=_recording(plan, owner, progress),
        )
        try:
            results = downloader.download_all(sorted((u, r) for u, r in plan.items()), out, previous_records(previous))
        except Exception as exc:  # noqa: BLE001 - the documents are written; report and go on
            report.problems.append(Problem("error", "media-phase-failed", f"{type(exc).__name__}: {exc}"))
    by_attachment = {use.attachment_id: use for _, use in refs.media_uses() if use.attachment_id and use.url in plan}

    def update(entry: MediaEntry) -> MediaEntry:
        use = by_attachment.get(entry.id)
        if use is not None and use.url in plan:
            entry.path, entry.status, entry.error, entry.extra = _record(results.get(use.url), plan[use.url], use.url)
            _report_failure(report, entry, use)
        return entry

    if plan:  # the entries are snapshots: a new spool of updated copies, streamed in order
        old = report.media
        report.media = Spool((update(entry) for entry in old), old.limit)
        old.close()
    for url, use in refs.media_uses():
        if use.attachment_id or not refs.downloadable(url):
            continue
        digest = hashlib.sha1(url.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        entry = MediaEntry(f"url:{digest}", url)
        if url in plan:
            entry.path, entry.status, entry.error, entry.extra = _record(results.get(url), plan[url], url)
        entry.extra["used_by"] = sorted(use.written) if use.written else []
        report.media_files.append(entry)
        _report_failure(report, entry, use)
    _patch_documents(refs, plan, results, out, report, owner)


def _recording(
    plan: dict[str, str], owner: Ownership | None, progress: ProgressCallback | None
) -> ProgressCallback | None:
    """The downloader's progress callback, recording each finished file's hash at once (so that
    a run killed during the downloads leaves them provably ours)."""
    if owner is None:
        return progress
    lock = threading.Lock()

    def callback(event) -> None:
        if event.kind == "file" and event.status in OK_STATUSES and event.url in plan:
            with lock:
                owner.record(plan[event.url])
        if progress is not None:
            progress(event)

    return callback


def _claim(plan: dict[str, str], owner: Ownership, report: Report) -> dict[str, str]:
    kept: dict[str, str] = {}
    for url, rel in plan.items():
        try:
            owner.claim(rel)
            kept[url] = rel
        except (OutputConflict, UnsafePath) as exc:
            report.problems.append(Problem("error", "output-conflict", f"{exc} (media {url})"))
    return kept


def _report_failure(report: Report, entry: MediaEntry, use: MediaUse) -> None:
    if entry.status == "failed":
        users = ", ".join(sorted(use.written)) or "no document"
        report.problems.append(
            Problem(
                "warning",
                "media-download-failed",
                f"{use.url}: {entry.error}; kept as an absolute URL (used by {users})",
                id=use.attachment_id,
            )
        )


def final_reference(
    refs: References, use: MediaUse, doc_path: str, plan: dict[str, str], results: dict[str, MediaResult]
) -> str:
    result = results.get(use.url)
    if use.url in plan and result is not None and result.status in OK_STATUSES:
        return refs.local_link(plan[use.url], doc_path)
    return use.url


def _patch_documents(
    refs: References,
    plan: dict[str, str],
    results: dict[str, MediaResult],
    out: Path,
    report: Report,
    owner: Ownership | None = None,
) -> None:
    patches: dict[str, list[tuple[str, str]]] = {}
    for use in refs.media.values():
        for doc_path, written in sorted(use.written.items()):
            final = final_reference(refs, use, doc_path, plan, results)
            if final != written:
                patches.setdefault(doc_path, []).append((written, final))
    for doc_path, pairs in sorted(patches.items()):
        try:
            target = resolve_inside(out, doc_path)
            text = target.read_text(encoding="utf-8")
        except (OSError, ValueError):
            continue  # the document was not written (reported already)
        for written, final in pairs:
            text = replace_reference(text, written, final)
        if owner is not None:
            owner.write(doc_path, text.encode("utf-8"))  # records the new content's hash
        else:
            atomic_write(target, text.encode("utf-8"))


def replace_reference(text: str, written: str, final: str) -> str:
    """Replace ``written`` where it stands as a link destination / attribute / YAML value."""
    pattern = re.compile(r"(?:(?<=[(<\"'=])|(?<=: ))" + re.escape(written) + r"(?=[)>\"'\s#]|$)", re.M)
    return pattern.sub(lambda _m: final, text)
