"""Applying a target profile: options, URLs and links, front matter, the written file.

The pipeline looks the run's :class:`~migrator.targets.profiles.Profile` up once and calls four
hooks with it: :func:`resolve_options` (once), :func:`make_references` (once), :func:`adapt`
(per document, after front matter and body exist) and :func:`serialize` (per document, the
file's text).  For the ``plain`` target all four leave the plain output exactly as it was.
What differs between generators is a field of their profile, never a test of their name here.
"""

from __future__ import annotations

import dataclasses
import json
import posixpath
import re
from collections.abc import Iterator
from datetime import date, datetime

from ..htmltree import Element, set_text
from ..model import Document, Site
from ..options import Options
from ..output.sitedata import html_text, inline_comments
from ..plan.index import Entry, SiteIndex
from ..plan.layout import DEFAULT_LAYOUT, check_layout
from ..plan.references import References
from ..plan.site_urls import bundle_layout, encode_path
from ..plan.store import KeySet, TextMap
from ..render.frontmatter import dump_yaml
from .profiles import Profile, get_profile


def resolve_options(options: Options, profile: Profile | None = None) -> Options:
    """Options with the target's defaults filled in (explicit user choices are kept).

    Raises ValueError for an unknown target, a front matter format the target cannot read or a
    layout template that uses anything but the documented fields.
    """
    profile = profile or get_profile(options.target)
    for template in (options.layout, *options.layouts.values()):
        check_layout(template)
    if profile.name == "plain":
        return options
    changes: dict = {}
    if options.layout == DEFAULT_LAYOUT and not options.layouts:
        layouts = dict(profile.layouts)
        if options.media == "bundle" and profile.bundles:
            layouts = {k: bundle_layout(v) for k, v in layouts.items()}
        changes["layouts"] = layouts
    if options.media == "bundle" and not profile.bundles:
        changes["media"] = "download"  # only Hugo understands page bundles
    if options.redirect_key == "aliases":  # the default: take the target's convention
        changes["redirect_key"] = profile.redirect_key
    fmt = options.front_matter_format or profile.front_matter
    if fmt not in profile.front_matter_formats:
        raise ValueError(
            f"--front-matter {fmt} is not supported by target {profile.name} "
            f"(choose from {', '.join(profile.front_matter_formats)})"
        )
    changes["front_matter_format"] = fmt
    return dataclasses.replace(options, **changes)


def url_segment(name: str) -> str:
    """A term name as a URL segment, as Hugo's ``urlize`` makes it: lower case, spaces to
    hyphens, URL-unsafe punctuation dropped, letters of every script kept."""
    text = re.sub(r"\s+", "-", name.strip().lower())
    return re.sub(r"[^\w.#+~-]", "", text)


def strip_root(path: str, profile: Profile) -> str:
    root = profile.content_root
    return path[len(root) :] if root and path.startswith(root) else path


def path_url(path: str, profile: Profile) -> str:
    """The site-absolute URL path (no base) the generator gives the file at ``path``."""
    rel = strip_root(path, profile)
    for pattern, repl in profile.url_rewrites:
        rel = re.sub(pattern, repl, rel)
    stem = rel[:-3] if rel.endswith(".md") else rel
    if stem in ("index", "_index"):
        return "/"
    for suffix in ("/index", "/_index"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
    return "/" + stem + "/"


def usable_old_url(path: str) -> str | None:
    """An old permalink path usable as a static page URL (no query, not the home page)."""
    if "?" in path or "#" in path or path.strip("/") == "" or ".." in path.split("/"):
        return None
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if path.endswith("/") or "." in last:
        return path
    return path + "/"


def plan_urls(index: SiteIndex, refs: References, profile: Profile) -> TextMap:
    """Document id -> URL path in the built site (the old permalink where the profile keeps it),
    kept in the index database (one row per document, not in memory).  Called once per run,
    before the index is frozen (:func:`make_references`)."""
    urls = TextMap(index.db, "target-url")
    taken = KeySet(index.db, "target-url-taken")  # lower-cased URLs given out

    def documents() -> Iterator[Entry]:
        return (e for e in index.entries if e.disposition == "document" and e.path)

    with index.db.transaction():
        if profile.keep_old_urls:
            for entry in documents():
                old = refs.old_paths(entry)
                url = usable_old_url(old[0]) if old else None
                if url and url.lower() not in taken:
                    urls[entry.id] = url
                    taken.add(url.lower())
        for entry in documents():
            if entry.id not in urls:
                url = path_url(entry.path or "", profile)
                while url.lower() in taken:  # an old URL took it: keep the file's own name unique
                    url = url.rstrip("/") + "-" + entry.id + "/"
                urls[entry.id] = url
                taken.add(url.lower())
    return urls


class TargetReferences(References):
    """References whose document links follow the target's convention."""

    def __init__(self, index: SiteIndex, options: Options, profile: Profile):
        super().__init__(index, options)
        self.profile = profile
        self.media_root = profile.media_root
        self.urls = plan_urls(index, self, profile)

    def url_of(self, entry: Entry) -> str:
        """Site-absolute URL (with the base URL) of a converted document."""
        base = self.base_url.rstrip("/")
        return encode_path(base + self.urls.get(entry.id, path_url(entry.path or "", self.profile)))

    def page_url(self, entry: Entry) -> str:
        return self.url_of(entry)

    def media_file_url(self, path: str) -> str:
        return encode_path(self.base_url.rstrip("/") + "/" + self._site_path(path))

    def archive_link(self, url: str) -> str | None:
        """A category/tag archive goes to the generator's taxonomy page when it has one."""
        found = self.archive_term(url)
        template = self.profile.taxonomy_urls.get(found[0]) if found else None
        if not template:
            return None
        return encode_path(self.base_url.rstrip("/") + template.format(name=url_segment(found[1])))

    def _site_path(self, rel: str) -> str:
        """A published file's path on the site: its media root or content root stripped."""
        root = self.profile.media_root
        return rel[len(root) :] if root and rel.startswith(root) else strip_root(rel, self.profile)

    def doc_link(self, entry: Entry, from_path: str, fragment: str = "") -> str:
        mode = self.profile.link_mode
        if mode == "url":
            link = self.url_of(entry)
        elif mode == "pelican":
            link = "{filename}/" + encode_path(strip_root(entry.path or "", self.profile))
        else:
            return super().doc_link(entry, from_path, fragment)
        return link + ("#" + fragment if fragment else "")

    def local_link(self, rel: str, from_path: str) -> str:
        if self.profile.link_mode == "pelican" and rel.startswith(self.profile.content_root):
            return "{static}/" + encode_path(strip_root(rel, self.profile))
        if self.profile.link_mode == "url" and self.profile.bundles and rel.startswith(self.profile.content_root):
            # a bundle resource: relative to the page's own directory URL
            return encode_path(posixpath.relpath(rel, posixpath.dirname(from_path)))
        if self.profile.link_mode == "url":
            return encode_path(self.base_url.rstrip("/") + "/" + self._site_path(rel))
        return super().local_link(rel, from_path)


def make_references(index: SiteIndex, options: Options, profile: Profile) -> References:
    """The run's References: plain, or following the target's link convention."""
    if profile.name == "plain":
        return References(index, options)
    return TargetReferences(index, options, profile)


# ---------------------------------------------------------------------- front matter


def _author_value(doc: Document, site: Site, style: str):
    if style == "name":
        return doc.author or None
    login = doc.author_login
    if not login or login not in site.authors:
        return doc.author or None if style == "login" else None
    return login if style == "login" else [login]


def adapt(
    fm: dict,
    body: str,
    doc: Document,
    entry: Entry | None,
    refs: References,
    options: Options,
    site: Site,
    profile: Profile,
) -> tuple[dict, str]:
    """Front matter and body of one document in the target's conventions."""
    if options.comments == "inline":
        body = inline_comments(doc, body, options)
    fm = map_taxonomies(fm, doc, options.taxonomy_keys)
    if profile.name == "plain":
        return fm, body
    out: dict = {}
    for key, value in fm.items():
        if key in ("aliases", "redirect_from"):
            value = [a for a in value if "?" not in a]  # a static site cannot serve ?p=N
            if isinstance(refs, TargetReferences) and entry is not None:
                own = refs.urls.get(entry.id)
                value = [a for a in value if a != own and a.rstrip("/") + "/" != own]
            if not value:
                continue
        if key == "author":
            value = _author_value(doc, site, profile.author_style)
            key = profile.author_key
            if value is None:
                continue
        if key == "draft" and value:
            out.update(profile.draft_fields)
            continue
        new = profile.renames.get(key, key)
        if new:
            out[new] = value
    if profile.native_dates:
        for key in ("date", "updated"):
            if isinstance(out.get(key), str):
                out[key] = _datetime(out[key])
    if profile.nested_dates and "updated" in out:
        out["date"] = {"created": out.get("date"), "updated": out.pop("updated")}
    if isinstance(refs, TargetReferences) and entry is not None and profile.permalink_key:
        if out.get(profile.permalink_key) is not False:
            out[profile.permalink_key] = refs.urls.get(entry.id)
    if profile.flat_metadata:
        out = flat_fields(out, doc, entry, profile)
    for key, value in (profile.defaults.get(doc.type) or profile.defaults.get("*") or {}).items():
        out.setdefault(key, value)
    for key, value in profile.required.items():
        out.setdefault(key, value)
    if profile.text_is_html:
        out = {key: value if key in _NOT_TEXT else html_text(value) for key, value in out.items()}
    if profile.python_markdown:
        body = python_markdown_escapes(body)
    if profile.template_syntax == "hugo":
        body = escape_hugo_shortcodes(body)
    return out, body


# ---------------------------------------------------------------------- template syntax in the text

#: Put after the ``{{`` of a ``{{<``/``{{%`` the source's text holds (:func:`mark_template_syntax`),
#: so that the shortcodes migrator writes itself (``--figure-style hugo``) are told apart.
MARK = "\ue000"
_SOURCE_SHORTCODE = re.compile(r"\{\{(?=[<%])")


def mark_template_syntax(root: Element, options: Options) -> None:
    """Before rendering: mark the template syntax of the source's own text and attributes (for
    the target's :func:`adapt` to escape); a no-op for targets that execute none."""
    if get_profile(options.target).template_syntax != "hugo":
        return
    for node in root.iter():
        for tail in (False, True):
            text = node.tail if tail else node.text
            if text and "{{" in text and _SOURCE_SHORTCODE.search(text):
                set_text(node, _SOURCE_SHORTCODE.sub("{{" + MARK, text), tail=tail)
        if isinstance(node.tag, str):
            for attr, value in node.attrib.items():
                if "{{" in value:
                    node.set(attr, _SOURCE_SHORTCODE.sub("{{" + MARK, value))


_MARKED = re.compile("\\{\\{" + MARK + r"\\?([<%])")


def escape_hugo_shortcodes(body: str) -> str:
    """The source's ``{{< x >}}`` / ``{{% x %}}`` as Hugo's escaped form ``{{</* x */>}}``, which
    Hugo prints instead of running (in code too); an opener without its closer as
    ``{{&lt;``/``{{&#37;`` (a character reference: Hugo sees no shortcode, Markdown shows the
    character; inside code it shows as written)."""
    if MARK not in body:
        return body
    out: list[str] = []
    pos = 0
    for m in _MARKED.finditer(body):
        if m.start() < pos:
            continue  # inside a shortcode already escaped
        delim = m.group(1)
        closer = (">" if delim == "<" else "%") + "}}"
        end = body.find(closer, m.end())
        inner = body[m.end() : end] if end >= 0 else ""
        out.append(body[pos : m.start()])
        if end >= 0 and "\n\n" not in inner and "{{" + MARK not in inner:
            out.append("{{" + delim + "/*" + inner + "*/" + closer)
            pos = end + len(closer)
        else:
            out.append("{{" + ("&lt;" if delim == "<" else "&#37;"))
            pos = m.end()
    out.append(body[pos:])
    return "".join(out).replace(MARK, "")


#: Front matter keys whose values are URLs, paths, dates or flags, never shown as text.
_NOT_TEXT = frozenset(
    {
        "date",
        "updated",
        "modified",
        "pubDate",
        "updatedDate",
        "slug",
        "permalink",
        "source_url",
        "featured_image",
        "heroImage",
        "wordpress_id",
        "aliases",
        "redirect_from",
        "images",
        "draft",
        "status",
        "type",
        "layout",
        "render_with_liquid",
    }
)
_CODE_OR_ESCAPE = re.compile(
    r"(?P<fence>^(?P<indent> {0,3})(?P<mark>`{3,}|~{3,}).*?(?:^(?P=indent)(?P=mark)[`~]*[ \t]*$|\Z))"
    r"|(?P<esc>\\[<&])|\\.|(?P<code>(?P<ticks>`+).+?(?<!`)(?P=ticks)(?!`))",
    re.M | re.S,
)


def python_markdown_escapes(body: str) -> str:
    """``\\<`` and ``\\&`` (CommonMark escapes) outside code as ``&lt;`` and ``&amp;``: Python-Markdown
    (MkDocs, Pelican) keeps the backslash and reads what follows as raw HTML; both read the
    character reference as the character."""
    if "\\<" not in body and "\\&" not in body:
        return body
    return _CODE_OR_ESCAPE.sub(
        lambda m: ("&lt;" if m.group() == "\\<" else "&amp;") if m.group("esc") else m.group(), body
    )


def _datetime(value: str):
    try:
        return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    except ValueError:
        return value


def map_taxonomies(fm: dict, doc: Document, keys: dict[str, str]) -> dict:
    """``--taxonomy product_cat=collections``: that taxonomy's names under their own key
    (where ``taxonomies`` stood); unmapped custom taxonomies stay under ``taxonomies``."""
    if not keys or not fm.get("taxonomies"):
        return fm
    out: dict = {}
    for key, value in fm.items():
        if key != "taxonomies":
            out[key] = value
            continue
        rest = dict(value)
        for taxonomy, new in keys.items():
            if taxonomy in rest:
                out[new] = rest.pop(taxonomy)
        if rest:
            out["taxonomies"] = rest
    return out


def flat_fields(fm: dict, doc: Document, entry: Entry | None, profile: Profile) -> dict:
    """Flat metadata (Pelican's): one Category (the first), the others as Tags, Slug = the file's stem."""
    out = dict(fm)
    categories = out.pop("categories", None) or []
    tags = list(out.pop("tags", None) or [])
    if doc.type == "post" and categories:
        out["category"] = categories[0]
        tags = [c for c in categories[1:] if c not in tags] + tags
    if tags:
        out["tags"] = tags
    if entry is not None and entry.path:
        rel = strip_root(entry.path, profile)
        rel = (
            rel[len("pages/") :]
            if rel.startswith("pages/")
            else rel[len("posts/") :]
            if rel.startswith("posts/")
            else rel
        )
        out["slug"] = rel[:-3] if rel.endswith(".md") else rel
    for key in ("taxonomies",):
        for taxonomy, names in (out.pop(key, None) or {}).items():
            out[taxonomy] = names
    return out


# ---------------------------------------------------------------------- serialising


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    if value is None:
        return '""'
    return json.dumps(str(value), ensure_ascii=False)


def toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def dump_toml(data: dict) -> str:
    """A TOML front matter block (``+++`` lines included)."""
    lines = [f"{toml_key(k)} = {toml_value(v)}" for k, v in data.items()]
    return "+++\n" + "".join(line + "\n" for line in lines) + "+++\n"


_PELICAN_KEY = re.compile(r"[^A-Za-z0-9_-]+")


def pelican_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(pelican_value(v).replace(",", " ") for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return re.sub(r"\s+", " ", str(value)).strip()


def dump_pelican(data: dict) -> str:
    """Pelican's Markdown metadata block: ``Key: value`` lines ended by a blank line."""
    lines = []
    for key, value in data.items():
        name = _PELICAN_KEY.sub("_", key).strip("_") or "meta"
        if name == "status" and value not in ("draft", "hidden", "published"):
            continue
        lines.append(f"{name[:1].upper()}{name[1:]}: {pelican_value(value)}")
    return "\n".join(lines) + "\n"


def serialize(front: dict, body: str, options: Options) -> str:
    """The text of one written file."""
    fmt = options.front_matter_format or "yaml"
    if fmt == "toml":
        return dump_toml(front) + "\n" + body
    if fmt == "pelican":
        return dump_pelican(front) + "\n" + body
    return dump_yaml(front) + "\n" + body
