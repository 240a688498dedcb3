"""Following a URL on the new site the way a browser would: redirect rules, HTTP redirects and
alias pages, hop by hop, until a page (or nothing) answers.

Addresses on the new site's origin (its base URL, the address it is served at, and every address
of the old site: after the switch they all reach the new site) become site paths; other
addresses are off-site and are not followed.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from urllib.parse import unquote

from ..plan.site_urls import netloc_key
from ..urls import urljoin, urlsplit
from .new_site import Answer, refresh_target
from .rules import REDIRECT_STATUSES, Request, RuleSet

MAX_HOPS = 8


@dataclass(frozen=True)
class Step:
    kind: str  # rule, redirect, alias
    detail: str  # where it went
    line: int = 0  # the rule's line


@dataclass
class Outcome:
    path: str  # the site path finally asked for
    query: str = ""
    status: int = 0
    html: bool = False
    steps: list[Step] = field(default_factory=list)
    offsite: str = ""  # an address outside the new site where it ended
    error: str = ""  # a loop, too many hops, no answer

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300 and not self.offsite and not self.error

    def where(self) -> str:
        if self.offsite:
            return self.offsite
        return self.path + ("?" + self.query if self.query else "")

    def how(self) -> str:
        """The hops taken, for messages: ``rule line 18 -> /a/, alias page -> /b/``."""
        return ", ".join(f"{s.kind}{f' line {s.line}' if s.line else ''} -> {s.detail}" for s in self.steps)


def same_page(a: str, b: str) -> bool:
    """Whether two site paths name the same page (``/a/``, ``/a``, ``/a/index.html``, encoded)."""
    return page_key(a) == page_key(b)


def page_key(path: str) -> str:
    path = unquote(path.split("?", 1)[0])
    for index in ("/index.html", "/index.htm"):
        if path.endswith(index):
            path = path[: -len(index) + 1]
    return path.rstrip("/") or "/"


class Locator:
    """Turns the URLs met on pages and in rules into site paths of the new site."""

    def __init__(self, origins: set[str]):
        self.origins = origins  # netloc keys (``www.``-less host with a non-default port)

    def locate(self, url: str, base: str = "/") -> tuple[str, str] | None:
        """(decoded site path, query) of ``url`` seen on the page at site path ``base``; None when
        it is not on the new site (another host, ``mailto:``, ``data:``...)."""
        url = url.strip()
        if not url or url.startswith("#"):
            return None
        parts = urlsplit(url)
        if parts.scheme and parts.scheme.lower() not in ("http", "https"):
            return None
        if parts.netloc:
            if not parts.hostname or netloc_key(parts.hostname, parts.port) not in self.origins:
                return None
            path = parts.path or "/"
        else:
            joined = urlsplit(urljoin("http://site.invalid" + base, url))
            path = joined.path or "/"
            parts = joined
        path = unquote(path)
        normal = posixpath.normpath(path) if path not in ("", "/") else "/"
        if path.endswith("/") and normal != "/":
            normal += "/"
        return normal.replace("//", "/"), parts.query


class Navigator:
    """Follows URLs on one site; remembers every outcome (one request per URL and rule set)."""

    def __init__(self, site, locator: Locator):
        self.site = site
        self.locator = locator
        self._memo: dict[tuple, Outcome] = {}

    def get(self, path: str, query: str = "") -> Answer:
        return self.site.get(path, query)

    def follow(self, path: str, query: str = "", rules: RuleSet | None = None) -> Outcome:
        key = (path, query, id(rules))
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._follow(path, query, rules)
        return found

    def _follow(self, path: str, query: str, rules: RuleSet | None) -> Outcome:
        steps: list[Step] = []
        seen: set[tuple[str, str]] = set()
        for _hop in range(MAX_HOPS):
            if (path, query) in seen:
                return Outcome(path, query, steps=steps, error="redirect loop")
            seen.add((path, query))
            hit = rules.match(Request(path, query), self.site.exists) if rules is not None else None
            if hit is not None:
                if not hit.target:
                    steps.append(Step("rule", f"HTTP {hit.status}", hit.line))
                    return Outcome(path, query, hit.status, steps=steps)
                steps.append(Step("rule", hit.target, hit.line))
                found = self.locator.locate(hit.target, path)
                if found is None:
                    return Outcome(path, query, steps=steps, offsite=hit.target)
                if hit.status == 200:  # an internal rewrite: the target's answer, at this URL
                    answer = self.site.get(*found)
                    return Outcome(
                        found[0], found[1], answer.status, answer.ok and answer.html, steps, error=answer.error
                    )
                path, query = found
                continue
            answer = self.site.get(path, query)
            if answer.status in REDIRECT_STATUSES and answer.location:
                steps.append(Step("redirect", answer.location))
                found = self.locator.locate(answer.location, path)
                if found is None:
                    return Outcome(path, query, steps=steps, offsite=answer.location)
                path, query = found
                continue
            target = refresh_target(answer)
            if target is not None:
                steps.append(Step("alias page", target))
                found = self.locator.locate(target, path)
                if found is None:
                    return Outcome(path, query, steps=steps, offsite=target)
                path, query = found
                continue
            return Outcome(path, query, answer.status, answer.ok and answer.html, steps, error=answer.error)
        return Outcome(path, query, steps=steps, error=f"more than {MAX_HOPS} redirects")
