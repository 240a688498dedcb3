"""Blocks whose saved HTML is what WordPress shows, layout containers (flattened), and the
blocks that become plain links (buttons, social links)."""

from __future__ import annotations

import html
import re

from .dom import attr, cls, first, fragment, inner_html
from .parser import Block
from .table import BlockRenderer

#: Blocks whose saved HTML is what WordPress shows: rendered by concatenating their content.
STATIC = (
    "core/paragraph",
    "core/heading",
    "core/list",
    "core/list-item",
    "core/quote",
    "core/pullquote",
    "core/table",
    "core/preformatted",
    "core/verse",
    "core/details",
    "core/image",
    "core/audio",
    "core/video",
    "core/separator",
    "core/freeform",
    "core/missing",
    "core/text-columns",
    "core/subhead",
    "core/math",
    "core/social-links",
    "core/footnote",
    "core/html",
)
#: Layout containers: flattened to their inner blocks, in order.
CONTAINERS = ("core/columns", "core/column", "core/group", "core/row", "core/stack")
#: Blocks that show nothing worth keeping.
DROPPED = ("core/spacer",)


def static(block: Block, r: BlockRenderer) -> str:
    """The saved HTML, inner blocks rendered in place."""
    return r.content(block)


def flatten(block: Block, r: BlockRenderer) -> str:
    """Layout containers: inner blocks in order; wrappers dropped unless they carry text."""
    wrapper_text = "".join(re.sub(r"<[^>]*>", "", c) for c in block.inner_content if c)
    if wrapper_text.strip() or not block.inner_blocks:
        return r.content(block)
    return "\n" + r.inner(block) + "\n"


def drop(block: Block, r: BlockRenderer) -> str:
    return ""


def button(block: Block, r: BlockRenderer) -> str:
    """A button becomes a plain link in its own paragraph."""
    root = fragment(r.content(block))
    if root is None:
        return ""
    link = first(root, ".//a")
    if link is None:
        link_like = first(root, f".//*[{cls('wp-block-button__link')}]")
        text = inner_html(link_like if link_like is not None else root).strip()
    else:
        text = inner_html(link).strip()
    if not text:
        return ""
    href = link.get("href", "") if link is not None else ""
    if href:
        return f'<p><a href="{attr(href)}">{text}</a></p>'
    return f"<p>{text}</p>"


#: The names WordPress gives each service (``block_core_social_link_services()``): the link text
#: when the block has no ``label`` of its own.
SERVICE_NAMES = {
    "fivehundredpx": "500px",
    "amazon": "Amazon",
    "bandcamp": "Bandcamp",
    "behance": "Behance",
    "bluesky": "Bluesky",
    "chain": "Link",
    "codepen": "CodePen",
    "deviantart": "DeviantArt",
    "discord": "Discord",
    "dribbble": "Dribbble",
    "dropbox": "Dropbox",
    "etsy": "Etsy",
    "facebook": "Facebook",
    "feed": "RSS Feed",
    "flickr": "Flickr",
    "foursquare": "Foursquare",
    "goodreads": "Goodreads",
    "google": "Google",
    "github": "GitHub",
    "gravatar": "Gravatar",
    "instagram": "Instagram",
    "lastfm": "Last.fm",
    "linkedin": "LinkedIn",
    "mail": "Mail",
    "mastodon": "Mastodon",
    "meetup": "Meetup",
    "medium": "Medium",
    "patreon": "Patreon",
    "pinterest": "Pinterest",
    "pocket": "Pocket",
    "reddit": "Reddit",
    "skype": "Skype",
    "snapchat": "Snapchat",
    "soundcloud": "Soundcloud",
    "spotify": "Spotify",
    "telegram": "Telegram",
    "threads": "Threads",
    "tiktok": "TikTok",
    "tumblr": "Tumblr",
    "twitch": "Twitch",
    "twitter": "Twitter",
    "vimeo": "Vimeo",
    "vk": "VK",
    "wordpress": "WordPress",
    "whatsapp": "WhatsApp",
    "x": "X",
    "yelp": "Yelp",
    "youtube": "YouTube",
    "share": "Share Icon",
}
_EMAIL = re.compile(r"[^@\s/:]+@[^@\s/:]+\.[^@\s/:]+")
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


def social_link(block: Block, r: BlockRenderer) -> str:
    """One social link (``render_block_core_social_link``): a list item holding a link named by
    the block's ``label``, else by the service's name; an e-mail address gets ``mailto:``, a URL
    without a scheme ``https://``, as WordPress writes them."""
    url = block.attrs.get("url")
    if not isinstance(url, str) or not url.strip():
        return ""
    url = url.strip()
    if _EMAIL.fullmatch(url):
        url = "mailto:" + url
    elif not _SCHEME.match(url) and not url.startswith("//"):
        url = "https://" + url
    service = str(block.attrs.get("service") or "")
    label = block.attrs.get("label") or SERVICE_NAMES.get(service) or service.replace("-", " ").title() or url
    return f'<li><a href="{attr(url)}">{html.escape(str(label), quote=False)}</a></li>'
