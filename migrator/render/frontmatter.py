"""YAML front matter: a fixed key order, safe dump, text that round-trips exactly."""

from __future__ import annotations

import re
from datetime import date, datetime

import yaml

from ..model import Document

KEY_ORDER = (
    "title",
    "date",
    "updated",
    "slug",
    "author",
    "categories",
    "tags",
    "taxonomies",
    "excerpt",
    "excerpt_only",
    "draft",
    "featured_image",
    "images",
    "wordpress_id",
    "type",
    "source_url",
    "aliases",
    "redirect_from",
)


def iso(value: datetime | date | None) -> str | None:
    """ISO 8601 with the UTC offset when known (``2015-03-01T10:00:00+01:00``); a day-only date
    as the day alone (``2015-03-01``)."""
    return value.isoformat() if value else None


def front_matter(
    doc: Document,
    *,
    slug: str | None = None,
    excerpt: str = "",
    featured_image: str | None = None,
    aliases: list[str] | None = None,
    redirect_key: str = "aliases",
) -> dict:
    """The front matter of one document, keys in KEY_ORDER, empty values left out.

    ``aliases``: the document's old site paths, written under ``redirect_key`` (``aliases``
    for Hugo, ``redirect_from`` for jekyll-redirect-from).
    """
    custom: dict[str, list[str]] = {}
    for term in doc.terms:
        if term.taxonomy not in ("category", "post_tag", "post_format", "nav_menu"):
            custom.setdefault(term.taxonomy, []).append(term.name)
    values = {
        "title": doc.title,
        "date": iso(doc.date),
        "updated": iso(doc.modified) if doc.modified and doc.modified != doc.date else None,
        "slug": slug or doc.slug,
        "author": doc.author or None,
        "categories": doc.categories or None,
        "tags": doc.tags or None,
        "taxonomies": custom or None,
        "excerpt": excerpt or None,
        "excerpt_only": True if doc.extra.get("partial") else None,  # a scraped listing showed only part
        "draft": True if doc.status != "publish" else None,
        "featured_image": featured_image,
        "images": doc.extra.get("images") or None,
        "wordpress_id": doc.id if doc.content_kind == "stored" or doc.extra.get("wordpress_id") else None,
        "type": doc.type if doc.type not in ("post", "page") else None,
        "source_url": doc.link or None,
    }
    if redirect_key in ("aliases", "redirect_from"):
        values[redirect_key] = list(aliases) if aliases else None
    return {key: values[key] for key in KEY_ORDER if values.get(key) is not None}


class _Dumper(yaml.SafeDumper):
    pass


_NEEDS_QUOTES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    """Plain or quoted as PyYAML decides; double-quoted with escapes for YAML line breaks and
    control characters (which would otherwise not read back the same)."""
    if _NEEDS_QUOTES.search(value) or "\r" in value:
        style = '"'
    elif "\n" in value:
        style = "|"
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)

# libyaml's emitter writes the same bytes as PyYAML's for text of printable characters of the
# Basic Multilingual Plane without line breaks or tabs, and is ten times faster; other text (emoji,
# control characters, line breaks) goes through PyYAML's emitter, as before.
_FastDumper: type | None = None
if getattr(yaml, "__with_libyaml__", False):

    class _CDumper(yaml.CSafeDumper):
        pass

    _CDumper.add_representer(str, _str)  # type: ignore[arg-type]
    _FastDumper = _CDumper
_C_SAFE = re.compile("[\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")


def _c_safe(value: object) -> bool:
    if isinstance(value, str):
        return _C_SAFE.fullmatch(value) is not None
    if isinstance(value, dict):
        return all(_c_safe(k) and _c_safe(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_c_safe(v) for v in value)
    return value is None or isinstance(value, (bool, int))


# The fixed fields of front matter written directly (no representer, serializer or emitter): a
# key is a plain word; a value is a bool, an int, or text (or a list of text) of printable
# characters on one line, which PyYAML writes plain when it would read back as the same text and
# its emitter's analysis allows a plain scalar in block context, else in single quotes.  Anything
# else (nested mappings, empty lists, line breaks, control characters, lone surrogates, very long
# text) goes to PyYAML as before.  The output is PyYAML's,
# byte for byte (tests/render/test_perf_yaml.py compares them on generated values).
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ONE_LINE = re.compile("[\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010fffe]+")
#: What stops PyYAML's emitter from writing one line of text plain in block context (its
#: ``analyze_scalar``): an indicator first, ``-``/``?``/``:`` then a space, a document marker, a
#: space at either end, ``:`` before a space or at the end, ``#`` after a space.
_NOT_PLAIN = re.compile(r"""^[#,\[\]{}&*!|>'"%@`]|^[-?:](?: |$)|^ | $|^(?:---|\.\.\.)|:(?: |$)| #""")
# The patterns that would read a plain scalar as something other than text, by its first character.
_RESOLVERS = yaml.SafeDumper.yaml_implicit_resolvers


def _one_of(patterns: tuple[re.Pattern, ...]) -> re.Pattern:
    """One pattern matching where any of ``patterns`` matches (each keeps its own flags)."""
    if not patterns:
        return re.compile(r"(?!)")
    return re.compile("|".join(f"(?{'x' if p.flags & re.X else ''}:{p.pattern})" for p in patterns))


_ANY_START = tuple(pattern for _tag, pattern in _RESOLVERS.get(None, ()))
_IMPLICIT = {
    ch: _one_of(tuple(pattern for _tag, pattern in found) + _ANY_START) for ch, found in _RESOLVERS.items() if ch
}
_IMPLICIT_ANY = _one_of(_ANY_START)
_LONG = 10_000


def _scalar(value: str) -> str | None:
    """``value`` as PyYAML writes it in block context, or None when not one of the simple cases."""
    if not value:
        return "''"
    if len(value) > _LONG or _ONE_LINE.fullmatch(value) is None:
        return None
    if _NOT_PLAIN.search(value) is None and _IMPLICIT.get(value[0], _IMPLICIT_ANY).match(value) is None:
        return value  # read back as this text: plain
    return "'" + value.replace("'", "''") + "'"


def _direct(data: dict) -> str | None:
    """``data`` written line by line as PyYAML would, or None when it holds anything else."""
    lines: list[str] = []
    for key, value in data.items():
        if not isinstance(key, str) or _KEY.fullmatch(key) is None or _scalar(key) != key:
            return None
        if value is True or value is False:
            lines.append(f"{key}: {'true' if value else 'false'}\n")
        elif isinstance(value, int) and not isinstance(value, bool):
            lines.append(f"{key}: {value}\n")
        elif isinstance(value, str):
            text = _scalar(value)
            if text is None:
                return None
            lines.append(f"{key}: {text}\n")
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            lines.append(f"{key}:\n")
            for item in value:
                text = _scalar(item)
                if text is None:
                    return None
                lines.append(f"- {text}\n")
        else:
            return None
    return "".join(lines)


def dump_yaml(data: dict) -> str:
    """Serialise ``data`` as a YAML front matter block (``---`` lines included)."""
    body = _direct(data) if data else None
    if body is not None:
        return f"---\n{body}---\n"
    return _dump_yaml(data)


def _dump_yaml(data: dict) -> str:
    """PyYAML's (or libyaml's, where it writes the same bytes) front matter block."""
    dumper = _FastDumper if _FastDumper is not None and _c_safe(data) else _Dumper
    body = yaml.dump(
        data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=1_000_000, default_flow_style=False
    )
    return f"---\n{body}---\n"
