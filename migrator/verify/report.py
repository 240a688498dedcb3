"""What ``verify`` reports: its checks and problem codes, the problems, the counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..model import Problem
from ..reports import Check, Findings

MISSING_PAGE = "verify-missing-page"
REDIRECT_BROKEN = "verify-redirect-broken"
CONTENT_DIFFERS = "verify-content-differs"
IMAGE_MISSING = "verify-image-missing"
LINK_BROKEN = "verify-link-broken"

CHECKS: list[Check] = [
    Check("input", ("input-unreadable",), "the old site, the new site and the converted folder can be read"),
    Check(
        "old-site",
        (
            "live-fetch-failed",
            "xml-syntax",
            "xml-truncated",
            "xml-item-broken",
            "html-unreadable",
            "html-generic-failed",
            "text-unreadable",
            "text-reader-failed",
        ),
        "the old site was read completely (errors of the readers; their items could not be verified)",
    ),
    Check("pages", (MISSING_PAGE,), "every published item has its page on the new site"),
    Check(
        "old-urls",
        (REDIRECT_BROKEN,),
        "every old URL form leads to the item's new page (directly, through alias pages or each redirect map)",
    ),
    Check("content", (CONTENT_DIFFERS,), "the page's main text matches the old content (recall, precision)"),
    Check("images", (IMAGE_MISSING,), "every image on the page exists on the new site"),
    Check("links", (LINK_BROKEN,), "every internal link on the page resolves on the new site"),
]

#: Codes of convert warnings that say a document's content was knowingly left out or changed
#: (``*-random-order``: WordPress shuffles that gallery on every view, so the old page's order is
#: one draw of many): a content difference on such a page is reported as a warning, naming them.
EXPLAINS_CONTENT = frozenset(
    {
        "dynamic-block",
        "gallery-missing-attachment",
        "playlist-missing-attachment",
        "gallery-random-order",
        "playlist-random-order",
        "gallery-empty",
        "playlist-empty",
        "embed-missing-url",
        "footnotes",
        "missing-reusable-block",
        "reusable-block-loop",
        "shortcode-failed",
        "html-no-content",
        "html-empty-content",
        "html-generic-extraction",
    }
)


@dataclass
class Tally:
    """Counts for the summary: what was verified and what was not (with the reason)."""

    items: Counter = field(default_factory=Counter)  # verified items by type
    not_verified: Counter = field(default_factory=Counter)  # reason -> count
    old_urls: int = 0  # URL forms checked (each through every redirect map)
    pages: int = 0
    images: int = 0
    links: int = 0
    redirect_maps: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "verified": dict(sorted(self.items.items())),
            "not_verified": dict(sorted(self.not_verified.items())),
            "old_urls": self.old_urls,
            "pages": self.pages,
            "images": self.images,
            "links": self.links,
            "redirect_maps": list(self.redirect_maps),
        }

    def lines(self) -> list[str]:
        verified = ", ".join(f"{n} {kind}" for kind, n in sorted(self.items.items())) or "nothing"
        out = [
            f"verified: {verified}; {self.old_urls} old URL(s), {self.pages} page(s), {self.images} image(s), "
            f"{self.links} internal link(s) checked"
        ]
        maps = ", ".join(self.redirect_maps) if self.redirect_maps else "none (old URLs must answer directly)"
        out.append(f"redirect maps applied: {maps}")
        if self.not_verified:
            out.append("not verified: " + ", ".join(f"{n} {why}" for why, n in sorted(self.not_verified.items())))
        return out


def new_findings(inputs: list[str]) -> Findings:
    return Findings("verify", inputs=list(dict.fromkeys(inputs)), checks=list(CHECKS))


def unreadable(findings: Findings, source: str, message: str) -> None:
    findings.unreadable.append(source)
    findings.problems.append(Problem("error", "input-unreadable", message, source=source))
