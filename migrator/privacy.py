"""Private data: commenter and author e-mail addresses, commenter IP addresses, post passwords.

They are read (the WXR holds them) but dropped right after the planning pass, before anything
is transformed, rendered or written, unless ``Options.include_private_data``.  Every stage
after :func:`scrub_document`/:func:`scrub_site` therefore cannot leak them, whatever it
writes.  Anything that writes author or comment data (e.g. a data file for a site generator)
must build it with :func:`public_author` / :func:`public_comment`.

``migrator.read()`` (the raw reading API) still returns them: it writes nothing.

Private, password-protected and draft *content* is a separate matter: ``policy.classify``
skips it unless ``include_private`` / ``include_drafts``.
"""

from __future__ import annotations

import dataclasses

from .model import Author, Comment, Document, Site
from .options import Options

PRIVATE_AUTHOR_FIELDS = ("email",)
PRIVATE_COMMENT_FIELDS = ("author_email", "author_ip")
PRIVATE_DOCUMENT_FIELDS = ("password",)


def scrub_document(doc: Document, options: Options) -> Document:
    """``doc`` without private fields (a copy; the same object when private data is wanted)."""
    if options.include_private_data:
        return doc
    comments = [dataclasses.replace(c, **dict.fromkeys(PRIVATE_COMMENT_FIELDS, "")) for c in doc.comments]
    return dataclasses.replace(doc, comments=comments, **dict.fromkeys(PRIVATE_DOCUMENT_FIELDS, ""))


def scrub_site(site: Site, options: Options) -> Site:
    """Blank the authors' private fields in place; return ``site``."""
    if not options.include_private_data:
        for login, author in list(site.authors.items()):
            site.authors[login] = dataclasses.replace(author, **dict.fromkeys(PRIVATE_AUTHOR_FIELDS, ""))
    return site


def public_author(author: Author, include_private_data: bool = False) -> dict:
    """An author as a plain dict, private fields left out unless asked for."""
    data = dataclasses.asdict(author)
    if not include_private_data:
        for key in PRIVATE_AUTHOR_FIELDS:
            data.pop(key, None)
    return data


def public_comment(comment: Comment, include_private_data: bool = False) -> dict:
    """A comment as a plain dict (date as ISO text), private fields left out unless asked for."""
    data = dataclasses.asdict(comment)
    data["date"] = comment.date.isoformat() if comment.date else None
    if not include_private_data:
        for key in PRIVATE_COMMENT_FIELDS:
            data.pop(key, None)
    return data


def private_values(doc: Document, site: Site | None = None) -> set[str]:
    """Every non-empty private value of a document (and the site's authors): for checks."""
    values = {getattr(doc, f) for f in PRIVATE_DOCUMENT_FIELDS}
    for c in doc.comments:
        values.update(getattr(c, f) for f in PRIVATE_COMMENT_FIELDS)
    if site is not None:
        for a in site.authors.values():
            values.update(getattr(a, f) for f in PRIVATE_AUTHOR_FIELDS)
    return {v for v in values if v}
