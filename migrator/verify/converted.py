"""The output folder ``convert`` wrote: which target, where each item's page is, the base URL.

The manifest says which target the tree was written for and where each document's Markdown
file is; the file's front matter (``permalink``, ``url``) and the target's path rules give the
URL the generator builds it at (Hugo lower-cases paths).  The new site's base URL comes from
the generator configuration ``--scaffold`` wrote (Hugo ``baseURL``, Jekyll ``url`` +
``baseurl``, MkDocs ``site_url``, Pelican ``SITEURL``, Astro ``site`` + ``base``, Eleventy
``_data/site.json``), unless given.  The redirect maps are the files ``--redirects`` wrote.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from ..check import parse_front_matter
from ..output.manifest import MANIFEST
from ..targets.apply import path_url
from ..targets.profiles import get_profile
from ..plan.site_urls import document_url


@dataclass
class Page:
    """One converted document: its file and the URL path its page should have."""

    id: str
    path: str  # Markdown file, relative to the output folder
    url: str | None  # decoded site path of the built page (with the base path); None: unknown
    title: str = ""
    codes: tuple[str, ...] = ()  # codes of the warnings convert recorded for it
    warnings: tuple[str, ...] = ()  # those warnings ("code: message")


@dataclass
class Converted:
    root: Path
    target: str = "plain"
    pages: dict[str, Page] = field(default_factory=dict)
    skipped: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # id -> [(type, title, reason)]
    media: dict[str, dict] = field(default_factory=dict)  # attachment id -> manifest record
    base_url: str = ""  # origin + base path of the new site ("" when unknown; a path when no origin is set)
    files: list[str] = field(default_factory=list)  # the files convert wrote (the manifest's list)
    problem: str = ""  # why the folder could not be read ("" when it was)

    def skip_reason(self, item_id: str, kind: str, title: str) -> str:
        """Why convert skipped an item ("" when it did not): the entry of that id, type and title
        (ids repeat in broken exports), else the first of that id."""
        entries = self.skipped.get(item_id, [])
        exact = [reason for t, name, reason in entries if (t, name) == (kind, title)]
        return (exact or [reason for _t, _n, reason in entries] or [""])[0]

    @property
    def base_path(self) -> str:
        path = urlsplit(self.base_url).path if self.base_url else "/"
        return path if path.endswith("/") else path + "/"


def find_converted(new: str, given: str | None) -> Path | None:
    """The output folder of ``convert``: ``given``, else the build folder's parent (or the build
    folder itself) when it holds a ``manifest.json``."""
    if given:
        return Path(given)
    if new.lower().startswith(("http://", "https://")):
        return None
    folder = Path(new)
    for candidate in (folder.parent, folder):
        if (candidate / MANIFEST).is_file():
            return candidate
    return None


def read_converted(root: Path, base_url: str = "") -> Converted:
    """Read the manifest, every document's front matter and the configuration (never raises)."""
    out = Converted(root)
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as exc:
        out.problem = f"{root / MANIFEST} cannot be read ({exc})"
        return out
    out.target = str(manifest.get("target") or "plain")
    out.base_url = base_url or config_base_url(root, out.target)
    out.files = [f for f in manifest.get("files") or [] if isinstance(f, str)]
    for record in manifest.get("skipped") or []:
        if isinstance(record, dict) and record.get("id") is not None:
            out.skipped.setdefault(str(record["id"]), []).append(
                (str(record.get("type") or ""), str(record.get("title") or ""), str(record.get("reason") or ""))
            )
    for record in manifest.get("media") or []:
        if isinstance(record, dict) and record.get("id") is not None:
            out.media[str(record["id"])] = record
    for record in manifest.get("documents") or []:
        if not isinstance(record, dict) or record.get("id") is None or not record.get("path"):
            continue
        rel = str(record["path"])
        warnings = tuple(str(w) for w in record.get("warnings") or [])
        codes = tuple(sorted({w.split(":", 1)[0] for w in warnings}))
        url = page_url(root, rel, out.target)
        if url is not None:
            url = out.base_path.rstrip("/") + url
        out.pages[str(record["id"])] = Page(
            str(record["id"]), rel, url, str(record.get("title") or ""), codes, warnings
        )
    _media_failures(out, manifest.get("problems") or [])
    return out


def _media_failures(out: Converted, problems: list) -> None:
    """Failed downloads are reported once for the run, naming the documents that use the file
    (``... (used by posts/a.md, posts/b.md)``): they become warnings of those documents too."""
    by_path = {page.path: page for page in out.pages.values()}
    for problem in problems:
        if not isinstance(problem, dict) or problem.get("code") != "media-download-failed":
            continue
        message = str(problem.get("message") or "")
        users = message.rsplit("(used by ", 1)[-1].rstrip(")").split(", ") if "(used by " in message else []
        for path in users:
            page = by_path.get(path)
            if page is not None:
                page.warnings += (f"media-download-failed: {message}",)
                page.codes = tuple(sorted({*page.codes, "media-download-failed"}))


def page_url(root: Path, rel: str, target: str) -> str | None:
    """The decoded site path (without the base path) the generator builds ``rel`` at."""
    try:
        profile = get_profile(target)
    except ValueError:
        return None
    try:
        text = (root / rel).read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    front, _body, _line, error = parse_front_matter(text, profile.front_matter) if text else ({}, "", 1, None)
    front = front if not error else {}
    for key in ("permalink", "url"):
        value = front.get(key)
        if isinstance(value, str) and value.startswith("/"):
            return unquote(value)
    if target == "pelican":
        slug = front.get("slug")
        return f"/{slug}/" if isinstance(slug, str) and slug else None
    if target == "mkdocs":
        return None  # the blog plugin's URLs depend on its settings: found by following the permalink
    if target == "plain":
        return unquote(document_url(rel))
    url = path_url(rel, profile)
    return url.lower() if target == "hugo" else url


# ---------------------------------------------------------------------------------- base URL


def _first_match(path: Path, pattern: str) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    m = re.search(pattern, text, re.M | re.I)
    return m.group(1).strip() if m else ""


def _join(origin: str, base: str) -> str:
    """``origin`` + ``base`` path as a base URL; a site-absolute path when the configuration
    names no host (``baseURL = "/"``, Jekyll's ``url: ""``): the base path alone."""
    parts = urlsplit(origin)
    path = base or parts.path or "/"
    if not path.startswith("/"):
        path = "/" + path
    path = path if path.endswith("/") else path + "/"
    if not (parts.scheme and parts.netloc):
        return path if (origin or base) else ""
    return f"{parts.scheme}://{parts.netloc}{path}"


def config_base_url(root: Path, target: str) -> str:
    """The new site's base URL from the generator's configuration ("" when none says)."""
    if target == "hugo":
        for name in ("hugo.toml", "config.toml", "hugo.yaml", "config.yaml", "hugo.yml", "config.yml"):
            found = _first_match(root / name, r"""^\s*baseurl\s*[=:]\s*["']?([^"'\s#]+)""")
            if found:
                return _join(found, "")
    if target == "jekyll":
        try:
            data = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            data = None
        if isinstance(data, dict) and isinstance(data.get("url"), str):
            return _join(data["url"], str(data.get("baseurl") or ""))
    if target == "mkdocs":
        return _join(_first_match(root / "mkdocs.yml", r"""^site_url:\s*["']?([^"'\s#]+)"""), "")
    if target == "pelican":
        return _join(_first_match(root / "pelicanconf.py", r"""^SITEURL\s*=\s*["']([^"']+)"""), "")
    if target == "astro":
        config = root / "astro.config.mjs"
        return _join(
            _first_match(config, r"""\bsite:\s*["']([^"']+)"""), _first_match(config, r"""\bbase:\s*["']([^"']*)""")
        )
    if target == "eleventy":
        try:
            data = json.loads((root / "_data" / "site.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        if isinstance(data, dict) and isinstance(data.get("url"), str):
            return _join(data["url"], "")
    return ""
