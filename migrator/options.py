"""Options of a conversion run, shared by the Python API and the CLI.

The ``Literal`` types below are the choices the CLI offers (``typing.get_args``); target names
come from the profiles (``migrator.targets.TARGETS``), input formats from the readers
(``migrator.sources.FORMATS``).
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

FigureStyle = Literal["markdown", "html", "hugo"]
ShortcodeMode = Literal["convert", "keep"]
EmbedStyle = Literal["link", "html"]
LinkStyle = Literal["relative", "absolute"]
MediaMode = Literal["link", "download", "bundle"]
RedirectFormat = Literal["netlify", "nginx", "apache", "caddy", "csv"]
RedirectKey = Literal["aliases", "redirect_from", ""]  # "" (the CLI's "none"): no old paths
FrontMatterFormat = Literal["yaml", "toml"]  # what a user may choose; the pelican target writes its own
CommentsMode = Literal["none", "data", "inline"]  # not written, JSON data files, appended to the body


@dataclass
class Options:
    layout: str = "{type}s/{slug}.md"
    include_drafts: bool = False
    include_private: bool = False
    include_private_data: bool = False  # commenter/author e-mails, IPs, post passwords
    force: bool = False  # write into a non-empty directory that is not ours (never touching foreign files)
    figure_style: FigureStyle = "markdown"
    shortcodes: ShortcodeMode = "convert"
    texturize: bool = True  # WordPress's typography (wptexturize): curly quotes, dashes, ellipses, as it shows them
    embed_style: EmbedStyle = "link"  # embeds/audio/video as links, or as <iframe>/<audio>/<video>
    source_format: str | None = None  # force a reader: one of migrator.sources.FORMATS
    # the handlers convert uses (docs/architecture.md, "Extension points"); None: the built-in ones.
    # Typed Any: options import nothing of the stages (the types are in migrator.transforms)
    shortcode_registry: Any = None  # a transforms.shortcodes.ShortcodeRegistry
    block_handlers: Any = None  # a transforms.blocks.BlockHandlers
    quiet: bool = False
    # references: internal links, media, redirects
    old_urls: list[str] = field(default_factory=list)  # earlier domains of the site
    link_style: LinkStyle = "relative"
    base_url: str = "/"  # site-absolute prefix of the new site (absolute links, redirects)
    # "" (the default): download with a site-generator target (the new site must not depend on the
    # old host), link for plain Markdown; resolved by pipeline.effective_options
    media: MediaMode | Literal[""] = ""
    media_from: str | None = None  # local copy of wp-content/uploads instead of HTTP
    media_jobs: int = 8
    max_media_size: int = 50 * 2**20
    media_hosts: list[str] = field(default_factory=list)  # extra hosts media may come from
    allow_private_hosts: bool = False
    redirect_key: RedirectKey = "aliases"  # front matter key of old paths ("redirect_from" for Jekyll)
    redirects: list[RedirectFormat] = field(default_factory=list)
    # site-generator targets (migrator/targets): profile, front matter format, extra files
    target: str = "plain"  # one of migrator.targets.TARGETS: plain, hugo, jekyll, astro, eleventy, mkdocs, pelican
    front_matter_format: FrontMatterFormat | Literal["", "pelican"] = ""  # "" = the target's own; toml: Hugo
    layouts: dict[str, str] = field(default_factory=dict)  # per type[:draft] layout, before `layout`
    scaffold: bool = False  # also write the generator's minimal configuration
    comments: CommentsMode = "none"
    taxonomy_keys: dict[str, str] = field(default_factory=dict)  # custom taxonomy -> front matter key
    # HTTP: live sites (URL inputs) and, for the timeout and the retries, media downloads too
    rate: float = 1.0  # requests per second per host
    http_cache: str | None = None  # on-disk HTTP cache directory (re-runs fetch nothing again)
    http_timeout: float = 30.0  # seconds a request may wait for the server to say anything
    http_max_time: float = 300.0  # seconds one URL may take in all (every attempt, wait and byte)
    http_retries: int = 3  # more attempts after a failed request (media downloads and live sites)
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)  # pass-2 worker processes
    extra: dict = field(default_factory=dict)  # room for options of later stages


class OptionsError(ValueError):
    """Options that do not fit: an unknown option name, a value that is not one of the choices,
    a target or layout that does not exist.  Raised before anything is read or written."""


#: The Options fields (the API's keyword options; each is the CLI flag of the same name, with
#: dashes: ``http_cache`` is ``--http-cache``; a list takes its flag once per value: ``old_urls``
#: is ``--old-url`` repeated).
FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Options))


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``choices``, or nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def make_options(options: Options | None = None, **kwargs: Any) -> Options:
    """``options`` (or the defaults) with ``kwargs`` (Options fields) on top: a keyword wins over
    the same field of ``options``, which itself is never changed.  Raises :class:`OptionsError`
    for a name that is no option and for a value that is not one of an option's choices."""
    for name in kwargs:
        if name not in FIELDS:
            raise OptionsError(f"unknown option {name!r}{did_you_mean(name, FIELDS)}")
    if options is not None and not isinstance(options, Options):
        raise OptionsError(f"options must be a migrator.Options, not {type(options).__name__}")
    merged = dataclasses.replace(options or Options(), **kwargs)
    check_choices(merged)
    return merged


def _choices(hint: Any) -> tuple | None:
    """The values a ``Literal`` type (or a union of them) allows; None for any other type."""
    if typing.get_origin(hint) is Literal:
        return typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        parts = [_choices(a) for a in typing.get_args(hint)]
        if parts and all(p is not None for p in parts):
            return tuple(v for p in parts for v in p)  # type: ignore[union-attr]
    return None


def check_choices(options: Options) -> None:
    """Every option typed with choices holds one of them (a list option: each of its values)."""
    hints = typing.get_type_hints(Options)
    for name in FIELDS:
        value = getattr(options, name)
        hint = hints[name]
        if typing.get_origin(hint) is list:
            choices, values = _choices(typing.get_args(hint)[0]), value
        else:
            choices, values = _choices(hint), [value]
        if choices is None:
            continue
        for v in values:
            if v not in choices:
                shown = ", ".join(repr(c) for c in choices if c != "")  # "": the default's own choice
                raise OptionsError(f"{name}={v!r} is not one of {shown}{did_you_mean(str(v), map(str, choices))}")
