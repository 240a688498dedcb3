"""The checks, item by item: page, old URLs, content, images, links.

One fault, one report: a page that does not exist is one ``verify-missing-page`` (its old URLs,
the links to it from other pages and its attachments' pages, which all lead there, are not
reported again); the other checks give one problem per item and per failed check (per redirect
map for old URLs), listing every URL concerned.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from ..model import Problem
from ..plan.references import ARCHIVE_BASES
from ..urls import urlsplit
from .content import compare, main_element, page_words
from .converted import Converted, Page
from .navigate import Navigator, Outcome, page_key, same_page
from .old_site import OldItem, OldSite, OldUrl
from .report import CONTENT_DIFFERS, EXPLAINS_CONTENT, IMAGE_MISSING, LINK_BROKEN, MISSING_PAGE, REDIRECT_BROKEN, Tally
from .rules import Hit, Request, RuleSet

#: Skip reasons of convert that are a choice (options), not a failure: such items are counted as
#: not verified, with the reason.
CONVERT_CHOICES = frozenset({"password-protected", "private", "draft", "pending", "future", "auto-draft"})
IMAGE_XPATH = "//img/@src|//img/@srcset|//picture/source/@srcset|//video/@poster"
LINK_XPATH = "//a/@href"
LISTED = 8  # URLs quoted per problem message


@dataclass
class Thresholds:
    min_recall: float = 0.7
    min_precision: float = 0.3
    max_missing: int = 10

    def failed(self, score, precision: bool = True) -> bool:
        """Whether ``score`` is below a threshold; ``precision`` False: not judged (stored content
        lacks what WordPress adds when it renders: gallery captions, embeds, dynamic blocks)."""
        return (
            score.recall < self.min_recall
            or score.missing > self.max_missing
            or (precision and score.precision < self.min_precision)
        )

    def text(self, precision: bool = True) -> str:
        return (
            f"recall >= {self.min_recall:g}, "
            + (
                f"precision >= {self.min_precision:g}, "
                if precision
                else "precision not judged against stored content, "
            )
            + f"missing passage <= {self.max_missing} words"
        )


class Verifier:
    def __init__(
        self,
        old: OldSite,
        nav: Navigator,
        converted: Converted | None,
        rulesets: list[RuleSet],
        thresholds: Thresholds,
        site_label: str,
        progress: Callable[[int, int | None], None] | None = None,
    ):
        self.old = old
        self.nav = nav
        self.converted = converted
        self.rulesets = rulesets
        self.modes: list[RuleSet | None] = list(rulesets) or [None]
        self.thresholds = thresholds
        self.site_label = site_label
        self.progress = progress
        self.problems: list[Problem] = []
        self.tally = Tally(redirect_maps=[str(r.path) for r in rulesets])
        self.missing: dict[str, Page] = {}  # page key -> page that does not exist
        self.missing_files: set[str] = set()  # page keys of images reported missing
        self.done = 0
        self.seen: set[str] = set()  # ids met so far (a later item with the same id was skipped by convert)
        self.total = (len(converted.pages) + len(converted.media)) if converted is not None else None

    # ------------------------------------------------------------------ run

    def run(self) -> None:
        """Check every item of OLD (raises sources.InputError when OLD cannot be read)."""
        self.missing = self._missing_pages()
        attachments: list[OldItem] = []
        public: set[str] = set()
        for item in self.old.items():
            self.nav.locator.origins |= self.old.hosts()
            if item.excluded:
                self.tally.not_verified[item.excluded] += 1
                continue
            if item.type == "attachment":
                attachments.append(item)
                continue
            public.add(item.id)
            self.check_document(item)
            self._step()
        for item in attachments:
            if item.parent not in ("", "0") and item.parent not in public:
                self.tally.not_verified["attachment of an item not published"] += 1
                continue
            self.check_attachment(item)
            self._step()

    def _step(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, max(self.total, self.done) if self.total is not None else None)

    def _missing_pages(self) -> dict[str, Page]:
        missing: dict[str, Page] = {}
        for page in self.converted.pages.values() if self.converted is not None else ():
            if page.url is None:
                continue
            outcome = self.nav.follow(page.url)
            if not (outcome.ok and outcome.html and same_page(outcome.path, page.url)):
                missing[page_key(page.url)] = page
        return missing

    def _source(self, page: Page | None, fallback: str = "") -> str:
        if page is not None and self.converted is not None:
            return str(self.converted.root / page.path)
        return fallback or self.site_label

    def _problem(self, severity: str, code: str, message: str, item: OldItem, source: str, line: int | None = None):
        self.problems.append(Problem(severity, code, message, id=item.id, source=source, line=line or None))

    def _listed(self, severity: str, code: str, item: OldItem, page: Page | None, urls: list[str], what: str) -> None:
        """One problem for the page naming the URLs (the first few) that failed one check."""
        if urls:
            self._problem(
                severity,
                code,
                f"{_label(item)}: {len(urls)} {what}: " + "; ".join(urls[:LISTED]) + _more(urls),
                item,
                self._source(page),
            )

    # ------------------------------------------------------------------ documents

    def check_document(self, item: OldItem) -> None:
        duplicate = item.id in self.seen
        self.seen.add(item.id)
        page = self.converted.pages.get(item.id) if self.converted is not None and not duplicate else None
        label = _label(item)
        if self.converted is not None and page is None:
            reason = "duplicate-id" if duplicate else self.converted.skip_reason(item.id, item.type, item.title)
            if reason in CONVERT_CHOICES:
                self.tally.not_verified[f"not converted ({reason})"] += 1
                return
            why = f"the manifest lists it as skipped ({reason})" if reason else "it is not in the manifest"
            self._problem(
                "error",
                MISSING_PAGE,
                f"{label} has no page on the new site: {why}",
                item,
                str(self.converted.root / "manifest.json"),
            )
            return
        self.tally.items[item.type] += 1
        expected = page.url if page is not None else None
        if expected is not None and page_key(expected) in self.missing:
            self._problem(
                "error",
                MISSING_PAGE,
                f"{label}: its page {expected} does not exist on the new site "
                f"({_outcome_text(self.nav.follow(expected))}); {len(item.urls)} old URL(s) lead there",
                item,
                self._source(page),
            )
            return
        reached = self.check_old_urls(item, expected, page)
        target = expected or reached
        if target is None:
            self._problem(
                "error",
                MISSING_PAGE,
                f"{label}: none of its old URLs leads to a page on the new site",
                item,
                self._source(page),
            )
            return
        final = self.nav.follow(target)  # (a folder's "/a" -> "/a/" redirect, say)
        answer = self.nav.get(final.path, final.query)
        self.tally.pages += 1
        main = main_element(answer.text()) if answer.ok else None
        self.check_content(item, page, main)
        if main is not None:
            self.check_images(item, page, final.path, main)
            self.check_links(item, page, final.path, main)

    def check_old_urls(self, item: OldItem, expected: str | None, page: Page | None) -> str | None:
        """Follow every old URL form through every redirect map; report the ones that go wrong.
        Returns the page the permalink reached (when the expected page is unknown)."""
        reached = None
        if expected is None:
            for url in item.urls:
                outcome = self.nav.follow(url.path, url.query, self.modes[0])
                if outcome.ok and outcome.html:
                    reached = outcome.path
                    break
        target = expected or reached

        def good(outcome: Outcome) -> bool:
            return outcome.ok and target is not None and same_page(outcome.path, target)

        self._old_url_problems(item, page, lambda url, outcome: good(outcome), target or "(no page)")
        return reached

    def _old_url_problems(
        self, item: OldItem, page: Page | None, good: Callable[[OldUrl, Outcome], bool], target: str
    ) -> None:
        """One problem per old URL form that does not lead to ``target``, per redirect map (the
        map file and the rule's line are its source, so annotations land on the rule)."""
        for rules in self.modes:
            for url in item.urls:
                self.tally.old_urls += 1
                outcome = self.nav.follow(url.path, url.query, rules)
                if good(url, outcome) or self._reported(outcome):
                    continue
                where = f" through {rules.path.name}" if rules is not None else ""
                shadowed = self._shadowed(url, outcome, rules)
                line = next((s.line for s in outcome.steps if s.line), shadowed.line if shadowed else None)
                source = str(rules.path) if rules is not None else self._source(page)
                self._problem(
                    "error",
                    REDIRECT_BROKEN,
                    f"{_label(item)}: its old URL {url} ({url.form}) does not "
                    f"lead to {target}{where}: {self._failure(url, outcome, shadowed)}",
                    item,
                    source,
                    line,
                )

    def _reported(self, outcome: Outcome) -> bool:
        """Whether ``outcome`` ends at a page or image already reported missing (one fault, one report)."""
        key = page_key(outcome.path)
        return not outcome.ok and not outcome.offsite and (key in self.missing or key in self.missing_files)

    @staticmethod
    def _shadowed(url: OldUrl, outcome: Outcome, rules: RuleSet | None) -> Hit | None:
        """The Netlify rule that would have applied had no file answered the URL first."""
        if rules is None or rules.format != "netlify" or any(s.kind == "rule" for s in outcome.steps):
            return None
        return rules.match(Request(url.path, url.query), lambda _path: False)

    @staticmethod
    def _failure(url: OldUrl, outcome: Outcome, shadowed: Hit | None) -> str:
        text = f"{outcome.where()}, another page" if outcome.ok else _outcome_text(outcome)
        if outcome.steps:
            text += f" (via {outcome.how()})"
        if shadowed is not None:
            text += (
                f"; the rule on line {shadowed.line} is not applied because a file answers {url.path} "
                f"(Netlify serves existing files before unforced rules: write {shadowed.status}!)"
            )
        return text

    def check_content(self, item: OldItem, page: Page | None, main) -> None:
        score = compare(item.words, page_words(main))
        if not self.thresholds.failed(score, item.rendered):
            return
        explained = sorted(set(page.codes) & EXPLAINS_CONTENT) if page is not None else []
        message = (
            f"{_label(item)}: the page's text differs from the old content: {score.text()} "
            f"(thresholds: {self.thresholds.text(item.rendered)})"
        )
        if explained:
            message += f"; convert reported {', '.join(explained)} for it"
        self._problem("warning" if explained else "error", CONTENT_DIFFERS, message, item, self._source(page))

    def check_images(self, item: OldItem, page: Page | None, path: str, main) -> None:
        missing: list[str] = []
        reported: list[str] = []  # images whose download convert reported as failed
        for url in _urls(main, IMAGE_XPATH):
            found = self.nav.locator.locate(url, path)
            if found is None:
                continue
            self.tally.images += 1
            outcome = self.nav.follow(*found)
            if not (outcome.ok and not outcome.html):
                text = f"{url} ({_outcome_text(outcome) if not outcome.ok else 'an HTML page, not an image'})"
                (reported if _said(page, url) else missing).append(text)
                self.missing_files.add(page_key(outcome.path))
        self._listed("error", IMAGE_MISSING, item, page, missing, "image(s) missing on the new site")
        self._listed(
            "warning",
            IMAGE_MISSING,
            item,
            page,
            reported,
            "image(s) convert could not bring along (see its warnings) are missing on the new site",
        )

    def check_links(self, item: OldItem, page: Page | None, path: str, main) -> None:
        broken: list[str] = []
        kept: list[str] = []  # links convert left as they were, and said so or by design
        for url in _urls(main, LINK_XPATH):
            found = self.nav.locator.locate(url, path)
            if found is None or (not found[1] and same_page(found[0], path) and "#" in url):
                continue
            self.tally.links += 1
            outcomes = [self.nav.follow(*found, rules) for rules in [None, *self.rulesets]]
            if any(o.ok for o in outcomes):
                continue
            if any(self._reported(o) for o in outcomes) or page_key(found[0]) in self.missing:
                continue  # a link to a page reported missing: one fault, reported once
            text = f"{url} ({_outcome_text(outcomes[0])})"
            (kept if _said(page, url) or _wordpress_address(found[0]) else broken).append(text)
        self._listed("error", LINK_BROKEN, item, page, broken, "internal link(s) do not resolve")
        self._listed(
            "warning",
            LINK_BROKEN,
            item,
            page,
            kept,
            "link(s) convert kept as they were (WordPress "
            "archives and endpoints, items not converted: see its warnings) do not resolve on the new "
            "site; redirect or remove them",
        )

    # ------------------------------------------------------------------ attachments

    def check_attachment(self, item: OldItem) -> None:
        if item.id in self.seen:
            self.tally.not_verified["attachment with the id of another item"] += 1
            return
        self.seen.add(item.id)
        parent = self.converted.pages.get(item.parent) if self.converted is not None else None
        parent_url = parent.url if parent is not None else None
        if parent_url is not None and page_key(parent_url) in self.missing:
            return  # its parent's page is missing: reported once, there
        self.tally.items["attachment"] += 1
        name = posixpath.basename(unquote(urlsplit(item.file).path)) if item.file else ""

        def good(url: OldUrl, outcome: Outcome) -> bool:
            if outcome.offsite:  # the file kept on another host (media left where they were)
                return bool(name) and posixpath.basename(unquote(urlsplit(outcome.offsite).path)) == name
            if not outcome.ok:
                return False
            if name and not outcome.html and posixpath.basename(unquote(outcome.path)) == name:
                return True  # the file itself
            return url.form != "file" and parent_url is not None and same_page(outcome.path, parent_url)

        target = f"its file {name}" + (f" or its parent's page {parent_url}" if parent_url else "")
        self._old_url_problems(item, None, good, target)


def _said(page: Page | None, url: str) -> bool:
    """Whether convert's warnings for the page name ``url`` (a failed download, a dangling link)."""
    return page is not None and any(url in warning for warning in page.warnings)


def _wordpress_address(path: str) -> bool:
    """A WordPress archive or endpoint (``/category/x/``, ``/2015/03/``, ``/feed/``, ``/wp-admin/``):
    an address that was no item's page."""
    segments = [s for s in path.split("/") if s]
    return bool(segments) and (segments[0] in ARCHIVE_BASES - {"wp-content"} or all(s.isdigit() for s in segments))


def _label(item: OldItem) -> str:
    kind = item.type if item.type else "item"
    return f"{kind} {item.id} {item.title!r}" if item.title else f"{kind} {item.id}"


def _outcome_text(outcome: Outcome) -> str:
    if outcome.error:
        return f"{outcome.where()}: {outcome.error}"
    if outcome.offsite:
        return f"leaves the new site for {outcome.offsite}"
    if outcome.ok:
        return f"{outcome.where()} answers"
    return f"{outcome.where()} answers HTTP {outcome.status}" if outcome.status else f"{outcome.where()}: no answer"


def _urls(main, xpath: str) -> list[str]:
    """URLs of one kind in the main element, in order, once each (``srcset`` candidates split)."""
    found: list[str] = []
    for value in main.xpath("." + xpath.replace("|//", "|.//")):
        text = str(value).strip()
        if getattr(value, "attrname", "") == "srcset":
            candidates = [c.split()[0] for c in text.split(",") if c.strip()]
        else:
            candidates = [text] if text else []
        for url in candidates:
            if not url.startswith("data:") and url not in found:
                found.append(url)
    return found


def _more(items: list) -> str:
    return f"; and {len(items) - LISTED} more" if len(items) > LISTED else ""
