"""Embeds: WordPress's auto-embeds (a bare URL alone on its line) and the ``[embed]`` shortcode
(wp-includes/class-wp-embed.php), which WordPress runs before ``wpautop``.

No oEmbed request is made: a URL of a known provider becomes a link inside WordPress's embed
wrapper (an ``<iframe>`` for YouTube and Vimeo with ``embed_style="html"``); a media file URL
becomes the ``[audio]``/``[video]`` output.  Block-editor embeds use :func:`render_embed` too.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import parse_qs

from ...urls import urlsplit  # never raise on malformed URLs
from ..context import Context
from ..wpautop import replace_in_html_tags
from .markup import embed_style, esc, link
from .media import AUDIO_EXTENSIONS, VIDEO_EXTENSIONS, audio_handler, video_handler
from .registry import Attrs

#: oEmbed providers WordPress knows (wp-includes/class-wp-oembed.php), plus a few it dropped.
EMBED_PROVIDERS: list[tuple[str, str, re.Pattern]] = [
    (slug, kind, re.compile(pattern, re.I))
    for slug, kind, pattern in [
        (
            "youtube",
            "video",
            r"^https?://(?:(?:www|m|music)\.)?youtube\.com/(?:watch|playlist|shorts/|live/|embed/|v/)",
        ),
        ("youtube", "video", r"^https?://youtu\.be/"),
        ("vimeo", "video", r"^https?://(?:www\.|player\.)?vimeo\.com/"),
        ("dailymotion", "video", r"^https?://(?:www\.)?(?:dailymotion\.com|dai\.ly)/"),
        ("flickr", "photo", r"^https?://(?:www\.)?(?:flickr\.com|flic\.kr)/"),
        ("smugmug", "photo", r"^https?://(?:[-\w]+\.)?smugmug\.com/"),
        ("scribd", "rich", r"^https?://(?:www\.)?scribd\.com/(?:doc|document)/"),
        ("wordpress-tv", "video", r"^https?://(?:www\.)?wordpress\.tv/"),
        ("animoto", "video", r"^https?://(?:www\.)?(?:animoto|video214)\.com/play/"),
        ("twitter", "rich", r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/\w+"),
        ("instagram", "rich", r"^https?://(?:www\.)?(?:instagram\.com|instagr\.am)/"),
        ("facebook", "rich", r"^https?://(?:www\.)?facebook\.com/"),
        ("soundcloud", "rich", r"^https?://(?:www\.|m\.)?soundcloud\.com/"),
        ("spotify", "rich", r"^https?://(?:open|play)\.spotify\.com/"),
        ("tiktok", "video", r"^https?://(?:www\.)?tiktok\.com/"),
        ("mixcloud", "rich", r"^https?://(?:www\.)?mixcloud\.com/"),
        ("reddit", "rich", r"^https?://(?:www\.)?reddit\.com/r/"),
        ("tumblr", "rich", r"^https?://(?:[-\w]+\.)?tumblr\.com/"),
        ("ted", "video", r"^https?://(?:www\.|embed\.)?ted\.com/talks/"),
        ("slideshare", "rich", r"^https?://(?:www\.)?slideshare\.net/"),
        ("issuu", "rich", r"^https?://(?:www\.)?issuu\.com/"),
        ("kickstarter", "rich", r"^https?://(?:www\.)?kickstarter\.com/projects/"),
        ("imgur", "rich", r"^https?://(?:i\.)?imgur\.com/"),
        ("speaker-deck", "rich", r"^https?://(?:www\.)?speakerdeck\.com/"),
        ("pinterest", "rich", r"^https?://(?:www\.)?pinterest\.[a-z.]+/"),
        ("pocket-casts", "rich", r"^https?://pca\.st/"),
        ("crowdsignal", "rich", r"^https?://(?:[-\w]+\.)?(?:polldaddy|survey\.fm|crowdsignal\.(?:com|net)|poll\.fm)/"),
        ("cloudup", "rich", r"^https?://cloudup\.com/"),
        ("amazon", "rich", r"^https?://(?:www\.)?(?:amazon\.[a-z.]+|amzn\.(?:to|asia|eu|in))/"),
        ("videopress", "video", r"^https?://(?:www\.)?videopress\.com/v/"),
        ("screencast", "video", r"^https?://(?:www\.)?screencast\.com/"),
        ("someecards", "rich", r"^https?://(?:www\.)?someecards\.com/"),
        ("reverbnation", "rich", r"^https?://(?:www\.)?reverbnation\.com/"),
        ("wolfram-cloud", "rich", r"^https?://(?:www\.)?wolframcloud\.com/obj/"),
        ("bluesky", "rich", r"^https?://bsky\.app/profile/"),
    ]
]
_AUDIO_URL_RE = re.compile(r"^https?://.+?\.(?:" + "|".join(AUDIO_EXTENSIONS) + r")$", re.I)
_VIDEO_URL_RE = re.compile(r"^https?://.+?\.(?:" + "|".join(VIDEO_EXTENSIONS) + r")$", re.I)


def embed_provider(url: str) -> tuple[str, str] | None:
    """``(provider slug, oEmbed type)`` for a URL WordPress would embed, else ``None``."""
    for slug, kind, pattern in EMBED_PROVIDERS:
        if pattern.match(url):
            return slug, kind
    return None


def _iframe_src(slug: str, url: str) -> str | None:
    parts = urlsplit(url)
    if slug == "youtube":
        if parts.netloc.endswith("youtu.be"):
            vid = parts.path.strip("/").split("/")[0]
        elif parts.path.startswith(("/shorts/", "/live/", "/embed/", "/v/")):
            vid = parts.path.split("/")[2] if len(parts.path.split("/")) > 2 else ""
        else:
            vid = parse_qs(parts.query).get("v", [""])[0]
        return f"https://www.youtube.com/embed/{vid}" if re.fullmatch(r"[\w-]{6,}", vid) else None
    if slug == "vimeo":
        m = re.search(r"/(\d+)(?:/|$)", parts.path)
        return f"https://player.vimeo.com/video/{m.group(1)}" if m else None
    return None


def render_embed(url: str, ctx: Context, *, wrapper: bool = True) -> str | None:
    """HTML for an embeddable URL (provider or media file), or ``None`` when WordPress would not
    embed it.  ``wrapper=False`` returns only what goes inside an existing embed block wrapper."""
    url = html.unescape(url.strip())
    if _AUDIO_URL_RE.match(url):
        return audio_handler({"src": url}, None, ctx)
    if _VIDEO_URL_RE.match(url):
        return video_handler({"src": url}, None, ctx)
    found = embed_provider(url)
    if found is None:
        return None
    slug, kind = found
    inner = link(url)
    if embed_style(ctx) == "html":
        src = _iframe_src(slug, url)
        if src:
            inner = f'<iframe src="{esc(src)}" title="{esc(slug)}" allowfullscreen></iframe>'
    if not wrapper:
        return inner
    return (
        f'<figure class="wp-block-embed is-type-{kind} is-provider-{slug} wp-block-embed-{slug}">'
        f'<div class="wp-block-embed__wrapper">{inner}</div></figure>'
    )


def embed_handler(attrs: Attrs, content: str | None, ctx: Context) -> str:
    """``[embed]URL[/embed]`` (``WP_Embed::shortcode``): the embed, or a plain link if unknown."""
    url = (content or "").strip() or str(attrs.get("src", "") or attrs.get("url", "") or attrs.get(0, "")).strip()
    url = re.sub(r"<[^>]*>", "", url).strip()  # wpautop may have added <br />
    if not url:
        ctx.report("embed-missing-url", "[embed] without a URL", "warning")
        return ""
    return render_embed(url, ctx) or link(url)


_WRAPPED_URL_RE = re.compile(r'(<div class="wp-block-embed__wrapper">\s*)(https?://[^\s<>"]+)(\s*</div>)', re.I)
_OWN_LINE_URL_RE = re.compile(r"^(\s*)(https?://[^\s<>\"]+)(\s*)$", re.I | re.M)
_OWN_PARA_URL_RE = re.compile(r"(<p(?: [^>]*)?>\s*)(https?://[^\s<>\"]+)(\s*</p>)", re.I)
# A URL where the three patterns above may find one: at the start, or after a space or ``>``
# (WordPress's test before it runs them, ``(^|\s|>)https?://``), up to the characters that end
# them.  Matched only where ``://`` follows ``http``/``https``.
_URL_AFTER_SPACE_RE = re.compile(r"(?<![^\s>])https?://[^\s<>\"]+", re.I)
_NO_EMBED_RE = re.compile(r"<(pre|code|textarea|script|style)(?![\w-])[^>]*>.*?</\1\s*>", re.S | re.I)


def autoembed(text: str, ctx: Context) -> str:
    """``WP_Embed::autoembed()``: a bare URL alone on its line (or paragraph) becomes an embed.

    Only URLs of known providers or media files are embedded (WordPress leaves others as
    text).  Nothing inside ``<pre>``, ``<code>``, ``<textarea>``, ``<script>`` or ``<style>``.
    A URL already inside a block editor embed wrapper gets only the inner embed.
    """
    if "http" not in text or ("<!-- wp-line-break -->" not in text and not _embeddable_url(text)):
        return text  # no URL to embed: every step below would give the text back unchanged
    saved: list[str] = []
    mark = "wp-ae"
    while f"<!--{mark}-" in text:  # a marker the content does not hold already
        mark += "x"

    def hide(m: re.Match) -> str:
        saved.append(m.group(0))
        return f"<!--{mark}-{len(saved) - 1}-->"

    text = _NO_EMBED_RE.sub(hide, text)
    text = replace_in_html_tags(text, "\n", "<!-- wp-line-break -->")

    def callback(m: re.Match) -> str:
        out = render_embed(m.group(2), ctx)
        return m.group(0) if out is None else m.group(1) + out + m.group(3)

    text = _WRAPPED_URL_RE.sub(lambda m: _embed_in_wrapper(m, ctx), text)
    if _embeddable_url(text):
        text = _OWN_LINE_URL_RE.sub(callback, text)
        text = _OWN_PARA_URL_RE.sub(callback, text)
    text = text.replace("<!-- wp-line-break -->", "\n")
    if not saved:  # no marker was written (the text held none: see its choice above)
        return text
    return re.sub(rf"<!--{mark}-(\d+)-->", lambda m: saved[int(m.group(1))], text)


def _embeddable_url(text: str) -> bool:
    """Whether ``text`` holds a URL :func:`autoembed` may embed: one after a space, a ``>`` or at
    the start that :func:`render_embed` knows.  Without one, autoembed changes nothing (but a
    ``<!-- wp-line-break -->`` the text held already becomes a newline, as in WordPress)."""
    at = text.find("://", 4)
    while at != -1:
        start = at - 4 if text[at - 1] in "pP" else at - 5  # http://, https://
        if start == 0 or (start > 0 and (text[start - 1] == ">" or text[start - 1].isspace())):
            m = _URL_AFTER_SPACE_RE.match(text, start)
            if m is not None and _embeds(m.group(0)):
                return True
        at = text.find("://", at + 3)
    return False


@lru_cache(maxsize=1024)
def _embeds(url: str) -> bool:
    """Whether :func:`render_embed` gives HTML for ``url`` (a media file or a provider's URL)."""
    url = html.unescape(url.strip())
    return bool(_AUDIO_URL_RE.match(url) or _VIDEO_URL_RE.match(url) or embed_provider(url))


def _embed_in_wrapper(m: re.Match, ctx: Context) -> str:
    out = render_embed(m.group(2), ctx, wrapper=False)
    return m.group(0) if out is None else m.group(1) + out + m.group(3)


def embed_wrapped_urls(text: str, ctx: Context) -> str:
    """Rendered content: a URL alone in a block editor embed wrapper becomes the embed, as in stored
    content.  WordPress prints that when its oEmbed lookup failed; the HTML reader writes it for
    a provider's player, so a page's embed converts exactly like the export's."""
    if "wp-block-embed__wrapper" not in text:
        return text
    return _WRAPPED_URL_RE.sub(lambda m: _embed_in_wrapper(m, ctx), text)
