"""The style sheet of the built-in layouts (``--scaffold`` for Hugo and Jekyll): one file, no
web fonts, no JavaScript.  Readable first: a measure of about 70 characters, a system font
stack, real spacing for headings, lists, quotes, code and tables; images never wider than the
text; runs of image-only paragraphs (a converted gallery) flow as a grid; dark mode follows the
reader's system setting."""

from string import Template

_SITE_CSS = """/* Written by migrator --scaffold: the built-in layout's style sheet.  Edit freely. */
:root {
  --text: #1f2328; --muted: #5f6670; --bg: #fdfdfb; --panel: #f3f2ee; --line: #e2e0d9;
  --accent: #1c5aa8; --accent-hover: #0f3f7a; --code-bg: #f1efe9;
  --wide: 46rem;
  --font: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
  --serif: "Iowan Old Style", "Palatino Linotype", Palatino, Georgia, "Noto Serif", serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root { --text: #e6e3dc; --muted: #a19d94; --bg: #1b1c1e; --panel: #242528; --line: #3a3b3f;
          --accent: #8ab4f8; --accent-hover: #b7cffa; --code-bg: #2a2b2f; }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--text); font: 1.0625rem/1.7 var(--font); }
a { color: var(--accent); text-decoration-thickness: 1px; text-underline-offset: .15em; }
a:hover { color: var(--accent-hover); }
.wrap { max-width: var(--wide); margin: 0 auto; padding: 0 1.25rem; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: .5rem; z-index: 1; }

/* header and navigation */
.site-header { border-bottom: 1px solid var(--line); background: var(--panel); }
.site-header .wrap { display: flex; flex-wrap: wrap; align-items: baseline; gap: .25rem 2rem; padding-top: 1.25rem;
                     padding-bottom: 1rem; }
.site-title { font: 700 1.5rem/1.2 var(--serif); color: var(--text); text-decoration: none; }
.site-description { margin: 0; color: var(--muted); font-size: .95rem; flex: 1 1 16rem; }
.site-nav { flex-basis: 100%; }
.site-nav ul { list-style: none; margin: .5rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; }
.site-nav a { color: var(--text); text-decoration: none; font-size: .95rem; }
.site-nav a:hover, .site-nav a[aria-current] { color: var(--accent); text-decoration: underline; }

main.wrap { padding-top: 2rem; padding-bottom: 3rem; }
.page-title { font: 700 2rem/1.25 var(--serif); margin: 0 0 1.5rem; }
.page-title .kind { display: block; font: 600 .8rem/1.4 var(--font); letter-spacing: .08em; text-transform: uppercase;
                    color: var(--muted); }

/* lists of posts */
.entries { list-style: none; margin: 0; padding: 0; }
.entry { display: grid; grid-template-columns: 1fr; gap: .5rem 1.5rem; align-content: start; padding: 1.5rem 0;
         border-bottom: 1px solid var(--line); }
.entry:first-child { padding-top: 0; }
.entry.has-thumb { grid-template-columns: 1fr 10rem; }
.entry-thumb { grid-column: 2; grid-row: 1 / span 3; }
.entry-thumb img { width: 10rem; height: 7rem; object-fit: cover; border-radius: 4px; display: block; }
.entry-title { font: 700 1.4rem/1.3 var(--serif); margin: 0; }
.entry-title a { color: var(--text); text-decoration: none; }
.entry-title a:hover { color: var(--accent); text-decoration: underline; }
.entry-summary { margin: 0; }
.entry-summary p { margin: 0; }
.more { font-size: .95rem; }
@media (max-width: 40rem) {
  .entry.has-thumb { grid-template-columns: 1fr; }
  .entry-thumb { grid-column: 1; grid-row: auto; }
  .entry-thumb img { width: 100%; height: 12rem; }
}
.meta { color: var(--muted); font-size: .9rem; margin: 0; }
.meta > * + *::before { content: "\\00b7"; margin: 0 .5em; color: var(--line); }
.meta a { color: var(--muted); }
.meta a:hover { color: var(--accent); }
.pager { display: flex; justify-content: space-between; align-items: center; gap: 1rem; margin-top: 2rem;
         font-size: .95rem; }
.pager .current { color: var(--muted); }
.pager a[rel=next] { margin-left: auto; }

/* one post or page */
.post { margin: 0; }
main > .meta { margin-bottom: .5rem; }
.post > .page-title { margin-bottom: 1.75rem; }
.featured { margin: 0 0 2rem; }
.featured img { width: 100%; max-height: 22rem; object-fit: cover; border-radius: 4px; }
.content { overflow-wrap: break-word; }
.content h2, .content h3, .content h4, .content h5, .content h6 { font-family: var(--serif); line-height: 1.3;
  margin: 2.2rem 0 .75rem; }
.content h1 { font: 700 1.75rem/1.3 var(--serif); margin: 2.2rem 0 .75rem; }
.content h2 { font-size: 1.5rem; } .content h3 { font-size: 1.25rem; } .content h4 { font-size: 1.1rem; }
.content h5, .content h6 { font-size: 1rem; }
.content p, .content ul, .content ol, .content dl, .content table, .content pre, .content blockquote,
.content figure { margin: 0 0 1.25rem; }
.content li > ul, .content li > ol { margin: .25rem 0; }
.content img, .content video, .content iframe { max-width: 100%; height: auto; }
.content img { border-radius: 3px; }
.content figure { margin-left: 0; margin-right: 0; }
.content figcaption { color: var(--muted); font-size: .9rem; }
.content blockquote { margin-left: 0; padding: .25rem 0 .25rem 1.25rem; border-left: 3px solid var(--accent);
                      color: var(--muted); font-style: italic; }
.content blockquote > :last-child, .content li > :last-child { margin-bottom: 0; }
.content hr { border: 0; border-top: 1px solid var(--line); margin: 2.5rem 0; }
.content code { font: .9em var(--mono); background: var(--code-bg); padding: .1em .3em; border-radius: 3px; }
.content pre { background: var(--code-bg); padding: 1rem; overflow-x: auto; border-radius: 4px; line-height: 1.5; }
.content pre code { background: none; padding: 0; font-size: .875rem; }
.content table { border-collapse: collapse; width: 100%; display: block; overflow-x: auto; font-size: .95rem; }
.content th, .content td { border: 1px solid var(--line); padding: .4rem .7rem; text-align: left; vertical-align: top; }
.content th { background: var(--panel); }
.content dt { font-weight: 600; }
.content dd { margin: 0 0 .5rem 1.5rem; }
.content kbd { font: .85em var(--mono); border: 1px solid var(--line); border-radius: 3px; padding: 0 .3em; }
.content mark { background: #fff3a8; color: #1f2328; }
$gallery
.alignleft { float: left; margin: .3rem 1.5rem 1rem 0; }
.alignright { float: right; margin: .3rem 0 1rem 1.5rem; }
.aligncenter { display: block; margin-left: auto; margin-right: auto; }
.content::after { content: ""; display: table; clear: both; }

.terms { margin: 2rem 0 0; padding-top: 1rem; border-top: 1px solid var(--line); font-size: .95rem; color: var(--muted); }
.terms a { display: inline-block; margin: 0 .35rem .35rem 0; padding: .1rem .6rem; border: 1px solid var(--line);
           border-radius: 999px; text-decoration: none; }
.post-nav { display: flex; justify-content: space-between; gap: 1rem; margin-top: 2rem; font-size: .95rem; }
.post-nav a[rel=next] { margin-left: auto; text-align: right; }
.children { margin-top: 2rem; }

/* taxonomy pages */
.term-list { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem; }
.term-list a { display: inline-block; padding: .2rem .75rem; border: 1px solid var(--line); border-radius: 999px;
               text-decoration: none; }
.term-list .count { color: var(--muted); font-size: .85em; margin-left: .25rem; }
.term-section { margin-top: 2rem; }
.term-section h2 { font: 700 1.25rem/1.3 var(--serif); }
.archive-list { list-style: none; padding: 0; }
.archive-list li { display: flex; gap: 1rem; padding: .3rem 0; border-bottom: 1px dotted var(--line); }
.archive-list time { color: var(--muted); font-size: .9rem; min-width: 8.5rem; font-variant-numeric: tabular-nums; }

/* comments */
.comments { margin-top: 3rem; border-top: 1px solid var(--line); padding-top: 1rem; }
.comments ol { list-style: none; padding-left: 0; }
.comments ol ol { padding-left: 1.5rem; border-left: 2px solid var(--line); }
.comments li { margin: 1rem 0; }
.comment-author { font-weight: 600; margin: 0; }
.comment-author time { font-weight: 400; color: var(--muted); font-size: .85rem; margin-left: .5rem; }

.site-footer { border-top: 1px solid var(--line); color: var(--muted); font-size: .9rem; padding: 1.5rem 0 2.5rem; }
.site-footer a { color: var(--muted); }
.site-footer .wrap { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; }
"""


#: A paragraph holding only an image (linked or not), and one holding only emphasis: the caption
#: the renderer writes below a captioned image (``--figure-style markdown``).
_IMAGE = ":is(p:has(> img:only-child), p:has(> a:only-child > img:only-child))"
_CAPTION = "p:has(> em:only-child)"
_NEXT_IMAGE = "+ p > img:only-child, + p > a:only-child > img:only-child"
_NEXT_CAPTION = "+ p > em:only-child"
_AFTER_CAPTION = "+ p + p > img:only-child, + p + p > a:only-child > img:only-child"
#: an image of a gallery: one of a run of such paragraphs, each maybe followed by its caption
_ITEM = (
    f":is({_IMAGE}:has({_NEXT_IMAGE}), {_IMAGE}:has({_NEXT_CAPTION}):has({_AFTER_CAPTION}), "
    f"{_IMAGE} + {_IMAGE}, {_IMAGE} + {_CAPTION} + {_IMAGE})"
)

#: Three a row (floats: no wrapper needed; 31.3% + 2% each), cropped to 4:3; a caption (up to
#: three lines shown) is pulled under its image (its margin box takes no width) into the room
#: every item leaves below it (the same for all, so no float catches on a taller one); the first
#: element after the run starts below the grid.
GALLERY = f"""/* a gallery (a run of image-only paragraphs, captions under their image) as a grid */
.content {_ITEM} {{ float: left; width: 31.3%; margin: 0 2% 0 0; padding-bottom: 4.3rem; }}
.content {_ITEM} img {{ display: block; width: 100%; aspect-ratio: 4 / 3; object-fit: cover; }}
.content {_ITEM} + {_CAPTION} {{ float: left; width: 31.3%; margin: calc(23.5% + .4rem) 2% 0 -33.3%;
  font-size: .8rem; line-height: 1.35; max-height: 4.05em; overflow: hidden; color: var(--muted); }}
.content :is({_ITEM}, {_ITEM} + {_CAPTION}) + :not({_IMAGE}, {_CAPTION}) {{ clear: both; }}
"""

SITE_CSS = Template(_SITE_CSS).substitute(gallery=GALLERY)
