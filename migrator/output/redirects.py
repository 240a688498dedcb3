"""Redirect maps from the old WordPress URLs to the new site, one file per server format.

Each :class:`Redirect` maps one old site path (``/2015/03/slug/``, ``/?p=101``; percent-decoded,
unicode readable) to a new URL (site-absolute like ``/posts/slug/``, or an absolute URL for
media that stayed on the old host).  Formats and file names (at the output root):

=========  ========================  ==================================================
netlify    ``_redirects``            ``/old/path /new/ 301``; query forms as
                                     ``/ p=101 /new/ 301``; paths percent-encoded
nginx      ``redirects.nginx.conf``  ``location = /old/path { return 301 /new/; }`` and
                                     ``if ($arg_p = "101") { return 301 /new/; }``
                                     (include inside ``server { }``)
apache     ``redirects.apache.conf`` mod_rewrite rules (``.htaccess`` or server config,
                                     Apache 2.4: ``QSD`` drops the old query)
caddy      ``Caddyfile.redirects``   ``redir /old/path /new/ 301``; query forms through
                                     named ``query`` matchers (``import`` in a site block)
csv        ``redirects.csv``         ``old,new,status,id`` (old path percent-encoded)
=========  ========================  ==================================================

Path rules match with and without the trailing slash (nginx, apache, caddy: both written;
netlify ignores trailing slashes itself).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..model import Report
from ..transforms.references import decode_path
from ..urls import urlsplit
from urllib.parse import parse_qsl, quote

from .writer import atomic_write

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


def unique(redirects: list[Redirect]) -> list[Redirect]:
    """First redirect per old URL; none that points at itself."""
    seen: set[str] = set()
    out: list[Redirect] = []
    for r in redirects:
        if r.old in seen or r.old == r.new or not r.old.startswith("/"):
            continue
        seen.add(r.old)
        out.append(r)
    return out


def _variants(path: str) -> list[str]:
    """The path as written plus its twin with/without a trailing slash (not for ``/``)."""
    if path == "/":
        return [path]
    twin = path[:-1] if path.endswith("/") else path + "/"
    return [path, twin]


def _nginx_quote(value: str) -> str:
    if re.search(r'[\s;{}"\'\\$#]', value):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def netlify(redirects: list[Redirect]) -> str:
    lines = ["# Redirects from the old WordPress URLs (written by migrator)"]
    for r in redirects:
        new = encode(r.new)
        if r.query:
            params = " ".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in r.query)
            lines.append(f"{encode(r.path)}  {params}  {new}  {STATUS}")
        else:
            lines.append(f"{encode(r.path)}  {new}  {STATUS}")
    return "\n".join(lines) + "\n"


def nginx(redirects: list[Redirect]) -> str:
    lines = ["# Redirects from the old WordPress URLs (written by migrator).",
             "# Include inside the server { } block of the new site."]
    for r in redirects:
        new = _nginx_quote(encode(r.new))
        if r.query:
            name, value = r.query[0]
            if len(r.query) == 1 and re.fullmatch(r"[A-Za-z0-9_]+", name):
                test = f"$arg_{name} = {_nginx_quote(value) if value else chr(34) * 2}"
            else:
                args = r.old.split("?", 1)[1].replace("\\", "\\\\").replace('"', '\\"')
                test = f'$args = "{args}"'
            lines.append(f"if ({test}) {{ return {STATUS} {new}; }}")
            continue
        if "$" in r.path:  # nginx has no way to write a literal "$" in a location
            lines.append(f"# not expressible for nginx: {r.path} -> {new}")
            continue
        for path in _variants(r.path):
            lines.append(f"location = {_nginx_quote(path)} {{ return {STATUS} {new}; }}")
    return "\n".join(lines) + "\n"


def _apache_quote(value: str) -> str:
    return '"' + value.replace('"', '\\"') + '"' if re.search(r'[\s"]', value) else value


def apache(redirects: list[Redirect]) -> str:
    lines = ["# Redirects from the old WordPress URLs (written by migrator).",
             "# For .htaccess or the server/virtual host configuration (Apache 2.4, mod_rewrite).",
             "RewriteEngine On"]
    for r in redirects:
        new = _apache_quote(encode(r.new))
        body = re.escape(r.path.lstrip("/").rstrip("/"))
        pattern = f"^/?{body}/?$" if body else "^/?$"
        if r.query:
            for name, value in r.query:
                lines.append(f"RewriteCond %{{QUERY_STRING}} (^|&){re.escape(name)}={re.escape(value)}(&|$)")
        lines.append(f"RewriteRule {_apache_quote(pattern)} {new} [R={STATUS},L,QSD]")
    return "\n".join(lines) + "\n"


def caddy(redirects: list[Redirect]) -> str:
    lines = ["# Redirects from the old WordPress URLs (written by migrator).",
             "# Use inside a site block: import Caddyfile.redirects"]
    for n, r in enumerate(redirects, start=1):
        new = _caddy_quote(encode(r.new))
        if r.query:
            params = " ".join(f"{_caddy_quote(k + '=' + v)}" for k, v in r.query)
            lines.append(f"@old{n} {{")
            lines.append(f"\tpath {_caddy_quote(r.path)}")
            lines.append(f"\tquery {params}")
            lines.append("}")
            lines.append(f"redir @old{n} {new} {STATUS}")
            continue
        for path in _variants(r.path):
            lines.append(f"redir {_caddy_quote(path)} {new} {STATUS}")
    return "\n".join(lines) + "\n"


def _caddy_quote(value: str) -> str:
    if re.search(r'[\s"{}#]', value):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def csv_text(redirects: list[Redirect]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["old", "new", "status", "id"])
    for r in redirects:
        old = encode(r.path) + ("?" + r.old.split("?", 1)[1] if "?" in r.old else "")
        writer.writerow([old, encode(r.new), STATUS, r.id])
    return buffer.getvalue()


RENDERERS = {"netlify": netlify, "nginx": nginx, "apache": apache, "caddy": caddy, "csv": csv_text}


def render(redirects: list[Redirect], fmt: str) -> str:
    """The redirect file text for ``fmt`` (one of :data:`FILES`)."""
    return RENDERERS[fmt](unique(redirects))


def write_redirects(redirects: list[Redirect], formats: list[str], out: Path) -> list[str]:
    """Write one file per format at the root of ``out``; return the file names written."""
    written: list[str] = []
    for fmt in formats:
        if fmt not in FILES or FILES[fmt] in written:
            continue
        atomic_write(out / FILES[fmt], render(redirects, fmt).encode("utf-8"))
        written.append(FILES[fmt])
    return written


def plan_redirects(refs, report: Report) -> list[Redirect]:
    """Old URL -> new URL for every written document and every attachment page (``refs`` is
    the run's :class:`~migrator.transforms.references.References`: it knows the new URLs)."""
    # Both lookups below hold one small record per written document / attachment: they still
    # grow with the export (the index, which knows every item anyway, is the place to keep them).
    written = {d.id for d in report.documents}
    out: list[Redirect] = []
    for entry in refs.index.entries:
        if entry.id in written and entry.path:
            new = refs.page_url(entry)
            out.extend(Redirect(old, new, entry.id) for old in refs.old_paths(entry))
    media = {m.id: (m.path, m.url) for m in report.media}  # not whole entries
    for entry in refs.index.entries:
        if entry.id not in media or entry.disposition != "media":
            continue
        path, url = media[entry.id]
        parent = refs.index.by_id.get(entry.parent)
        if path:
            new = refs.media_file_url(path)
            upload = refs.absolute(url)
            if refs.is_own(upload):  # the old upload URL itself -> the local copy
                out.append(Redirect(decode_path(urlsplit(upload).path), new, entry.id))
        elif parent is not None and parent.id in written and parent.path:
            new = refs.page_url(parent)
        else:
            new = refs.canonical_media(url)
        out.extend(Redirect(old, new, entry.id) for old in refs.old_paths(entry))
    return out
