"""Site-generator targets: one declarative profile per generator, applied through a few hooks."""

from .apply import adapt, make_references, mark_template_syntax, resolve_options, serialize
from .profiles import PROFILES, TARGETS, Profile, get_profile
from .scaffold import post_facts, scaffold_files, write_scaffold

__all__ = [
    "PROFILES",
    "TARGETS",
    "Profile",
    "adapt",
    "get_profile",
    "make_references",
    "mark_template_syntax",
    "resolve_options",
    "scaffold_files",
    "serialize",
    "write_scaffold",
    "finish",
]


def finish(index, options, out, data, owner=None) -> int:
    """After all documents: the data files and, with ``--scaffold``, the configuration; returns
    how many files were written."""
    written = data.write(out, owner)
    if options.scaffold:
        written += len(write_scaffold(index.site, options, out, owner, post_facts(index.entries)))
    return written
