"""``--scaffold``: the minimal configuration that makes the output directory build as it stands.

Each target's files are ``string.Template`` texts (``$title``, ``$base_url``...), filled from
the export's site title and address and the run's options.  Existing files are never
overwritten (a user's edited configuration wins).
"""

from __future__ import annotations

import json
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

from ..model import Site
from ..options import Options
from ..output.writer import atomic_write, resolve_inside
from .apply import html_text


def site_values(site: Site, options: Options) -> dict[str, str]:
    """Title, full base URL (old host + the run's base path), base path, language."""
    link = site.base_blog_url or site.link or site.base_site_url or "https://example.org/"
    parts = urlsplit(link)
    base_path = options.base_url if options.base_url.startswith("/") else urlsplit(options.base_url).path or "/"
    if not base_path.endswith("/"):
        base_path += "/"
    if options.base_url.startswith(("http://", "https://")):
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(options.base_url))
    else:
        origin = f"{parts.scheme or 'https'}://{parts.netloc or 'example.org'}"
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
        "origin_json": json.dumps(origin),
        "base_path": base_path,
        "base_path_json": json.dumps(base_path.rstrip("/")),
        "language": (site.language or "en").split("-")[0] or "en",
        "hugo_taxonomies": "".join(f"  {json.dumps(k)[1:-1]} = {json.dumps(k)}\n" for k in keys),
        "hugo_mounts": HUGO_MEDIA_MOUNTS if options.media == "download" else "",
    }


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

[taxonomies]
  category = "categories"
  tag = "tags"
$hugo_taxonomies
[markup.goldmark.renderer]
  unsafe = true
$hugo_mounts""",
    "layouts/_default/baseof.html": """<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body>
</html>
""",
    "layouts/_default/single.html": """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ with .Params.wordpress_id }}{{ with site.Data.comments }}{{ with index . (string $$.Params.wordpress_id) }}
<section class="comments">{{ partial "comments.html" . }}</section>
{{ end }}{{ end }}{{ end }}
</article>{{ end }}
""",
    "layouts/_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
""",
    "layouts/index.html": """{{ define "main" }}<h1>{{ site.Title }}</h1>
<ul>{{ range site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
""",
    "layouts/partials/comments.html": """<ol>{{ range . }}<li id="comment-{{ .id }}"><p class="comment-author">{{ .author }}</p>
{{ .content | markdownify }}{{ with .replies }}{{ partial "comments.html" . }}{{ end }}</li>{{ end }}</ol>
""",
}

JEKYLL = {
    "_config.yml": """title: $title_json
description: $description_json
url: $origin_json
baseurl: $base_path_json
markdown: kramdown
kramdown:
  input: GFM
  hard_wrap: false
exclude: [manifest.json, comments, Gemfile, Gemfile.lock]
# redirect_from (old URLs) needs the jekyll-redirect-from plugin: add it to a Gemfile and to
# plugins: [jekyll-redirect-from]
""",
    "_layouts/default.html": """<!DOCTYPE html>
<html lang="$language">
<head><meta charset="utf-8"><title>{{ page.title | escape }} | {{ site.title | escape }}</title></head>
<body><main>{{ content }}</main></body>
</html>
""",
    "_layouts/post.html": """---
layout: default
---
<article><h1>{{ page.title | escape }}</h1>
{{ content }}
{% assign thread = site.data.comments[page.wordpress_id] %}
{% if thread %}<section class="comments">{% include comments.html comments=thread %}</section>{% endif %}
</article>
""",
    "_layouts/page.html": """---
layout: post
---
{{ content }}
""",
    "_includes/comments.html": """<ol>{% for c in include.comments %}<li id="comment-{{ c.id | escape }}"><p class="comment-author">{{ c.author | escape }}</p>
{{ c.content | markdownify }}{% if c.replies.size > 0 %}{% include comments.html comments=c.replies %}{% endif %}</li>{% endfor %}</ol>
""",
    "index.html": """---
layout: default
title: Home
---
<h1>{{ site.title | escape }}</h1>
<ul>{% for post in site.posts %}<li><a href="{{ post.url | relative_url | escape }}">{{ post.title | escape }}</a></li>{% endfor %}</ul>
""",
}

MKDOCS = {
    "mkdocs.yml": """site_name: $title_html_json
site_url: $base_url_json
theme:
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
    "mkdocs_hooks.py": STRIPTAGS + """

def on_env(env, config, files):
    env.filters["striptags"] = _striptags
    return env
""",
    "docs/blog/index.md": """# Blog
""",
}

PELICAN = {
    "pelicanconf.py": STRIPTAGS + """
JINJA_FILTERS = {"striptags": _striptags}

AUTHOR = ""
SITENAME = $title_html_py
SITEURL = $base_url_py
RELATIVE_URLS = True
PATH = "content"
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["media"]
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
  site: $origin_json,
  base: $base_path_json || "/",
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
    "hugo": HUGO, "jekyll": JEKYLL, "mkdocs": MKDOCS, "pelican": PELICAN, "eleventy": ELEVENTY, "astro": ASTRO,
}


def scaffold_files(site: Site, options: Options) -> dict[str, str]:
    """Relative path -> text of the target's configuration files (none for ``plain``)."""
    values = site_values(site, options)
    values["base_url_py"] = repr(values["base_url"].rstrip("/"))
    return {path: Template(text).safe_substitute(values) for path, text in SCAFFOLDS.get(options.target, {}).items()}


def write_scaffold(site: Site, options: Options, out: Path, owner=None) -> list[str]:
    """Write the scaffold files that do not exist yet; return the paths written.

    An existing file is never overwritten (the user may have edited it); with ``owner`` one
    that an earlier run wrote is still recorded as ours, so it is not removed as stale."""
    written = []
    for rel, text in scaffold_files(site, options).items():
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
