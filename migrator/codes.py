"""Problem codes and their severities: the one table ``validate``, ``convert`` and ``check`` ask.

A code has one severity wherever it is reported, so ``validate`` and ``convert`` agree on what
is an error.  A few codes carry a fact in their severity, and only that fact: the XML codes are
an error when data may have been lost and a warning when every item was read whole (both
commands run the same reader, so they agree on that too); ``live-api-error`` and
``manifest-invalid`` are milder when nothing is missing.  Those are :data:`GRADED`: the table
holds the serious severity, :data:`GRADED` the mild one.

docs/problems.md documents every code here with the same severity (``tests/test_codes.py``
holds the two together, and every code the sources emit to the table).  ``verify``'s codes
(``verify-*``) grade by what convert reported and live in :mod:`migrator.verify`.
"""

from __future__ import annotations

from .model import Problem, Severity

#: code -> severity (for a graded code: the severity when it is serious)
SEVERITY: dict[str, Severity] = {
    # inputs: readability and XML
    "input-unreadable": "error",
    "xml-syntax": "error",
    "xml-truncated": "error",
    "xml-item-broken": "error",
    "recovered-item": "warning",
    "invalid-char": "warning",
    # the reader's repairs
    "invalid-char-removed": "warning",
    "nested-cdata": "warning",
    "stray-cdata-end": "warning",
    "bare-ampersand": "warning",
    "undefined-entity": "warning",
    "doctype-removed": "warning",
    "bom": "info",
    "encoding-unknown": "warning",
    "encoding-mismatch": "warning",
    "encoding-repaired": "warning",
    "mojibake-repaired": "warning",
    "mojibake-suspected": "warning",
    # the export's items and site
    "wxr-version-missing": "warning",
    "wxr-version-unknown": "warning",
    "missing-id": "warning",
    "missing-type": "warning",
    "duplicate-id": "warning",
    "id-renamed": "warning",
    "no-items": "warning",
    "duplicate-slug": "warning",
    "unsafe-slug": "warning",
    "bad-date": "warning",
    "undeclared-author": "warning",
    "undeclared-term": "warning",
    "missing-attachment": "warning",
    "broken-internal-link": "warning",
    "large-item": "warning",
    "multiple-base-urls": "warning",
    "mixed-scheme": "warning",
    "mojibake": "warning",
    "replacement-char": "warning",
    # content: shortcodes, blocks, elements
    "unknown-shortcode": "warning",
    "shortcode-failed": "warning",
    "unknown-block": "warning",
    "block-parse": "warning",
    "dynamic-block": "info",
    "footnotes": "warning",
    "missing-reusable-block": "warning",
    "reusable-block-loop": "warning",
    "gallery-missing-attachment": "warning",
    "playlist-missing-attachment": "warning",
    "gallery-empty": "warning",
    "playlist-empty": "warning",
    "gallery-random-order": "info",
    "playlist-random-order": "info",
    "audio-missing-source": "warning",
    "video-missing-source": "warning",
    "embed-missing-url": "warning",
    "kept-as-html": "warning",
    "table-kept-as-html": "warning",
    "nesting-flattened": "warning",
    "iframe-as-link": "warning",
    "interactive-removed": "info",
    "avatar-removed": "info",
    "dangling-internal-link": "warning",
    "link-without-host": "warning",
    # output
    "output-not-ours": "error",
    "output-locked": "error",
    "output-conflict": "error",
    "stale-removed": "info",
    "stale-not-removed": "warning",
    "unsafe-path": "error",
    "conversion-failed": "error",
    "reread-mismatch": "error",
    "media-download-failed": "warning",
    "media-phase-failed": "error",
    # folder inputs: files not read
    "input-ignored": "warning",
    "asset-ignored": "info",
    # saved pages, text scrapes, live sites
    "html-generic-extraction": "warning",
    "html-generic-failed": "error",
    "html-generic-body": "info",
    "html-no-content": "warning",
    "html-empty-content": "warning",
    "html-no-title": "warning",
    "html-not-a-page": "info",
    "html-empty-listing": "info",
    "html-no-posts": "warning",
    "html-password-protected": "warning",
    "html-unreadable": "error",
    "text-chrome-removed": "info",
    "text-no-date": "warning",
    "text-no-post": "warning",
    "text-encoding": "warning",
    "text-unreadable": "error",
    "text-reader-failed": "error",
    "live-no-api": "info",
    "live-api-refused": "warning",
    "live-api-error": "warning",
    "live-fetch-failed": "error",
    "live-http-error": "warning",
    "live-robots": "warning",
    "live-robots-disallowed": "info",
    # check (output trees)
    "front-matter-invalid": "error",
    "front-matter-missing-key": "error",
    "front-matter-untitled": "warning",
    "broken-link": "error",
    "broken-image": "error",
    "manifest-invalid": "error",
    "manifest-missing-file": "error",
    "not-in-manifest": "error",
    "stray-file": "warning",
}

#: graded codes -> their mild severity (nothing lost, nothing missing)
GRADED: dict[str, Severity] = {
    "xml-syntax": "warning",  # every item was read whole after repairs
    "xml-truncated": "warning",  # only </rss> missing after </channel>
    "xml-item-broken": "warning",  # only namespace errors in the item
    "live-api-error": "info",  # the list is not public (401/403)
    "manifest-invalid": "warning",  # no manifest at all (rather than an unreadable one)
}

#: code families named by a prefix: ``dropped-script``, ``dropped-style``, ...
PREFIXES: dict[str, Severity] = {"dropped-": "warning"}


def severity(code: str, serious: bool = True) -> Severity:
    """The severity of ``code``; for a :data:`GRADED` code, its mild one unless ``serious``.

    An unknown code is a programming error (``KeyError``): add it to the table and to
    docs/problems.md."""
    if not serious and code in GRADED:
        return GRADED[code]
    if code in SEVERITY:
        return SEVERITY[code]
    for prefix, value in PREFIXES.items():
        if code.startswith(prefix):
            return value
    raise KeyError(f"problem code {code!r} is not in migrator.codes.SEVERITY")


def allowed(code: str) -> set[str]:
    """Every severity ``code`` may carry (two for a graded code)."""
    return {severity(code), severity(code, serious=False)}


def problem(
    code: str,
    message: str,
    *,
    id: str | None = None,
    source: str | None = None,  # noqa: A002
    line: int | None = None,
    serious: bool = True,
) -> Problem:
    """A :class:`Problem` with the table's severity for ``code``."""
    return Problem(severity(code, serious), code, message, id=id, source=source, line=line)
