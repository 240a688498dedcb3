"""The built-in Hugo layout ``--scaffold`` writes: a readable blog without a downloaded theme.

Home: the posts (``params.mainSections``, ``posts``), newest first, paginated, each with its
date, author, categories, excerpt and featured image; post pages with date, author, categories,
tags, featured image, comments (``--comments data``) and older/newer links; the pages' own
navigation (top-level pages, by weight then title); taxonomy pages (every term with its count)
and term pages (paginated).  Go's ``html/template`` escapes every text it prints; excerpts are
printed as text (``plainify``), never as markup.  Files are written as they are (no ``$``
substitution: the values come from ``hugo.toml``).
"""

HUGO_LAYOUTS = {
    "layouts/_default/baseof.html": """<!DOCTYPE html>
<html lang="{{ site.LanguageCode | default "en" }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ partial "title.html" . }} | {{ end }}{{ site.Title }}</title>
{{- with .Params.summary }}
<meta name="description" content="{{ . | plainify | htmlUnescape }}">
{{- else }}{{ with site.Params.description }}
<meta name="description" content="{{ . }}">
{{- end }}{{ end }}
<link rel="stylesheet" href="{{ "css/site.css" | relURL }}">
{{- with .OutputFormats.Get "rss" }}
<link rel="alternate" type="application/rss+xml" href="{{ partial "term-url.html" . }}" title="{{ site.Title }}">
{{- end }}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header"><div class="wrap">
<a class="site-title" href="{{ "/" | relURL }}">{{ site.Title }}</a>
{{- with site.Params.description }}
<p class="site-description">{{ . }}</p>
{{- end }}
{{ partial "nav.html" . }}
</div></header>
<main id="main" class="wrap">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer"><div class="wrap">
<span>&copy; {{ now.Format "2006" }} {{ site.Title }}</span>
{{- range $name, $terms := site.Taxonomies }}{{ if $terms }}{{ with site.GetPage (printf "/%s" $name) }}
<a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{- end }}{{ end }}{{ end }}
{{- with site.Home.OutputFormats.Get "rss" }}
<a href="{{ partial "term-url.html" . }}">RSS</a>
{{- end }}
</div></footer>
</body>
</html>
""",
    "layouts/partials/title.html": """{{- with .Title }}{{ . }}{{ else }}(untitled){{ end -}}
""",
    "layouts/partials/nav.html": """{{- $current := . -}}
<nav class="site-nav" aria-label="Pages"><ul>
<li><a href="{{ "/" | relURL }}"{{ if .IsHome }} aria-current="page"{{ end }}>Home</a></li>
{{- range site.Home.Pages.ByTitle }}{{ if and .File (not (in site.Params.mainSections .Section)) }}
<li><a href="{{ .RelPermalink }}"{{ if or (eq . $current) ($current.IsDescendant .) }} aria-current="page"{{ end }}>{{ partial "title.html" . }}</a></li>
{{- end }}{{ end }}
</ul></nav>
""",
    "layouts/partials/meta.html": """<p class="meta">
{{- if not .Date.IsZero }}<time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date | time.Format ":date_long" }}</time>{{ end }}
{{- with .Params.author }}<span class="author">{{ if reflect.IsSlice . }}{{ delimit . ", " }}{{ else }}{{ . }}{{ end }}</span>{{ end }}
{{- with .GetTerms "categories" }}<span class="categories">{{ range $i, $t := . }}{{ if $i }}, {{ end }}<a href="{{ partial "term-url.html" . }}">{{ .LinkTitle }}</a>{{ end }}</span>{{ end -}}
</p>
""",
    "layouts/partials/featured.html": """{{- /* a featured image's address: as written, or relative to its page (a bundle's own file) */ -}}
{{- $src := .src -}}
{{- if not (or (hasPrefix $src "/") (findRE "^[a-zA-Z][a-zA-Z0-9+.-]*:" $src)) }}{{ $src = printf "%s%s" .page.RelPermalink $src }}{{ end -}}
{{- return $src -}}
""",
    "layouts/partials/entry.html": """<li class="entry{{ if .Params.featured_image }} has-thumb{{ end }}">
{{- with .Params.featured_image }}
<a class="entry-thumb" href="{{ $.RelPermalink }}" tabindex="-1" aria-hidden="true"><img src="{{ partial "featured.html" (dict "page" $ "src" .) }}" alt="" loading="lazy"></a>
{{- end }}
<h2 class="entry-title"><a href="{{ .RelPermalink }}">{{ partial "title.html" . }}</a></h2>
{{ partial "meta.html" . }}
{{- with partial "summary.html" . }}
<p class="entry-summary">{{ . | truncate 280 }}</p>
{{- end }}
</li>
""",
    # a post's excerpt (summary) as text, else its first paragraph that has text (not the first 70
    # words of everything: captions and headings would run into one line)
    "layouts/partials/summary.html": """{{- $text := "" -}}
{{- with .Params.summary }}{{ $text = trim (. | plainify | htmlUnescape) " \\n\\t" }}{{ end -}}
{{- if not $text }}{{ range findRE `(?s)<p>.*?</p>` .Content 12 }}{{ if not $text }}{{ $text = trim (. | plainify | htmlUnescape) " \\n\\t" }}{{ end }}{{ end }}{{ end -}}
{{- return $text -}}
""",
    "layouts/partials/body.html": """{{- with .Params.featured_image }}
<figure class="featured"><img src="{{ partial "featured.html" (dict "page" $ "src" .) }}" alt=""></figure>
{{- end }}
<div class="content">
{{ .Content }}
</div>
""",
    # a page's list of posts (.pages), paginated (10 a page), with newer/older links
    "layouts/partials/listing.html": """{{- $pager := .page.Paginate .pages }}
<ul class="entries">
{{- range $pager.Pages }}
{{ partial "entry.html" . }}
{{- end }}
</ul>
{{ partial "pager.html" $pager }}
""",
    "layouts/partials/term-url.html": """{{- /* Hugo keeps "#" and "?" of a term ("C#") in its URL: escaped, or the browser cuts the path */ -}}
{{- return replace (replace .RelPermalink "#" "%23") "?" "%3F" -}}
""",
    # Hugo's own redirect pages (a term's "page/1/", old URLs in aliases): its default, with the
    # address escaped like a term's
    "layouts/alias.html": """<!DOCTYPE html><html lang="{{ site.LanguageCode | default "en" }}"><head><title>{{ .Permalink }}</title>\
<link rel="canonical" href="{{ partial "term-url.html" (dict "RelPermalink" .Permalink) }}"><meta name="robots" content="noindex">\
<meta charset="utf-8"><meta http-equiv="refresh" content="0; url={{ partial "term-url.html" (dict "RelPermalink" .Permalink) }}"></head></html>
""",
    "layouts/partials/pager.html": """{{- if gt .TotalPages 1 }}
<nav class="pager" aria-label="More posts">
{{- with .Prev }}<a href="{{ .URL }}" rel="prev">&larr; Newer posts</a>{{ end }}
<span class="current">Page {{ .PageNumber }} of {{ .TotalPages }}</span>
{{- with .Next }}<a href="{{ .URL }}" rel="next">Older posts &rarr;</a>{{ end }}
</nav>
{{- end }}
""",
    "layouts/partials/comments.html": """<ol>{{ range . }}<li id="comment-{{ .id }}"><p class="comment-author">{{ .author }}{{ with .date }} <time datetime="{{ . }}">{{ . | time.Format ":date_medium" }}</time>{{ end }}</p>
{{ .content | markdownify }}{{ with .replies }}{{ partial "comments.html" . }}{{ end }}</li>{{ end }}</ol>
""",
    "layouts/index.html": """{{ define "main" }}
{{- $posts := where site.RegularPages "Section" "in" site.Params.mainSections }}
{{- with .Content }}<div class="content">{{ . }}</div>{{ end }}
{{ partial "listing.html" (dict "page" . "pages" $posts) }}
{{ end }}
""",
    # The post's date, author and categories above its title, its tags, comments and links to
    # the neighbours after it: the article holds the title and the text only (what the old page
    # said; `migrator verify` compares its words)
    "layouts/_default/single.html": """{{ define "main" }}
{{- $post := in site.Params.mainSections .Section }}
{{- if $post }}
{{ partial "meta.html" . }}
{{- end }}
<article class="post">
<h1 class="page-title">{{ partial "title.html" . }}</h1>
{{ partial "body.html" . }}
</article>
<footer class="post-footer">
{{- with .GetTerms "tags" }}
<p class="terms">Tags: {{ range . }}<a href="{{ partial "term-url.html" . }}" rel="tag">{{ .LinkTitle }}</a>{{ end }}</p>
{{- end }}
{{- with .Params.wordpress_id }}{{ with site.Data.comments }}{{ with index . (string $.Params.wordpress_id) }}
<section class="comments" id="comments"><h2>Comments</h2>{{ partial "comments.html" . }}</section>
{{- end }}{{ end }}{{ end }}
{{- if $post }}
<nav class="post-nav" aria-label="More posts">
{{- with .PrevInSection }}<a href="{{ .RelPermalink }}" rel="prev">&larr; {{ partial "title.html" . }}</a>{{ end }}
{{- with .NextInSection }}<a href="{{ .RelPermalink }}" rel="next">{{ partial "title.html" . }} &rarr;</a>{{ end }}
</nav>
{{- end }}
</footer>{{ end }}
""",
    "layouts/_default/list.html": """{{ define "main" }}
{{- if and .File (eq .Kind "section") (not (in site.Params.mainSections .Section)) }}
{{- /* a WordPress page with child pages (a branch bundle): the page, then its children */}}
<article class="post">
<h1 class="page-title">{{ partial "title.html" . }}</h1>
{{ partial "body.html" . }}
<nav class="children" aria-label="Pages in this section"><h2>Pages</h2><ul>
{{- range .Pages.ByTitle }}
<li><a href="{{ .RelPermalink }}">{{ partial "title.html" . }}</a></li>
{{- end }}
</ul></nav>
</article>
{{- else }}
<h1 class="page-title">{{ with .Data.Singular }}<span class="kind">{{ . | humanize }}</span>{{ end }}{{ partial "title.html" . }}</h1>
{{- with .Content }}<div class="content">{{ . }}</div>{{ end }}
{{ partial "listing.html" (dict "page" . "pages" .RegularPages) }}
{{- end }}
{{ end }}
""",
    "layouts/_default/terms.html": """{{ define "main" }}
<h1 class="page-title">{{ .Title }}</h1>
<ul class="term-list">
{{- range .Data.Terms.Alphabetical }}
<li><a href="{{ partial "term-url.html" .Page }}">{{ .Page.LinkTitle }}<span class="count">{{ .Count }}</span></a></li>
{{- end }}
</ul>
{{ end }}
""",
}
