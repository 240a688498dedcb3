"""Options of a conversion run, shared by the Python API and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FigureStyle = Literal["markdown", "html", "hugo"]
ShortcodeMode = Literal["convert", "keep"]
EmbedStyle = Literal["link", "html"]


@dataclass
class Options:
    layout: str = "{type}s/{slug}.md"
    include_drafts: bool = False
    include_private: bool = False
    include_private_data: bool = False  # commenter/author e-mails, IPs, post passwords
    figure_style: FigureStyle = "markdown"
    shortcodes: ShortcodeMode = "convert"
    embed_style: EmbedStyle = "link"  # embeds/audio/video as links, or as <iframe>/<audio>/<video>
    source_format: str | None = None  # force a reader: "wxr", "html" or "text"
    quiet: bool = False
    extra: dict = field(default_factory=dict)  # room for options of later stages
