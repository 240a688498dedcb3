"""One saved page -> its posts: decoding, the kind of page, and which posts it shows.

A single page (body class ``single``, ``page``, ``postid-N``, ...) yields its post; an index or
archive page yields every post it lists, one document each (never several posts merged); a
page without WordPress markup goes to a generic main-content extractor with a warning.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from ...model import Document, Problem, Site, Term
from ...slugs import slugify
from .. import dates
from . import fields, listings, posts
from . import vocabulary as V
from .chrome import CONTROL_CHARS, clean_content
from .document import PageContext, build_document, doc_id
from .dom import HtmlElement, clean_url, index_page, inside, is_widget, slug_from_link, text, visible_len
from .meta import PageMeta, read_meta, strip_site_name
from .posts import Found


@dataclass
class PageResult:
    kind: str  # "single", "index" or "generic"
    documents: list[Document]
    image_refs: dict[str, list[str]]  # document id -> raw image references (before resolving)
    meta: PageMeta = field(default_factory=PageMeta)


_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _trafilatura():
    """The trafilatura module, imported on first use: loading it (and the URL and date
    libraries it brings) takes a sixth of a second, which a run without pages should not wait."""
    import trafilatura

    return trafilatura


def decode(data: bytes) -> str:
    """The page as text, without the control characters lxml cannot hold."""
    return _NOT_XML_CHARS.sub(lambda m: " " if m.group() in "\x0b\x0c" else "", _decode_bytes(data))


def _decode_bytes(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = re.search(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", data[:8192])
    if m:
        try:
            return data.decode(m.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return data.decode("cp1252", errors="replace")


def parse(text: str) -> HtmlElement:
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    text = CONTROL_CHARS.sub("", text)
    return lxml_html.document_fromstring(text)


def page_kind(meta: PageMeta, containers: list[HtmlElement]) -> str:
    body = meta.body_classes
    if any(V.SINGLE_BODY.token(c) for c in body) or any(
        c.startswith(("single-format-", "postid-", "page-id-")) for c in body
    ):
        return "single"
    if any(V.INDEX_BODY.token(c) for c in body):
        return "index"
    if len(containers) <= 1 or meta.type == "article" or meta.ld:
        return "single"
    return "index"


def _is_wordpress(text: str, meta: PageMeta) -> bool:
    """True when anything on the page says WordPress made it."""
    if meta.generator.lower().startswith("wordpress") or "/wp-content/" in text or "/wp-includes/" in text:
        return True
    return any(c.startswith(("postid-", "page-id-", "single-format-", "wp-")) for c in meta.body_classes) or bool(
        re.search(r'class="[^"]*\b(?:entry-content|wp-block-post-content|hentry)\b', text)
    )


def _fill_site(site: Site, meta: PageMeta) -> None:
    if not site.title:
        site.title = meta.site_name or meta.ld_site_name or meta.home_title
    if not site.link and meta.home_link:
        site.link = meta.home_link
    if not site.generator and meta.generator:
        site.generator = meta.generator


def _ancestor_container(content: HtmlElement, scope: HtmlElement, own_link: str) -> HtmlElement:
    """The nearest ancestor of ``content`` holding a marked-up post title, else ``content``."""
    for anc in content.iterancestors():
        if fields.title_element(anc, [content], loose=False, own_link=own_link) is not None:
            return anc
        if anc is scope:
            break
    for anc in content.iterancestors():  # else the nearest holding the page's h1
        if anc is scope:
            break
        if any(not inside(h, content) and not is_widget(h) and text(h) for h in anc.iter("h1")):
            return anc
    return content


def _single(root: HtmlElement, meta: PageMeta, containers: list[HtmlElement]) -> list[tuple[HtmlElement, Found]]:
    main = posts.main_container(meta.body_classes, containers)
    found = posts.find_content(main) if main is not None else None
    if found is None:
        # no container, or a container without any text block: look page-wide
        body = root.find(".//body")
        scope = body if body is not None else root
        found = posts.find_content(scope)
        if found is not None:
            main = (
                main
                if main is not None and inside(found.element, main)
                else _ancestor_container(found.element, scope, meta.canonical or meta.url)
            )
    if main is not None and found is None:
        found = Found(main, whole=True)  # a post container without any text block: use it whole
    return [(main, found)] if main is not None and found is not None else []


#: A body found without WordPress's content markup and shorter than this (visible characters)
#: may be a lone fragment of the text: it is checked against the generic extractor's.
SHORT_BODY = 1000
#: ... and replaced when it covers less than this share of the generic extractor's words.
COVERAGE = 0.6


def _words(value: str) -> Counter:
    return Counter(re.findall(r"\w+", value.casefold()))


def _cross_check(text: str, root: HtmlElement, found: Found, source: str, problems: list[Problem]) -> Found:
    """A short body found without WordPress's content markup, checked against trafilatura's text.

    When it covers too little of it, the nearest ancestor that covers it (and is not mostly
    other text) is the body; failing one, trafilatura's own body, with the post's metadata
    still read from the page's markup.
    """
    if found.strong or found.summary or visible_len(found.element) >= SHORT_BODY:
        return found
    try:
        generic = _trafilatura().extract(text, include_comments=False, include_tables=True) or ""
    except Exception:  # noqa: BLE001 - third-party extractor: no check rather than no document
        return found
    want = _words(generic)
    total = sum(want.values())
    if total < 50:
        return found

    def covers(el: HtmlElement) -> tuple[float, float]:
        got = _words(el.text_content())
        common = sum((got & want).values())
        return common / total, common / (sum(got.values()) or 1)

    if covers(found.element)[0] >= COVERAGE:
        return found
    for anc in found.element.iterancestors():
        if anc.tag in ("body", "html"):
            break
        recall, precision = covers(anc)
        if recall >= 0.85 and precision >= 0.5:
            return Found(anc, whole=found.whole)
    body = _generic_body(text)
    if body is None:
        return found
    problems.append(
        Problem(
            "info",
            "html-generic-body",
            "the post's text was not where the page's markup "
            "suggested; the generic extractor's body is used, with the post's metadata",
            source=source,
        )
    )
    return Found(body)


def _generic_body(text: str) -> HtmlElement | None:
    try:
        html = _trafilatura().extract(
            text,
            output_format="html",
            include_images=True,
            include_links=True,
            include_formatting=True,
            include_tables=True,
            include_comments=False,
        )
    except Exception:  # noqa: BLE001 - third-party extractor
        return None
    if not html:
        return None
    tree = lxml_html.document_fromstring(html)
    node = tree.find(".//body")
    return node if node is not None else tree


def _listing(root: HtmlElement, containers: list[HtmlElement]) -> list[tuple[HtmlElement, Found]]:
    items = containers if len(containers) >= 2 else (listings.find_items(root) or containers)
    pairs = []
    for el in items:
        found = posts.find_content(el)
        pairs.append((el, found if found is not None else Found(el, whole=True)))
    return pairs


def extract_page(text: str, source: str, site: Site, problems: list[Problem]) -> PageResult:
    """Read every post on one page (already decoded HTML text)."""
    try:
        root = parse(text)
    except (etree.ParserError, ValueError) as exc:
        problems.append(Problem("error", "html-unreadable", f"cannot parse HTML: {exc}", source=source))
        return PageResult("generic", [], {})
    index_page(root)
    meta = read_meta(root)
    _fill_site(site, meta)
    containers = posts.find_containers(root)
    if not containers and not _is_wordpress(text, meta):
        return _generic(text, meta, source, problems)
    kind = page_kind(meta, containers)
    pairs = _single(root, meta, containers) if kind == "single" else _listing(root, containers)
    if kind == "single" and pairs:
        pairs = [(pairs[0][0], _cross_check(text, root, pairs[0][1], source, problems))]
    if not pairs:
        if kind == "index":
            if listings.linked_headings(root):
                problems.append(
                    Problem(
                        "warning",
                        "html-no-posts",
                        "a listing page, but no post could be told apart on it; nothing taken from it",
                        source=source,
                    )
                )
            else:
                problems.append(
                    Problem("info", "html-empty-listing", "a listing page that lists no posts", source=source)
                )
            return PageResult(kind, [], {}, meta)
        return _generic(text, meta, source, problems)
    page = PageContext(root, meta, source, kind == "single", fields.page_term_names(root))
    docs: list[Document] = []
    refs: dict[str, list[str]] = {}
    seen: set[str] = set()
    for container, found in pairs:
        doc, raw = build_document(container, found, page)
        if doc.id in seen or (not doc.title and not doc.content):
            continue
        seen.add(doc.id)
        docs.append(doc)
        refs[doc.id] = raw
        if not doc.title:
            problems.append(Problem("warning", "html-no-title", "post without a title", id=doc.id, source=source))
        if doc.extra.pop("password_required", False):
            problems.append(
                Problem(
                    "warning",
                    "html-password-protected",
                    "password-protected post: the page shows a password form, not its content",
                    id=doc.id,
                    source=source,
                )
            )
        elif not doc.content:
            problems.append(Problem("warning", "html-empty-content", "post content is empty", id=doc.id, source=source))
    return PageResult(kind, docs, refs, meta)


def _generic(text: str, meta: PageMeta, source: str, problems: list[Problem]) -> PageResult:
    """Main content of a page without WordPress markup, via trafilatura."""
    problems.append(
        Problem(
            "warning",
            "html-generic-extraction",
            "no WordPress post markup found; used a generic main-content extractor",
            source=source,
        )
    )
    url = meta.canonical or meta.url or None
    try:
        body = _trafilatura().extract(
            text,
            url=url,
            output_format="html",
            include_images=True,
            include_links=True,
            include_formatting=True,
            include_tables=True,
            include_comments=False,
        )
        md = _trafilatura().extract_metadata(text, default_url=url)
    except Exception as exc:  # noqa: BLE001 - third-party extractor: any failure is a problem record
        problems.append(Problem("error", "html-generic-failed", f"generic extraction failed: {exc}", source=source))
        return PageResult("generic", [], {}, meta)
    if not body:
        problems.append(Problem("warning", "html-no-content", "no main content found on the page", source=source))
        return PageResult("generic", [], {}, meta)
    root = lxml_html.document_fromstring(body)
    node = root.find(".//body") if root.find(".//body") is not None else root
    html, _ = clean_content(node, url or "")
    title = (md.title if md and md.title else "") or strip_site_name(meta.html_title, meta.site_names)
    title = strip_site_name(title, meta.site_names)
    link = clean_url((md.url if md and md.url else "") or url or "")
    when = dates.parse_machine_date(meta.published) or dates.parse_date(md.date if md and md.date else "")
    doc = Document(
        id=doc_id(link, title, when),
        type="post",
        title=title,
        slug=slug_from_link(link) or slugify(title),
        content=html,
        content_kind="rendered",
        date=when,
        modified=_datetime_or_none(dates.parse_machine_date(meta.modified)),
        author=(md.author if md and md.author else "") or meta.author,
        terms=[Term("category", slugify(c), c) for c in (md.categories or [] if md else [])]
        + [Term("post_tag", slugify(t), t) for t in (md.tags or [] if md else [])],
        link=link,
        guid=link,
        source=source,
    )
    image = (md.image if md and md.image else "") or meta.image
    if image:
        doc.extra["featured_image"] = image
    doc.extra["generic"] = True
    refs = [image] if image else []
    refs += [img.get("src") for img in node.iter("img") if img.get("src")]
    return PageResult("generic", [doc], {doc.id: refs}, meta)


def _datetime_or_none(value: date | None) -> datetime | None:
    return value if isinstance(value, datetime) else None


def read_html(path: Path, site: Site, problems: list[Problem]) -> Iterator[Document]:
    """Yield one document per post found on the page (content_kind="rendered" HTML)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        problems.append(Problem("error", "html-unreadable", f"cannot read file: {exc}", source=str(path)))
        return
    result = extract_page(decode(data), str(path), site, problems)
    yield from result.documents
