"""``migrator check``: validate a converted output tree (front matter, relative links, manifest)."""

from __future__ import annotations

import functools
import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

import yaml

try:
    import tomllib
except ImportError:  # Python 3.10: no TOML reader in the standard library
    tomllib = None  # type: ignore[assignment]

from .urls import urlsplit  # never raise on malformed URLs
from .model import Problem
from .output.manifest import MANIFEST
from .reports import Check, Findings
from .targets.profiles import PLAIN, Profile, get_profile

CHECKS: list[Check] = [
    Check("input", ("input-unreadable",), "the output directory exists"),
    Check(
        "front-matter",
        ("front-matter-invalid", "front-matter-missing-key", "front-matter-untitled"),
        "front matter parses and is complete",
    ),
    Check("links", ("broken-link", "broken-image"), "relative links and images resolve"),
    Check(
        "manifest",
        ("manifest-invalid", "manifest-missing-file", "not-in-manifest", "stray-file"),
        "manifest and files agree",
    ),
]
REQUIRED_KEYS: tuple[str, ...] = ("title", "slug")
_IGNORED = {MANIFEST, ".migrator", ".gitkeep"}


def check_output(out: str | Path) -> Findings:
    """Check every Markdown file under ``out`` and the manifest; never raises for bad content."""
    root = Path(out)
    findings = Findings("check", inputs=[str(root)], checks=list(CHECKS))
    if not root.is_dir():
        findings.unreadable.append(str(root))
        findings.problems.append(Problem("error", "input-unreadable", "not a directory", source=str(root)))
        return findings
    files = sorted(p for p in root.rglob("*") if p.is_file() and not _hidden(p.relative_to(root)))
    rel_files = {p.relative_to(root).as_posix() for p in files}
    manifest = _manifest(root, findings.problems)
    entries = {d.get("path"): d for d in manifest["documents"] if isinstance(d, dict)} if manifest else {}
    profile = _profile(manifest["target"] if manifest else "plain")
    for path in files:
        rel = path.relative_to(root).as_posix()
        if path.suffix == ".md":
            text = path.read_text(encoding="utf-8", errors="replace")
            # a Markdown file the run wrote that is no document (a scaffold page) needs no front matter
            extra = manifest is not None and rel not in entries and rel in manifest["owned"]
            findings.problems.extend(
                check_markdown(
                    rel, text, rel_files, str(path), entries.get(rel), profile=profile, front_matter=not extra
                )
            )
    if manifest is not None:
        findings.problems.extend(check_manifest(manifest["paths"], rel_files, root, set(manifest["owned"])))
    return findings


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def split(text: str) -> tuple[str | None, str, int]:
    """(front matter or None, body, line where the body starts)."""
    if not text.startswith("---\n"):
        return None, text, 1
    end = text.find("\n---\n", 3)
    if end < 0:
        return "", text, 1
    yaml_text = text[4 : end + 1]
    return yaml_text, text[end + 5 :], yaml_text.count("\n") + 3


def check_markdown(
    rel: str,
    text: str,
    files: set[str],
    source: str,
    entry: dict | None = None,
    profile: Profile | None = None,
    front_matter: bool = True,
) -> list[Problem]:
    """Front matter and relative links of one Markdown file (``rel`` is relative to the tree).

    ``entry`` is the file's manifest record: a document the manifest records as undated needs no
    ``date``, one whose source had no title only draws a warning for a missing ``title``.
    ``profile`` is the site-generator target the tree was written for (front matter format and
    key names, Pelican's ``{filename}`` links); plain by default.
    """
    profile = profile or PLAIN
    out: list[Problem] = []
    data, body, body_line, error = parse_front_matter(text, profile.front_matter)
    if not front_matter:
        pass
    elif error:
        out.append(Problem("error", "front-matter-invalid", error[0], source=source, line=error[1]))
    else:
        out.extend(_required_keys(data, entry, source, profile))
    for kind, target, line in link_targets(body):
        resolved = resolve(rel, target, profile)
        if resolved is None:
            continue
        if resolved not in files:
            code = "broken-image" if kind == "image" else "broken-link"
            out.append(
                Problem(
                    "error",
                    code,
                    f"{kind} target {target!r} does not exist ({resolved})",
                    source=source,
                    line=body_line + line,
                )
            )
    return out


def parse_front_matter(text: str, fmt: str = "yaml") -> tuple[dict, str, int, tuple[str, int] | None]:
    """(data, body, line where the body starts, (error, line) or None) for YAML (``---``), TOML
    (``+++``, Hugo) or Pelican's ``Key: value`` metadata block."""
    if fmt == "pelican":
        head, sep, body = text.partition("\n\n")
        data: dict = {}
        for line in head.splitlines():
            key, colon, value = line.partition(":")
            if not colon or not key.strip() or " " in key.strip():
                return {}, text, 1, ("Pelican metadata lines must read 'Key: value'", 1)
            data[key.strip().lower()] = value.strip()
        return data, body, head.count("\n") + 3, None
    if text.startswith("+++\n"):
        end = text.find("\n+++\n", 3)
        if end < 0:
            return {}, text, 1, ("TOML front matter is not closed by +++", 1)
        if tomllib is None:  # Python 3.10: no TOML reader in the standard library
            return {"title": "?", "date": "?", "slug": "?"}, text[end + 5 :], text[:end].count("\n") + 3, None
        try:
            return tomllib.loads(text[4 : end + 1]), text[end + 5 :], text[:end].count("\n") + 3, None
        except tomllib.TOMLDecodeError as exc:
            return {}, text, 1, (f"front matter is not valid TOML: {_one_line(exc)}", 1)
    fm_text, body, body_line = split(text)
    if fm_text is None:
        return {}, text, 1, ("no front matter (file does not start with ---)", 1)
    try:
        data = yaml.safe_load(fm_text) if fm_text else None
        if not isinstance(data, dict):
            raise yaml.YAMLError("front matter is not a mapping")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return {}, text, 1, (f"front matter is not valid YAML: {_one_line(exc)}", (mark.line + 2) if mark else 1)
    return data, body, body_line, None


def _required_keys(data: dict, entry: dict | None, source: str, profile: Profile | None = None) -> list[Problem]:
    """``title``, ``slug`` and (unless undated) ``date``, under the names the target uses; a key
    the target does not write (Hugo's slug: the file name) is not required."""
    renames = (profile or PLAIN).renames
    out: list[Problem] = []
    undated = bool(data.get("undated")) or (entry is not None and not entry.get("date"))
    for key in REQUIRED_KEYS + (() if undated else ("date",)):
        name = renames.get(key, key)
        if not name or data.get(name) not in (None, ""):
            continue
        if key == "title" and entry is not None and not entry.get("title"):
            out.append(
                Problem(
                    "warning",
                    "front-matter-untitled",
                    "no 'title': the source item has none either",
                    source=source,
                    line=1,
                )
            )
        else:
            out.append(
                Problem("error", "front-matter-missing-key", f"front matter has no {name!r}", source=source, line=1)
            )
    return out


def _profile(name: str) -> Profile:
    try:
        return get_profile(name)
    except ValueError:
        return PLAIN


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


@functools.cache
def _parser():  # (markdown-it is imported on first use: the other commands start faster)
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def link_targets(markdown: str) -> list[tuple[str, str, int]]:
    """(link|image, target, 0-based line in ``markdown``) for every link and image token."""
    found: list[tuple[str, str, int]] = []
    for token in _parser().parse(markdown):
        if token.type != "inline" or not token.children:
            continue
        line = token.map[0] if token.map else 0
        for child in token.children:
            if child.type == "link_open":
                found.append(("link", str(child.attrGet("href") or ""), line))
            elif child.type == "image":
                found.append(("image", str(child.attrGet("src") or ""), line))
    return found


def resolve(rel: str, target: str, profile: Profile | None = None) -> str | None:
    """The tree-relative path a relative link points at, or None when it is not checkable.
    Pelican's ``{filename}``/``{static}`` links are relative to its content root."""
    if profile is not None and profile.link_mode == "pelican":
        m = re.match(r"^\{(?:filename|static)\}/?(.*)$", unquote(target))  # markdown-it encodes { }
        if m:
            return posixpath.normpath(profile.content_root + unquote(urlsplit(m.group(1)).path))
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path or target.startswith("/"):
        return None  # absolute URL, site-absolute path, or fragment-only
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(parts.path)))
    if joined.startswith(".."):
        return joined  # outside the tree: reported as missing
    if target.endswith("/"):
        return joined + "/index.md"
    return joined


def _manifest(root: Path, problems: list[Problem]) -> dict | None:
    """``{"documents": [...], "paths": [...]}`` from manifest.json, or None (problem reported)."""
    path = root / MANIFEST
    if not path.exists():
        problems.append(Problem("warning", "manifest-invalid", "no manifest.json in the output", source=str(path)))
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        docs = data["documents"]
        paths = [d["path"] for d in docs] + [m["path"] for m in data.get("media", []) if m.get("path")]
        paths += [m["path"] for m in data.get("media_files", []) if m.get("path")]
        owned = [str(f) for f in data.get("files", [])]  # every file the run wrote (data, scaffold, redirects)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        problems.append(
            Problem("error", "manifest-invalid", f"manifest.json cannot be read: {_one_line(exc)}", source=str(path))
        )
        return None
    return {"documents": docs, "paths": paths, "owned": owned, "target": str(data.get("target") or "plain")}


def check_manifest(paths: list[str], files: set[str], root: Path, owned: set[str] = frozenset()) -> list[Problem]:
    """Every manifest path exists; every file is in the manifest (a document, media, or one of
    the other files the run wrote, listed under ``files``) or is a stray."""
    out: list[Problem] = []
    listed = set(paths)
    source = str(root / MANIFEST)
    for p in sorted(listed):
        if p not in files:
            out.append(
                Problem("error", "manifest-missing-file", f"{p} is in the manifest but not on disk", source=source)
            )
    for f in sorted(files - listed - owned - _IGNORED):
        if f.endswith(".md"):
            out.append(Problem("error", "not-in-manifest", f"{f} is not in the manifest", source=str(root / f)))
        else:
            out.append(
                Problem(
                    "warning",
                    "stray-file",
                    f"{f} is neither a document nor media of the manifest",
                    source=str(root / f),
                )
            )
    return out
