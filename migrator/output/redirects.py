"""Redirect maps from the old WordPress URLs to the new site, one file per server format.

Each :class:`Redirect` maps one old site path (``/2015/03/slug/``, ``/?p=101``; percent-decoded,
unicode readable) to a new URL (site-absolute like ``/posts/slug/``, or an absolute URL for
media that stayed on the old host).  Formats and file names (at the output root):

=========  ========================  ==================================================
netlify    ``_redirects``            ``/old/path /new/ 301``; query forms as
                                     ``/ p=101 /new/ 301!`` (forced: ``/`` itself exists);
                                     paths percent-encoded; written into the folder the
                                     generator publishes as it is (the profile's
                                     ``publish_dir``: Hugo ``static/``, Astro ``public/``,
                                     MkDocs ``docs/``), so it is in the built site
nginx      ``redirects.nginx.conf``  ``location = /old/path { return 301 /new/; }`` and
                                     ``if ($arg_p = "101") { return 301 /new/; }``
                                     (include inside ``server { }``)
apache     ``redirects.apache.conf`` mod_rewrite rules (``.htaccess`` or server config,
                                     Apache 2.4: ``QSD`` drops the old query, ``NE`` keeps
                                     the encoded target as written, its ``%`` escaped)
caddy      ``Caddyfile.redirects``   ``redir /old/path /new/ 301``; query forms through
                                     named ``query`` matchers (``import`` in a site block)
csv        ``redirects.csv``         ``old,new,status,id`` (old path percent-encoded)
=========  ========================  ==================================================

The server maps (nginx, apache, caddy, csv) are configuration, not pages: they stay at the
output root, outside what the generator publishes.

Path rules match with and without the trailing slash (nginx, apache, caddy: both written;
netlify ignores trailing slashes itself) — except the twin that is the new URL itself, which
would redirect to itself forever.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model import Report
from ..spool import Spool
from ..plan.site_urls import decode_path
from ..plan.store import Database, KeySet, TextMap
from ..urls import urlsplit
from urllib.parse import parse_qsl, quote

from .writer import atomic_write_chunks

FILES = {
    "netlify": "_redirects",
    "nginx": "redirects.nginx.conf",
    "apache": "redirects.apache.conf",
    "caddy": "Caddyfile.redirects",
    "csv": "redirects.csv",
}
STATUS = 301


@dataclass(frozen=True)
class Redirect:
    old: str  # site path with optional query, decoded (``/2018/01/港の朝/``, ``/?p=115``)
    new: str  # new URL: site-absolute path or absolute URL
    id: str = ""

    @property
    def path(self) -> str:
        return self.old.split("?", 1)[0] or "/"

    @property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(self.old.split("?", 1)[1]) if "?" in self.old else []


def encode(path: str) -> str:
    """Percent-encode a decoded path the way browsers send it (``%`` already encoded kept)."""
    return quote(path, safe="/%:@!&'()*+,;=-._~")


def unique(redirects: Iterable[Redirect], seen: set[str] | KeySet | None = None) -> Iterator[Redirect]:
    """First redirect per old URL; none that points at itself.  ``seen``: the old URLs met so far
    (a :class:`~migrator.plan.store.KeySet` keeps them on disk for a whole site)."""
    seen = set() if seen is None else seen
    for r in redirects:
        if r.old in seen or r.old == r.new or not r.old.startswith("/"):
            continue
        seen.add(r.old)
        yield r


def _variants(path: str, new: str) -> list[str]:
    """The path as written plus its twin with/without a trailing slash (not for ``/``, and not
    when the twin is the new URL: ``/services`` -> ``/services/`` must not match ``/services/``)."""
    if path == "/":
        return [path]
    twin = path[:-1] if path.endswith("/") else path + "/"
    return [path] if twin == new else [path, twin]


def _nginx_quote(value: str) -> str:
    if re.search(r'[\s;{}"\'\\$#]', value):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def netlify(redirects: Iterable[Redirect]) -> Iterator[str]:
    yield "# Redirects from the old WordPress URLs (written by migrator)"
    for r in redirects:
        new = encode(r.new)
        if r.query:
            params = " ".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in r.query)
            # forced: Netlify serves an existing file (``/`` is ``/index.html``) before an
            # unforced rule, so a query rule on an existing path would never fire
            yield f"{encode(r.path)}  {params}  {new}  {STATUS}!"
        else:
            yield f"{encode(r.path)}  {new}  {STATUS}"


def nginx(redirects: Iterable[Redirect]) -> Iterator[str]:
    yield "# Redirects from the old WordPress URLs (written by migrator)."
    yield "# Include inside the server { } block of the new site."
    for r in redirects:
        new = _nginx_quote(encode(r.new))
        if r.query:
            name, value = r.query[0]
            if len(r.query) == 1 and re.fullmatch(r"[A-Za-z0-9_]+", name):
                test = f"$arg_{name} = {_nginx_quote(value) if value else chr(34) * 2}"
            else:
                args = r.old.split("?", 1)[1].replace("\\", "\\\\").replace('"', '\\"')
                test = f'$args = "{args}"'
            yield f"if ({test}) {{ return {STATUS} {new}; }}"
            continue
        if "$" in r.path:  # nginx has no way to write a literal "$" in a location
            yield f"# not expressible for nginx: {r.path} -> {new}"
            continue
        for path in _variants(r.path, r.new):
            yield f"location = {_nginx_quote(path)} {{ return {STATUS} {new}; }}"


def _apache_quote(value: str) -> str:
    return '"' + value.replace('"', '\\"') + '"' if re.search(r'[\s"]', value) else value


def apache(redirects: Iterable[Redirect]) -> Iterator[str]:
    yield "# Redirects from the old WordPress URLs (written by migrator)."
    yield "# For .htaccess or the server/virtual host configuration (Apache 2.4, mod_rewrite)."
    yield "RewriteEngine On"
    for r in redirects:
        # "%" escaped (mod_rewrite reads %N as a back-reference) and NE: sent as written
        new = _apache_quote(encode(r.new).replace("%", "\\%"))
        variants = _variants(r.path, r.new)
        body = re.escape(r.path.lstrip("/").rstrip("/"))
        if not body:
            pattern = "^/?$"
        elif len(variants) == 2:
            pattern = f"^/?{body}/?$"
        else:
            pattern = f"^/?{re.escape(r.path.lstrip('/'))}$"
        if r.query:
            for name, value in r.query:
                yield f"RewriteCond %{{QUERY_STRING}} (^|&){re.escape(name)}={re.escape(value)}(&|$)"
        yield f"RewriteRule {_apache_quote(pattern)} {new} [R={STATUS},L,QSD,NE]"


def caddy(redirects: Iterable[Redirect]) -> Iterator[str]:
    yield "# Redirects from the old WordPress URLs (written by migrator)."
    yield "# Use inside a site block: import Caddyfile.redirects"
    for n, r in enumerate(redirects, start=1):
        new = _caddy_quote(encode(r.new))
        if r.query:
            params = " ".join(f"{_caddy_quote(k + '=' + v)}" for k, v in r.query)
            yield f"@old{n} {{"
            yield f"\tpath {_caddy_quote(r.path)}"
            yield f"\tquery {params}"
            yield "}"
            yield f"redir @old{n} {new} {STATUS}"
            continue
        for path in _variants(r.path, r.new):
            yield f"redir {_caddy_quote(path)} {new} {STATUS}"


def _caddy_quote(value: str) -> str:
    if re.search(r'[\s"{}#]', value):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def csv_text(redirects: Iterable[Redirect]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="")

    def row(values: list) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield row(["old", "new", "status", "id"])
    for r in redirects:
        old = encode(r.path) + ("?" + r.old.split("?", 1)[1] if "?" in r.old else "")
        yield row([old, encode(r.new), STATUS, r.id])


RENDERERS: dict[str, Callable[[Iterable[Redirect]], Iterator[str]]] = {
    "netlify": netlify,
    "nginx": nginx,
    "apache": apache,
    "caddy": caddy,
    "csv": csv_text,
}


def render(redirects: Iterable[Redirect], fmt: str) -> str:
    """The redirect file text for ``fmt`` (one of :data:`FILES`)."""
    return "".join(_lines(unique(redirects), fmt))


def _lines(redirects: Iterable[Redirect], fmt: str) -> Iterator[str]:
    for line in RENDERERS[fmt](redirects):
        yield line + "\n"


#: The formats whose file the web host reads from the published site (the others are server
#: configuration, kept out of it).
PUBLISHED = frozenset({"netlify"})


def redirect_file(fmt: str, publish_dir: str = "") -> str:
    """Where ``fmt``'s file goes, relative to the output: Netlify's ``_redirects`` into the folder
    the generator publishes verbatim (``publish_dir``, "" for the root), the others at the root."""
    return (publish_dir if fmt in PUBLISHED else "") + FILES[fmt]


def write_redirects(
    redirects: Iterable[Redirect],
    formats: list[str],
    out: Path,
    write: Callable[[str, Iterable[str]], object] | None = None,
    publish_dir: str = "",
) -> list[str]:
    """Write one file per format (:func:`redirect_file`); return their paths relative to ``out``.
    The redirects are streamed: kept once (first per old URL) in a spool, each file written from
    it (by ``write(path, chunks)`` when given: the run's ownership of the output)."""
    chosen = list(dict.fromkeys(fmt for fmt in formats if fmt in FILES))
    if not chosen:
        return []
    db = Database(private=True)
    try:
        kept = Spool(unique(redirects, KeySet(db, "old-urls")))
        for fmt in chosen:
            rel = redirect_file(fmt, publish_dir)
            if write is not None:
                write(rel, _lines(kept, fmt))
            else:
                atomic_write_chunks(out / rel, _lines(kept, fmt))
    finally:
        db.close()
    return [redirect_file(fmt, publish_dir) for fmt in chosen]


def plan_redirects(refs, report: Report) -> Iterator[Redirect]:
    """Old URL -> new URL for every written document and every attachment page (``refs`` is
    the run's :class:`~migrator.plan.references.References`: it knows the new URLs),
    streamed; what it looks up per item is kept in a temporary database, not in memory."""
    db = Database(private=True)
    try:
        written = KeySet(db, "written")
        media = TextMap(db, "media")  # attachment id -> [path, url] of its media entry (the last)
        with db.transaction():
            for d in report.documents:
                written.add(d.id)
            for m in report.media:
                media[m.id] = json.dumps([m.path, m.url])
        for entry in refs.index.entries:
            if entry.id in written and entry.path:
                new = refs.page_url(entry)
                yield from (Redirect(old, new, entry.id) for old in refs.old_paths(entry))
        for entry in refs.index.entries:
            found = media.get(entry.id) if entry.disposition == "media" else None
            if found is None:
                continue
            path, url = json.loads(found)
            parent = refs.index.by_id.get(entry.parent)
            if path:
                new = refs.media_file_url(path)
                upload = refs.absolute(url)
                if refs.is_own(upload):  # the old upload URL itself -> the local copy
                    yield Redirect(decode_path(urlsplit(upload).path), new, entry.id)
            elif parent is not None and parent.id in written and parent.path:
                new = refs.page_url(parent)
            else:
                new = refs.canonical_media(url)
            yield from (Redirect(old, new, entry.id) for old in refs.old_paths(entry))
    finally:
        db.close()
