"""What every redirect reader produces: requests, hits and rule sets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

Exists = Callable[[str], bool]


@dataclass(frozen=True)
class Request:
    path: str  # decoded site path, starting with "/"
    query: str = ""  # raw query string, without "?"

    def args(self) -> dict[str, str]:
        """Query parameters (the first value of each)."""
        out: dict[str, str] = {}
        for key, value in parse_qsl(self.query, keep_blank_values=True):
            out.setdefault(key, value)
        return out


@dataclass(frozen=True)
class Hit:
    """What a rule did: redirect (3xx) or rewrite (200) to ``target``, or answer ``status``."""

    status: int
    target: str  # URL or site path with query; "" for an error status
    line: int
    rule: str  # the rule's text, for messages

    @property
    def redirects(self) -> bool:
        return self.status in REDIRECT_STATUSES or (self.status == 200 and bool(self.target))


@dataclass
class RuleSet:
    """The rules of one redirect file, in file order."""

    format: str
    path: Path
    rules: list = field(default_factory=list)
    unread: list[tuple[int, str]] = field(default_factory=list)  # lines not understood

    def match(self, request: Request, exists: Exists) -> Hit | None:
        for rule in self.rules:
            hit = rule(request, exists)
            if hit is not None:
                return hit
        return None


def norm(path: str) -> str:
    """A decoded path without its trailing slash (``/`` stays)."""
    return path.rstrip("/") or "/"
