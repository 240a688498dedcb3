"""``migrator verify OLD NEW``: prove that the built new site answers every old URL with the same content.

* :mod:`.old_site` reads OLD with the readers ``convert`` uses and lists each published item's
  old URL forms;
* :mod:`.converted` reads the folder ``convert`` wrote (target, each item's page, base URL);
* :mod:`.new_site` reads the built site (a folder served like a static host, or an address,
  through the live reader's polite HTTP client);
* :mod:`.rules` reads the redirect maps back and applies them; :mod:`.navigate` follows a URL
  through them, HTTP redirects and alias pages;
* :mod:`.content` compares the texts; :mod:`.checks` runs the checks; :mod:`.report` names the
  codes and counts.

The result is a :class:`~migrator.reports.Findings`, rendered like ``validate``'s.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..options import Options
from ..net.safety import allowed_hosts_for
from ..reports import Findings
from ..sources import InputError
from ..net.client import HttpClient
from ..plan.site_urls import netloc_key
from ..urls import urlsplit
from .checks import Thresholds, Verifier
from .converted import Converted, find_converted, read_converted
from .navigate import Locator, Navigator
from .new_site import AddressSite, FolderSite, open_site
from .old_site import OldSite
from .report import CHECKS, new_findings, unreadable
from .rules import FORMATS, RuleSet, find_rule_files, load

__all__ = ["CHECKS", "FORMATS", "VerifyOptions", "verify"]

Progress = Callable[[int, "int | None"], None]


@dataclass
class VerifyOptions:
    converted: str | None = None  # the folder convert wrote (default: the build folder's parent)
    base_url: str = ""  # the new site's base URL (default: from the generator's configuration)
    redirects: list[str] | None = None  # redirect map formats applied (None: every map found)
    min_recall: float = Thresholds.min_recall
    min_precision: float = Thresholds.min_precision
    max_missing: int = Thresholds.max_missing
    old_urls: list[str] = field(default_factory=list)  # earlier addresses of the old site
    source_format: str | None = None  # force the reader of OLD
    allow_private_hosts: bool = False
    rate: float = Options.rate
    timeout: float = Options.http_timeout
    retries: int = Options.http_retries
    cache: str | None = None  # keep the old site's HTTP answers here (the new site is always asked afresh)


def verify(
    old: list[str],
    new: str,
    options: VerifyOptions | None = None,
    progress: Progress | None = None,
    fetch_progress: Progress | None = None,
) -> Findings:
    """Verify the built site ``new`` (folder or address) against ``old``; never raises for bad input."""
    options = options or VerifyOptions()
    converted_dir = find_converted(new, options.converted)
    findings = new_findings([*map(str, old), str(new), *([str(converted_dir)] if converted_dir else [])])
    converted = _converted(converted_dir, options, findings)
    if findings.unreadable:
        return findings
    base_path = converted.base_path if converted is not None else "/"
    tmp = tempfile.mkdtemp(prefix="migrator-verify-")  # the new site's answers, for this run only
    site = open_site(str(new), lambda address: _client(address, options, tmp), base_path)
    old_site = OldSite(
        [str(p) for p in old],
        Options(
            allow_private_hosts=options.allow_private_hosts,
            rate=options.rate,
            http_timeout=options.timeout,
            http_retries=options.retries,
            http_cache=options.cache,
            old_urls=list(options.old_urls),
            source_format=options.source_format,
        ),
        fetch_progress,
    )
    try:
        if not _site_readable(site, base_path, findings):
            return findings
        rulesets = _rulesets(converted, options)
        origins = {k for k in (_origin(converted.base_url if converted else ""), _origin(str(new))) if k}
        verifier = Verifier(
            old_site,
            Navigator(site, Locator(origins)),
            converted,
            rulesets,
            Thresholds(options.min_recall, options.min_precision, options.max_missing),
            str(new),
            progress,
        )
        try:
            verifier.run()
        except InputError as exc:
            unreadable(findings, exc.path, exc.message)
            return findings
        except OSError as exc:
            unreadable(findings, ", ".join(map(str, old)), f"cannot be read ({exc})")
            return findings
        findings.problems.extend(p for p in old_site.problems if p.severity == "error")  # OLD not read whole
        findings.problems.extend(verifier.problems)
        findings.counts = verifier.tally.as_dict()
        findings.notes = verifier.tally.lines()
        for ruleset in rulesets:
            if ruleset.unread:
                line, text = ruleset.unread[0]
                findings.notes.append(
                    f"{ruleset.path}: {len(ruleset.unread)} line(s) not understood and not "
                    f"applied (first: line {line}: {text.strip()[:80]})"
                )
        return findings
    finally:
        site.close()
        old_site.close()
        shutil.rmtree(tmp, ignore_errors=True)


def _converted(folder: Path | None, options: VerifyOptions, findings: Findings) -> Converted | None:
    if folder is None:
        return None
    if not folder.is_dir():
        unreadable(findings, str(folder), "the converted folder does not exist")
        return None
    converted = read_converted(folder, options.base_url)
    if converted.problem:
        unreadable(findings, str(folder), converted.problem)
        return None
    return converted


def _site_readable(site: FolderSite | AddressSite, base_path: str, findings: Findings) -> bool:
    if isinstance(site, FolderSite):
        if not site.root.is_dir():
            unreadable(findings, site.label, "the new site folder does not exist")
            return False
        return True
    answer = site.get(base_path)
    if answer.status == 0:
        unreadable(findings, site.label, f"the new site cannot be reached: {answer.error}")
        return False
    return True


def _rulesets(converted: Converted | None, options: VerifyOptions) -> list[RuleSet]:
    if converted is None:
        return []
    formats = tuple(f for f in FORMATS if options.redirects is None or f in options.redirects)
    return [load(path, fmt) for fmt, path in find_rule_files(converted.root, formats, converted.files)]


def _client(address: str, options: VerifyOptions, cache: str | None) -> HttpClient:
    return HttpClient(
        allowed_hosts_for([address], wpcom=False),
        allow_private_hosts=options.allow_private_hosts,
        rate=options.rate,
        timeout=options.timeout,
        retries=options.retries,
        cache_dir=cache,
        follow_redirects=False,
    )


def _origin(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return netloc_key(parts.hostname, parts.port)
