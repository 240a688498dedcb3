"""WordPress shortcodes: WordPress's own grammar, a registry of handlers, the built-in handlers.

========================  ====================================================================
``registry``              :class:`ShortcodeRegistry`: name -> handler (and which are code)
``grammar``               ``get_shortcode_regex()``, ``shortcode_parse_atts()``,
                          ``shortcode_unautop()``
``engine``                ``do_shortcode()``: expansion, the registry and depth in use
``placeholders``          code shortcodes kept out of the other filters' way
``unknown``               which shortcodes a text uses, known and unknown (convert, validate,
                          inspect all ask this)
``markup``                the HTML pieces handlers write
``media``                 ``[caption]``, ``[gallery]``, ``[audio]``, ``[video]``, ``[playlist]``
``embeds``                ``[embed]``, auto-embeds, oEmbed providers
``code``                  ``[code]``, ``[sourcecode]``, ``[php]``, ... (61 code shortcodes)
``defaults``              :func:`default_registry`: the built-in handlers
========================  ====================================================================

The registry travels with the run, in ``Options.shortcode_registry`` (``None``: the built-in
handlers).  To add or replace a shortcode::

    registry = default_registry()
    registry.register("note", lambda attrs, content, ctx: f"<aside>{content or ''}</aside>")
    migrator.convert(["export.xml"], "out", shortcode_registry=registry)
"""

from __future__ import annotations

from collections.abc import Iterable

from ..context import Context
from .code import CODE_GENERIC, CODE_LANGUAGES, render_code
from .defaults import default_registry, registry_for
from .embeds import EMBED_PROVIDERS, autoembed, embed_provider, embed_wrapped_urls, render_embed
from .engine import active_registry, expand
from .grammar import parse_atts, shortcode_regex, shortcode_unautop
from .placeholders import protect_code_shortcodes, restore_code_shortcodes
from .registry import Attrs, Handler, ShortcodeRegistry
from .unknown import report_unknown_shortcodes, shortcodes_used, unknown_shortcodes

__all__ = [
    "CODE_GENERIC",
    "CODE_LANGUAGES",
    "EMBED_PROVIDERS",
    "Attrs",
    "Handler",
    "ShortcodeRegistry",
    "autoembed",
    "embed_wrapped_urls",
    "default_registry",
    "do_shortcodes",
    "embed_provider",
    "parse_atts",
    "protect_code_shortcodes",
    "registry_for",
    "render_code",
    "render_embed",
    "report_unknown_shortcodes",
    "restore_code_shortcodes",
    "shortcode_regex",
    "shortcode_unautop",
    "shortcodes_used",
    "unknown_shortcodes",
]


def do_shortcodes(
    text: str,
    ctx: Context,
    registry: ShortcodeRegistry | None = None,
    *,
    only: Iterable[str] | None = None,
) -> str:
    """Expand every registered shortcode in ``text`` (``do_shortcode()``).

    The registry is ``registry``, else the one of the expansion running now (a handler
    expanding its content), else the run's (``ctx.options.shortcode_registry``), else the
    built-in handlers.  On the outermost call, unregistered names that look like shortcodes are
    reported once per name (``unknown-shortcode``, info).  ``only`` restricts expansion to some
    names (no report).
    """
    if registry is None:
        registry = active_registry() or registry_for(ctx.options)
    return expand(text, ctx, registry, only=only)
