"""What a transform may look at besides the document itself."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..codes import severity as severity_of
from ..model import Attachment, Document, Problem, Severity, Site
from ..options import Options

__all__ = ["Attachment", "Context"]  # Attachment lives in model; named here for older imports


@dataclass
class Context:
    """Per-document context handed to every transform.

    The shortcode registry and the block handler table travel in ``options``
    (``Options.shortcode_registry`` / ``Options.block_handlers``; ``None`` means the defaults).
    """

    doc: Document
    options: Options = field(default_factory=Options)
    site: Site = field(default_factory=Site)
    attachments: Mapping[str, Attachment] = field(default_factory=dict)  # by attachment id
    reusable_blocks: Mapping[str, str] = field(default_factory=dict)  # wp_block id -> content
    problems: list[Problem] = field(default_factory=list)

    def report(self, code: str, message: str, severity: Severity | None = None) -> None:
        """Record a problem about the current document (severity: the code's, from
        :mod:`migrator.codes`, unless given)."""
        self.problems.append(
            Problem(
                severity or severity_of(code), code, message, id=self.doc.id, source=self.doc.source, line=self.doc.line
            )
        )

    def attachments_of(self, parent_id: str) -> list[Attachment]:
        """Attachments whose parent is ``parent_id``, in WordPress gallery order."""
        children = getattr(self.attachments, "children", None)  # the run's index: one query
        found = children(parent_id) if children else [a for a in self.attachments.values() if a.parent == parent_id]
        return sorted(found, key=lambda a: (a.menu_order, int(a.id) if a.id.isdigit() else 0, a.id))
