"""The built-in shortcode handlers, as a registry to start from."""

from __future__ import annotations

import functools

from ...options import Options
from .code import CODE_GENERIC, CODE_LANGUAGES, code_handler, language_handler
from .embeds import embed_handler
from .media import audio_handler, caption_handler, gallery_handler, playlist_handler, video_handler
from .registry import ShortcodeRegistry


def default_registry() -> ShortcodeRegistry:
    """A new registry holding every built-in handler (68 shortcodes): WordPress core's media
    shortcodes, ``[embed]`` and the code shortcodes.  Yours to change: add, replace or
    unregister handlers, then pass it in ``Options.shortcode_registry``."""
    registry = ShortcodeRegistry()
    registry.register("caption", caption_handler)
    registry.register("wp_caption", caption_handler)
    registry.register("gallery", gallery_handler)
    registry.register("embed", embed_handler)
    registry.register("audio", audio_handler)
    registry.register("video", video_handler)
    registry.register("playlist", playlist_handler)
    for name in CODE_GENERIC:
        registry.register(name, code_handler, code=True)
    for name, language in CODE_LANGUAGES.items():
        if name not in registry:
            registry.register(name, language_handler(language), code=True)
    return registry


def registry_for(options: Options) -> ShortcodeRegistry:
    """The registry a run uses: ``options.shortcode_registry``, else the built-in one (built
    once per process: it is only read, and building it cost more than a short document's
    shortcodes)."""
    return options.shortcode_registry if options.shortcode_registry is not None else _built_in()


@functools.cache
def _built_in() -> ShortcodeRegistry:
    return default_registry()
