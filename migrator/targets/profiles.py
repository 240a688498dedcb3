"""One small declarative profile per site generator.

A profile says where documents go, how front matter keys are named and written, how internal
links and local media are referenced, where data files live and which configuration files
``--scaffold`` writes.  The pipeline is the same for every target; see ``apply.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Profile:
    name: str
    #: layout templates by ``type[:publish|draft]`` or ``*`` (see plan.layout.layout_for)
    layouts: dict[str, str] = field(default_factory=dict)
    #: the generator's content directory inside the output (``content/``, ``docs/``)
    content_root: str = ""
    #: the folder the generator publishes as it is (copied verbatim into the built site): Netlify's
    #: ``_redirects`` goes there (Hugo ``static/``, Astro ``public/``, MkDocs ``docs/``); "" for the
    #: output root (Jekyll, whose scaffold includes ``_redirects``; Eleventy, whose copies it)
    publish_dir: str = ""
    #: where downloaded media go (``media/...`` below it) so the generator publishes them;
    #: stripped from their URLs (Astro's ``public/``)
    media_root: str = ""
    #: ``yaml``, ``toml`` (Hugo) or ``pelican`` (Pelican's Markdown metadata block)
    front_matter: str = "yaml"
    front_matter_formats: tuple[str, ...] = ("yaml",)
    #: plain front matter key -> the generator's key (a key renamed to "" is dropped)
    renames: dict[str, str] = field(default_factory=dict)
    #: ``relative`` (paths to .md files, resolved by the generator), ``url`` (site-absolute URLs
    #: of the built pages) or ``pelican`` (``{filename}``/``{static}``)
    link_mode: str = "relative"
    #: regex rewrites from a path (relative to content_root) to its URL path
    url_rewrites: tuple[tuple[str, str], ...] = ()
    #: URL templates of the generator's taxonomy pages by WordPress taxonomy (``{name}`` is the
    #: term name made a URL segment the way the generator does); archives without one stay absolute
    taxonomy_urls: dict[str, str] = field(default_factory=dict)
    #: keep the old WordPress permalink as the new URL (written under ``permalink``)
    keep_old_urls: bool = False
    permalink_key: str = ""
    #: front matter key of the old paths (redirects), "" for none
    redirect_key: str = ""
    #: author in front matter: ``name`` (display name), ``login``, ``logins`` (a list of logins)
    author_style: str = "name"
    author_key: str = "author"
    #: extra front matter per document type (``layout: post``)
    defaults: dict[str, dict] = field(default_factory=dict)
    #: keys always written (with these values when the document has none)
    required: dict[str, object] = field(default_factory=dict)
    #: page bundles (``--media bundle``) are understood; media inside ``content_root`` are the
    #: page's own resources, linked relative to its directory URL (Hugo)
    bundles: bool = False
    #: data files: comments/, taxonomies.json, authors.json go here
    data_dir: str = ""
    #: the site's data files (``taxonomies.json``, the authors file) are written
    site_files: bool = True
    #: where the authors file goes and in which shape (``json`` or ``material``)
    authors_file: str = "authors.json"
    authors_format: str = "json"
    #: drafts: front matter written for documents that are not published
    draft_fields: dict[str, object] = field(default_factory=lambda: {"draft": True})
    #: dates as YAML timestamps (unquoted) instead of ISO strings
    native_dates: bool = False
    #: the last update inside the date: ``date: {created, updated}`` (Material for MkDocs' blog)
    nested_dates: bool = False
    #: flat metadata: one ``category`` (the first; the others join ``tags``), each custom
    #: taxonomy a key of its own, ``slug`` the file's path below ``posts/`` or ``pages/`` (Pelican)
    flat_metadata: bool = False
    #: the generator's themes print front matter text (title, summary, names) as HTML, unescaped:
    #: ``<`` and ``"`` in it are written as character references
    text_is_html: bool = False
    #: template syntax the generator executes in a document's text ("hugo": shortcodes); the
    #: source's own text in that syntax is escaped so that it is printed, never run
    template_syntax: str = ""
    #: the generator reads Markdown with Python-Markdown, which knows no ``\<`` escape: text
    #: ``<`` is written ``&lt;`` instead (outside code)
    python_markdown: bool = False


PLAIN = Profile(name="plain", front_matter_formats=("yaml",), redirect_key="aliases", site_files=False)

HUGO = Profile(
    name="hugo",
    layouts={"post": "content/posts/{slug}.md", "page": "content/{slug}/index.md", "*": "content/{type}/{slug}.md"},
    content_root="content/",
    front_matter="yaml",
    front_matter_formats=("yaml", "toml"),
    renames={"excerpt": "summary", "updated": "lastmod", "slug": ""},
    taxonomy_urls={"category": "/categories/{name}/", "post_tag": "/tags/{name}/"},
    link_mode="url",
    redirect_key="aliases",
    bundles=True,
    data_dir="data/",
    template_syntax="hugo",
    publish_dir="static/",
)

JEKYLL = Profile(
    name="jekyll",
    layouts={
        "post:publish": "_posts/{year}-{month}-{day}-{slug}.md",
        "post:draft": "_drafts/{slug}.md",
        "page": "{slug}.md",
        "*": "{type}/{slug}.md",
    },
    renames={"updated": "last_modified_at"},
    link_mode="url",
    url_rewrites=((r"^_posts/(\d{4})-(\d\d)-(\d\d)-", r"\1/\2/\3/"), (r"^_drafts/", "drafts/")),
    keep_old_urls=True,
    permalink_key="permalink",
    redirect_key="redirect_from",
    author_style="login",
    defaults={"post": {"layout": "post"}, "*": {"layout": "page"}},
    required={"render_with_liquid": False},
    data_dir="_data/",
    draft_fields={"published": False},
)

ASTRO = Profile(
    name="astro",
    media_root="public/",
    publish_dir="public/",
    layouts={
        "post": "src/content/blog/{slug}.md",
        "page": "src/content/pages/{slug}.md",
        "*": "src/content/pages/{type}/{slug}.md",
    },
    content_root="src/content/",
    renames={
        "date": "pubDate",
        "updated": "updatedDate",
        "excerpt": "description",
        "featured_image": "heroImage",
        "slug": "",
    },
    link_mode="url",
    url_rewrites=((r"^pages/", ""),),
    required={"description": ""},
)

ELEVENTY = Profile(
    name="eleventy",
    layouts={"post": "posts/{slug}.md", "page": "{slug}.md", "*": "{type}/{slug}.md"},
    link_mode="url",
    keep_old_urls=True,
    permalink_key="permalink",
    draft_fields={"draft": True, "permalink": False, "eleventyExcludeFromCollections": True},
    required={"templateEngineOverride": "md"},  # Markdown only: Liquid/Nunjucks never run on the text
)

MKDOCS = Profile(
    name="mkdocs",
    media_root="docs/",
    publish_dir="docs/",
    layouts={"post": "docs/blog/posts/{slug}.md", "page": "docs/{slug}.md", "*": "docs/{type}/{slug}.md"},
    content_root="docs/",
    renames={"excerpt": "description", "aliases": ""},
    link_mode="relative",
    author_style="logins",
    author_key="authors",
    native_dates=True,
    nested_dates=True,
    authors_file="docs/blog/.authors.yml",
    authors_format="material",
    text_is_html=True,
    python_markdown=True,
)

PELICAN = Profile(
    name="pelican",
    media_root="content/",
    publish_dir="content/extra/",
    layouts={
        "post": "content/posts/{slug}.md",
        "page": "content/pages/{slug}.md",
        "*": "content/pages/{type}/{slug}.md",
    },
    content_root="content/",
    front_matter="pelican",
    front_matter_formats=("pelican",),
    renames={"excerpt": "summary", "updated": "modified", "aliases": ""},
    link_mode="pelican",
    flat_metadata=True,
    draft_fields={"status": "draft"},
    text_is_html=True,
    python_markdown=True,
)

PROFILES: dict[str, Profile] = {p.name: p for p in (PLAIN, HUGO, JEKYLL, ASTRO, ELEVENTY, MKDOCS, PELICAN)}
TARGETS: tuple[str, ...] = tuple(PROFILES)


def get_profile(name: str) -> Profile:
    """The profile of a target name (``plain`` when empty); ValueError when unknown."""
    try:
        return PROFILES[name or "plain"]
    except KeyError:
        raise ValueError(f"unknown target {name!r} (choose from {', '.join(TARGETS)})") from None
