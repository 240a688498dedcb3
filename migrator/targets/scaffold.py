"""``--scaffold``: the configuration that makes the output directory build as it stands (for
Hugo and Jekyll with a built-in layout: ``hugo_layouts``, ``jekyll_layouts``, ``site_css``).

Each target's files are ``string.Template`` texts (``$title``, ``$base_url``...), filled from
the export's site title, the run's options (the address from ``--base-url``) and facts of the
converted posts; the layouts are written as they are.  Existing files are never overwritten (a
user's edited configuration wins).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

from ..model import Site
from ..options import Options
from ..output.writer import atomic_write, resolve_inside
from .apply import html_text
from .hugo_layouts import HUGO_LAYOUTS
from .jekyll_layouts import JEKYLL_LAYOUTS, pagination_pages
from .site_css import SITE_CSS

#: posts per page of the Jekyll home listing (``per_page`` in its ``_config.yml``)
JEKYLL_PER_PAGE = 10


class Verbatim(str):
    """A scaffold file written as it is (templates whose own syntax uses ``$``)."""


def site_values(site: Site, options: Options) -> dict[str, str]:
    """Title, language and the new site's address: ``--base-url`` (default ``/``), never the old
    WordPress host (the sitemap and feeds would point there).  A path gives a site without a
    host (``baseURL = "/"``); a full URL gives origin and base path."""
    base = options.base_url or "/"
    if base.startswith(("http://", "https://")):
        parts = urlsplit(base)
        origin, base_path = f"{parts.scheme}://{parts.netloc}", parts.path or "/"
    else:
        origin, base_path = "", base if base.startswith("/") else "/" + base
    if not base_path.endswith("/"):
        base_path += "/"
    keys = sorted(set(options.taxonomy_keys.values()))
    return {
        "title": site.title or "Site",
        "title_json": json.dumps(site.title or "Site", ensure_ascii=False),
        "title_py": repr(site.title or "Site"),
        # for generators whose themes print the site title as HTML (MkDocs Material, Pelican)
        "title_html": html_text(site.title or "Site"),
        "title_html_json": json.dumps(html_text(site.title or "Site"), ensure_ascii=False),
        "title_html_py": repr(html_text(site.title or "Site")),
        "description_json": json.dumps(site.description or "", ensure_ascii=False),
        "base_url": origin + base_path,
        "base_url_json": json.dumps(origin + base_path),
        "base_url_py": repr((origin + base_path).rstrip("/")),
        "origin_json": json.dumps(origin),
        "base_path": base_path,
        "base_path_json": json.dumps(base_path.rstrip("/")),
        # configuration lines that need a full URL (MkDocs' site_url, Astro's site): only with a host
        "mkdocs_site_url": f"site_url: {json.dumps(origin + base_path)}\n" if origin else "",
        "astro_site": f"  site: {json.dumps(origin)},\n" if origin else "",
        "language": (site.language or "en").split("-")[0] or "en",
        "hugo_taxonomies": "".join(f"  {json.dumps(k)[1:-1]} = {json.dumps(k)}\n" for k in keys),
        "hugo_mounts": HUGO_MEDIA_MOUNTS if options.media == "download" else "",
        "hugo_sections": json.dumps([_posts_section(options)]),
    }


def _posts_section(options: Options) -> str:
    """The Hugo section holding the posts (their layout's first folder below ``content/``)."""
    layout = options.layouts.get("post") or options.layouts.get("post:publish") or options.layout
    rel = layout[len("content/") :] if layout.startswith("content/") else layout
    first = rel.split("/", 1)[0] if "/" in rel else ""
    return first if first and "{" not in first else "posts"


#: Jinja's ``striptags`` unescapes what it returns, so a title whose text is ``&lt;script&gt;``
#: (escaped for a theme that prints titles as HTML) would turn into markup wherever Pelican's or
#: MkDocs Material's templates print it stripped: the scaffold gives them one that keeps it text.
STRIPTAGS = '''"""Written by migrator --scaffold.  Jinja's striptags filter unescapes what it returns:
a title whose text is "&lt;script&gt;" would become markup where the theme prints it stripped.
This one keeps text escaped."""
from markupsafe import Markup, escape


def _striptags(value):
    return escape(Markup(str(value)).striptags())
'''

HUGO_MEDIA_MOUNTS = """
[module]
[[module.mounts]]
  source = "content"
  target = "content"
[[module.mounts]]
  source = "static"
  target = "static"
[[module.mounts]]
  source = "layouts"
  target = "layouts"
[[module.mounts]]
  source = "data"
  target = "data"
[[module.mounts]]
  source = "media"
  target = "static/media"
"""

HUGO = {
    "hugo.toml": """baseURL = $base_url_json
title = $title_json
languageCode = "$language"
relativeURLs = false
# Every post WordPress published is built, even one dated after the build (Hugo skips those by
# default; scheduled posts were not converted at all).
buildFuture = true
paginate = 10

[params]
  description = $description_json
  mainSections = $hugo_sections

[taxonomies]
  category = "categories"
  tag = "tags"
$hugo_taxonomies
[markup.goldmark.renderer]
  unsafe = true
$hugo_mounts""",
    **{path: Verbatim(text) for path, text in HUGO_LAYOUTS.items()},
    "static/css/site.css": Verbatim(SITE_CSS),
}

JEKYLL = {
    "_config.yml": """title: $title_json
description: $description_json
lang: "$language"
url: $origin_json
baseurl: $base_path_json
markdown: kramdown
kramdown:
  input: GFM
  hard_wrap: false
# every post WordPress published is built, even one dated after the build
future: true
${jekyll_timezone}per_page: 10
# no generated excerpts: the home page shows a post's own excerpt, else its first paragraph
excerpt_separator: ""
# Netlify's redirect map is published with the site; the server maps are configuration
include: [_redirects]
exclude: [manifest.json, comments, Gemfile, Gemfile.lock, redirects.nginx.conf, redirects.apache.conf,
  Caddyfile.redirects, redirects.csv]
# redirect_from (old URLs) needs the jekyll-redirect-from plugin: add it to a Gemfile and to
# plugins: [jekyll-redirect-from]
""",
    **{path: Verbatim(text) for path, text in JEKYLL_LAYOUTS.items()},
    "assets/css/site.css": Verbatim(SITE_CSS),
}

MKDOCS = {
    "mkdocs.yml": """site_name: $title_html_json
${mkdocs_site_url}theme:
  name: material
hooks:
  - mkdocs_hooks.py
plugins:
  - blog:
      post_url_format: "{date}/{file}"
markdown_extensions:
  - tables
  - toc:
      permalink: true
  - md_in_html
  - attr_list
""",
    "docs/index.md": """# $title_html
""",
    "mkdocs_hooks.py": STRIPTAGS
    + """

def on_env(env, config, files):
    env.filters["striptags"] = _striptags
    return env
""",
    "docs/blog/index.md": """# Blog
""",
}

PELICAN = {
    "pelicanconf.py": STRIPTAGS
    + """
JINJA_FILTERS = {"striptags": _striptags}

AUTHOR = ""
SITENAME = $title_html_py
SITEURL = $base_url_py
RELATIVE_URLS = True
PATH = "content"
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["media", "extra/_redirects"]
EXTRA_PATH_METADATA = {"extra/_redirects": {"path": "_redirects"}}
TIMEZONE = "UTC"
DEFAULT_LANG = "$language"
DEFAULT_DATE = "fs"
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "Uncategorized"
ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
""",
}

ELEVENTY = {
    ".eleventy.js": """module.exports = function (eleventyConfig) {
  eleventyConfig.addPassthroughCopy("media");
  eleventyConfig.addPassthroughCopy("_redirects");
  eleventyConfig.ignores.add("manifest.json");
  eleventyConfig.ignores.add("comments/**");
  eleventyConfig.ignores.add("README.md");
  return {
    pathPrefix: $base_path_json || "/",
    markdownTemplateEngine: false,
    dir: { input: ".", includes: "_includes", data: "_data", output: "_site" },
  };
};
""",
    "_data/site.json": """{"title": $title_json, "url": $base_url_json}
""",
    "_includes/base.njk": """<!DOCTYPE html>
<html lang="$language">
<head><meta charset="utf-8"><title>{{ title | escape }} | {{ site.title | escape }}</title></head>
<body><main><h1>{{ title | escape }}</h1>{{ content | safe }}</main></body>
</html>
""",
    "posts/posts.json": """{"layout": "base.njk", "tags": ["posts"]}
""",
    "package.json": """{"private": true, "scripts": {"build": "eleventy"}, "devDependencies": {"@11ty/eleventy": "^3.0.0"}}
""",
}

ASTRO = {
    "astro.config.mjs": """import { defineConfig } from "astro/config";

export default defineConfig({
${astro_site}  base: $base_path_json || "/",
});
""",
    "src/content.config.ts": """import { defineCollection, z } from "astro:content";
import { glob } from "astro/loaders";

const common = {
  title: z.string(),
  description: z.string(),
  pubDate: z.coerce.date().optional(),
  updatedDate: z.coerce.date().optional(),
  heroImage: z.string().optional(),
  author: z.string().optional(),
  categories: z.array(z.string()).optional(),
  tags: z.array(z.string()).optional(),
  taxonomies: z.record(z.array(z.string())).optional(),
  draft: z.boolean().optional(),
  images: z.array(z.any()).optional(),
  wordpress_id: z.string().optional(),
  type: z.string().optional(),
  source_url: z.string().optional(),
  aliases: z.array(z.string()).optional(),
};

const blog = defineCollection({
  loader: glob({ base: "./src/content/blog", pattern: "**/*.md" }),
  schema: z.object({ ...common, pubDate: z.coerce.date() }).passthrough(),
});

const pages = defineCollection({
  loader: glob({ base: "./src/content/pages", pattern: "**/*.md" }),
  schema: z.object(common).passthrough(),
});

export const collections = { blog, pages };
""",
    "src/pages/blog/[...slug].astro": """---
import { getCollection, render } from "astro:content";
export async function getStaticPaths() {
  const posts = await getCollection("blog", ({ data }) => !data.draft);
  return posts.map((post) => ({ params: { slug: post.id }, props: post }));
}
const post = Astro.props;
const { Content } = await render(post);
---
<html><head><meta charset="utf-8" /><title>{post.data.title}</title></head>
<body><main><h1>{post.data.title}</h1><Content /></main></body></html>
""",
    "src/pages/[...slug].astro": """---
import { getCollection, render } from "astro:content";
export async function getStaticPaths() {
  const pages = await getCollection("pages", ({ data }) => !data.draft);
  return pages.map((page) => ({ params: { slug: page.id }, props: page }));
}
const page = Astro.props;
const { Content } = await render(page);
---
<html><head><meta charset="utf-8" /><title>{page.data.title}</title></head>
<body><main><h1>{page.data.title}</h1><Content /></main></body></html>
""",
    "package.json": """{"private": true, "type": "module", "scripts": {"build": "astro build"}, "dependencies": {"astro": "^5.0.0"}}
""",
}

SCAFFOLDS: dict[str, dict[str, str]] = {
    "hugo": HUGO,
    "jekyll": JEKYLL,
    "mkdocs": MKDOCS,
    "pelican": PELICAN,
    "eleventy": ELEVENTY,
    "astro": ASTRO,
}


@dataclass(frozen=True)
class PostFacts:
    """What the scaffold needs to know of the converted posts."""

    count: int = 0  # published posts (Jekyll's home pages, ``per_page`` each)
    utc_offset: timedelta | None = None  # the offset most of their dates carry: WordPress's local time


def post_facts(entries) -> PostFacts:
    """:class:`PostFacts` of the index's entries."""
    count, offsets = 0, Counter()
    for e in entries:
        if e.disposition == "document" and e.type == "post" and e.status == "publish":
            count += 1
            if isinstance(e.date, datetime) and e.date.utcoffset() is not None:
                offsets[e.date.utcoffset()] += 1
    return PostFacts(count, offsets.most_common(1)[0][0] if offsets else None)


def jekyll_timezone(offset: timedelta | None) -> str:
    """The ``timezone:`` line for ``_config.yml``: Jekyll shows every date in one zone (the build
    machine's without it), so a post written at 20:00 in UTC-7 would show the next day.  A fixed
    zone of the posts' usual offset (``Etc/GMT+7`` is UTC-7, POSIX's inverted sign); none for an
    offset of a fraction of an hour (no such zone)."""
    if offset is None or offset % timedelta(hours=1):
        return ""
    hours = int(offset / timedelta(hours=1))
    zone = "Etc/UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"
    return f"# the posts' own time (their UTC offset in the export), so dates show as WordPress showed them\ntimezone: {zone}\n"


def scaffold_files(site: Site, options: Options, posts: PostFacts | int = 0) -> dict[str, str]:
    """Relative path -> text of the target's configuration files (none for ``plain``); ``posts``:
    the converted posts (how many: Jekyll's home pages; their time zone)."""
    facts = posts if isinstance(posts, PostFacts) else PostFacts(posts)
    values = site_values(site, options)
    values["jekyll_timezone"] = jekyll_timezone(facts.utc_offset)
    files = {
        path: text if isinstance(text, Verbatim) else Template(text).safe_substitute(values)
        for path, text in SCAFFOLDS.get(options.target, {}).items()
    }
    if options.target == "jekyll":
        files.update(pagination_pages(facts.count, JEKYLL_PER_PAGE))
    return files


def write_scaffold(site: Site, options: Options, out: Path, owner=None, posts: PostFacts | int = 0) -> list[str]:
    """Write the scaffold files that do not exist yet; return the paths written.

    An existing file is never overwritten (the user may have edited it); with ``owner`` one
    that an earlier run wrote is still recorded as ours, so it is not removed as stale."""
    written = []
    for rel, text in scaffold_files(site, options, posts).items():
        target = resolve_inside(out, rel)
        if target.exists():
            if owner is not None:
                owner.keep_existing(rel, text.encode("utf-8"))  # ours: recorded again, left as it is
            continue
        if owner is not None:
            owner.write(rel, text.encode("utf-8"))
        else:
            atomic_write(target, text.encode("utf-8"))
        written.append(rel)
    return written
