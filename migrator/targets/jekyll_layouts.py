"""The built-in Jekyll layout ``--scaffold`` writes: a readable blog that builds with plain
``jekyll build`` (no plugin, so GitHub Pages' safe mode builds it too).

Home: the posts, newest first, ``per_page`` (``_config.yml``) a page: ``index.html`` and one
``page/N/index.html`` per further page (written by the scaffold for the posts converted; a
page's "older" link is shown only when that page exists).  Post pages: date, author (the
display name from ``_data/authors.json``), categories, tags, featured image, comments
(``--comments data``), previous/next.  Pages: navigation to the top-level pages; taxonomy pages
``/categories/`` and ``/tags/`` listing every term with its posts (term links are anchors).
Every text printed is escaped (``escape``; excerpts are stripped of markup first).  Files are
written as they are (no ``$`` substitution).
"""

JEKYLL_LAYOUTS = {
    "_layouts/default.html": """<!DOCTYPE html>
<html lang="{{ site.lang | default: "en" | escape }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% if page.url != "/" %}{% include title.html page=page %} | {% endif %}{{ site.title | escape }}</title>
{%- if site.description %}
<meta name="description" content="{{ site.description | escape }}">
{%- endif %}
<link rel="stylesheet" href="{{ "/assets/css/site.css" | relative_url }}">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header"><div class="wrap">
<a class="site-title" href="{{ "/" | relative_url }}">{{ site.title | escape }}</a>
{%- if site.description %}
<p class="site-description">{{ site.description | escape }}</p>
{%- endif %}
{% include nav.html %}
</div></header>
<main id="main" class="wrap">
{{ content }}
</main>
<footer class="site-footer"><div class="wrap">
<span>&copy; {{ site.time | date: "%Y" }} {{ site.title | escape }}</span>
{%- if site.categories.size > 0 %}
<a href="{{ "/categories/" | relative_url }}">Categories</a>
{%- endif %}
{%- if site.tags.size > 0 %}
<a href="{{ "/tags/" | relative_url }}">Tags</a>
{%- endif %}
</div></footer>
</body>
</html>
""",
    "_includes/title.html": """{%- assign t = include.page.title | strip -%}
{%- if t == "" -%}(untitled){%- else -%}{{ t | escape }}{%- endif -%}
""",
    "_includes/nav.html": """<nav class="site-nav" aria-label="Pages"><ul>
<li><a href="{{ "/" | relative_url }}"{% if page.url == "/" %} aria-current="page"{% endif %}>Home</a></li>
{%- assign nav = site.pages | where_exp: "p", "p.wordpress_id" | sort_natural: "title" %}
{%- for p in nav %}{% assign depth = p.url | split: "/" | size %}{% if depth == 2 %}
<li><a href="{{ p.url | relative_url }}"{% if page.url == p.url %} aria-current="page"{% endif %}>{% include title.html page=p %}</a></li>
{%- endif %}{% endfor %}
</ul></nav>
""",
    "_includes/meta.html": """<p class="meta">
{%- if include.page.date %}<time datetime="{{ include.page.date | date_to_xmlschema }}">{{ include.page.date | date: "%B %-d, %Y" }}</time>{% endif %}
{%- if include.page.author %}{% assign a = site.data.authors[include.page.author] %}<span class="author">{% if a %}{{ a.name | escape }}{% else %}{{ include.page.author | escape }}{% endif %}</span>{% endif %}
{%- if include.page.categories.size > 0 %}<span class="categories">{% for c in include.page.categories %}{% unless forloop.first %}, {% endunless %}<a href="{{ "/categories/" | relative_url }}#{{ c | slugify }}">{{ c | escape }}</a>{% endfor %}</span>{% endif -%}
</p>
""",
    "_includes/entry.html": """{%- assign post = include.post -%}
<li class="entry{% if post.featured_image %} has-thumb{% endif %}">
{%- if post.featured_image %}
<a class="entry-thumb" href="{{ post.url | relative_url }}" tabindex="-1" aria-hidden="true"><img src="{{ post.featured_image | escape }}" alt="" loading="lazy"></a>
{%- endif %}
<h2 class="entry-title"><a href="{{ post.url | relative_url }}">{% include title.html page=post %}</a></h2>
{% include meta.html page=post %}
{%- comment %} the post's excerpt, else its first paragraph that has text {% endcomment %}
{%- assign summary = post.excerpt | strip_html | strip %}
{%- if summary == "" %}{% assign paragraphs = post.content | split: "<p>" %}
{%- for p in paragraphs offset: 1 limit: 12 %}{% assign summary = p | split: "</p>" | first | strip_html | strip %}
{%- if summary != "" %}{% break %}{% endif %}{% endfor %}{% endif %}
{%- assign summary = summary | escape_once | truncatewords: 40 %}
{%- if summary != "" %}
<p class="entry-summary">{{ summary }}</p>
{%- endif %}
</li>
""",
    "_includes/comments.html": """<ol>{% for c in include.comments %}<li id="comment-{{ c.id | escape }}"><p class="comment-author">{{ c.author | escape }}{% if c.date %} <time datetime="{{ c.date | escape }}">{{ c.date | date: "%B %-d, %Y" }}</time>{% endif %}</p>
{{ c.content | markdownify }}{% if c.replies.size > 0 %}{% include comments.html comments=c.replies %}{% endif %}</li>{% endfor %}</ol>
""",
    "_layouts/home.html": """---
layout: default
---
{%- assign per = site.per_page | default: 10 %}
{%- assign n = page.pagination_page | default: 1 %}
{%- assign offset = n | minus: 1 | times: per %}
{%- assign last = site.posts.size | plus: per | minus: 1 | divided_by: per %}
{{ content }}
<ul class="entries">
{%- for post in site.posts limit: per offset: offset %}
{% include entry.html post=post %}
{%- endfor %}
</ul>
{%- if last > 1 %}
<nav class="pager" aria-label="More posts">
{%- assign prev = n | minus: 1 %}{% assign next = n | plus: 1 %}
{%- if n == 2 %}<a href="{{ "/" | relative_url }}" rel="prev">&larr; Newer posts</a>
{%- elsif n > 2 %}<a href="{{ "/page/" | append: prev | append: "/" | relative_url }}" rel="prev">&larr; Newer posts</a>{% endif %}
<span class="current">Page {{ n }} of {{ last }}</span>
{%- assign next_url = "/page/" | append: next | append: "/" %}
{%- assign next_page = site.pages | where: "url", next_url | first %}
{%- if n < last and next_page %}<a href="{{ next_url | relative_url }}" rel="next">Older posts &rarr;</a>{% endif %}
</nav>
{%- endif %}
""",
    # date, author and categories above the title, tags, comments and neighbours after the
    # article: it holds the title and the text only (what `migrator verify` compares)
    "_layouts/post.html": """---
layout: default
---
{% include meta.html page=page %}
<article class="post">
<h1 class="page-title">{% include title.html page=page %}</h1>
{% include body.html %}
</article>
<footer class="post-footer">
{%- if page.tags.size > 0 %}
<p class="terms">Tags: {% for t in page.tags %}<a href="{{ "/tags/" | relative_url }}#{{ t | slugify }}" rel="tag">{{ t | escape }}</a>{% endfor %}</p>
{%- endif %}
{% include thread.html %}
<nav class="post-nav" aria-label="More posts">
{%- if page.previous %}<a href="{{ page.previous.url | relative_url }}" rel="prev">&larr; {% include title.html page=page.previous %}</a>{% endif %}
{%- if page.next %}<a href="{{ page.next.url | relative_url }}" rel="next">{% include title.html page=page.next %} &rarr;</a>{% endif %}
</nav>
</footer>
""",
    "_layouts/page.html": """---
layout: default
---
<article class="post">
<h1 class="page-title">{% include title.html page=page %}</h1>
{% include body.html %}
</article>
{% include thread.html %}
""",
    "_includes/body.html": """{%- if page.featured_image %}
<figure class="featured"><img src="{{ page.featured_image | escape }}" alt=""></figure>
{%- endif %}
<div class="content">
{{ content }}
</div>
""",
    "_includes/thread.html": """{%- assign thread = site.data.comments[page.wordpress_id] -%}
{%- if thread %}<section class="comments" id="comments"><h2>Comments</h2>{% include comments.html comments=thread %}</section>{% endif -%}
""",
    "_layouts/terms.html": """---
layout: default
---
<h1 class="page-title">{{ page.title | escape }}</h1>
{%- if page.taxonomy == "tags" %}{% assign groups = site.tags %}{% else %}{% assign groups = site.categories %}{% endif %}
{%- assign names = "" | split: "" %}
{%- for pair in groups %}{% assign names = names | push: pair[0] %}{% endfor %}
{%- assign names = names | sort_natural %}
<ul class="term-list">
{%- for name in names %}
<li><a href="#{{ name | slugify }}">{{ name | escape }}<span class="count">{{ groups[name].size }}</span></a></li>
{%- endfor %}
</ul>
{%- for name in names %}
<section class="term-section" id="{{ name | slugify }}">
<h2>{{ name | escape }}</h2>
<ul class="archive-list">
{%- for post in groups[name] %}
<li><time datetime="{{ post.date | date_to_xmlschema }}">{{ post.date | date: "%b %-d, %Y" }}</time><a href="{{ post.url | relative_url }}">{% include title.html page=post %}</a></li>
{%- endfor %}
</ul>
</section>
{%- endfor %}
""",
    "index.html": """---
layout: home
---
""",
    "categories/index.html": """---
layout: terms
title: Categories
taxonomy: categories
---
""",
    "tags/index.html": """---
layout: terms
title: Tags
taxonomy: tags
---
""",
}


def pagination_pages(posts: int, per_page: int) -> dict[str, str]:
    """``page/N/index.html`` for every page of the home listing after the first."""
    pages = max(1, -(-posts // per_page))
    return {
        f"page/{n}/index.html": f"---\nlayout: home\npagination_page: {n}\ntitle: Page {n}\n---\n"
        for n in range(2, pages + 1)
    }
