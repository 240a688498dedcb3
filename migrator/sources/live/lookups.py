"""What a live site's REST API says about its structure: the content types it lists, the terms of
every public taxonomy and the users (names only), read once before the documents."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import Author, Site, Term
from ...policy import NOT_CONTENT
from ..wxr_fields import clean_text, decode_slug
from .api import RestApi

#: Taxonomies that never label content.
SKIP_TAXONOMIES = frozenset(
    {"nav_menu", "link_category", "post_format", "wp_theme", "wp_template_part_area", "wp_pattern_category"}
)


@dataclass
class Taxonomy:
    slug: str
    rest_base: str
    namespace: str = "wp/v2"
    terms: dict[int, Term] = field(default_factory=dict)  # by term id


def content_types(api: RestApi) -> list[tuple[str, str]]:
    """(post type, route) of every content type the API lists: post, page, then the rest."""
    response, data = api.get_json("wp/v2/types")
    if not isinstance(data, dict):
        return [("post", "wp/v2/posts"), ("page", "wp/v2/pages")]
    found: list[tuple[str, str]] = []
    for slug, info in data.items():
        if not isinstance(info, dict) or slug == "attachment" or slug in NOT_CONTENT or slug.startswith("wp_"):
            continue
        base = str(info.get("rest_base") or "").strip("/")
        namespace = str(info.get("rest_namespace") or "wp/v2").strip("/")
        if base:
            found.append((str(info.get("slug") or slug), f"{namespace}/{base}"))
    order = {"post": 0, "page": 1}
    return sorted(found, key=lambda t: (order.get(t[0], 2), t[0]))


def load_taxonomies(api: RestApi, site: Site) -> list[Taxonomy]:
    """Every public taxonomy with its terms (category, post_tag, then the rest); each new term is
    added to ``site.terms``."""
    response, data = api.get_json("wp/v2/taxonomies")
    taxonomies: list[Taxonomy] = []
    if isinstance(data, dict):
        for slug, info in data.items():
            if not isinstance(info, dict) or slug in SKIP_TAXONOMIES:
                continue
            base = str(info.get("rest_base") or "").strip("/")
            if base:
                taxonomies.append(
                    Taxonomy(str(info.get("slug") or slug), base, str(info.get("rest_namespace") or "wp/v2").strip("/"))
                )
    else:
        taxonomies = [Taxonomy("category", "categories"), Taxonomy("post_tag", "tags")]
    order = {"category": 0, "post_tag": 1}
    taxonomies = sorted(taxonomies, key=lambda t: (order.get(t.slug, 2), t.slug))
    for tax in taxonomies:
        items = api.all_items(f"{tax.namespace}/{tax.rest_base}")
        by_id = {item.get("id"): item for item in items if isinstance(item, dict)}
        for item in by_id.values():
            slug = decode_slug(str(item.get("slug") or ""))
            name = clean_text(str(item.get("name") or "")) or slug
            parent = by_id.get(item.get("parent"))
            term = Term(
                tax.slug,
                slug,
                name,
                decode_slug(str(parent.get("slug") or "")) if parent else "",
                clean_text(str(item.get("description") or "")),
            )
            if isinstance(item.get("id"), int):
                tax.terms[item["id"]] = term
            if not any(t.taxonomy == term.taxonomy and t.slug == term.slug for t in site.terms):
                site.terms.append(term)
    return taxonomies


def load_users(api: RestApi, site: Site) -> dict[int, tuple[str, str]]:
    """User id -> (display name, slug); each user is added to ``site.authors`` (names only)."""
    users: dict[int, tuple[str, str]] = {}
    for item in api.all_items("wp/v2/users"):
        if not isinstance(item, dict) or not isinstance(item.get("id"), int):
            continue
        slug = str(item.get("slug") or "")
        name = clean_text(str(item.get("name") or "")) or slug
        users[item["id"]] = (name, slug)
        login = slug or str(item["id"])
        site.authors.setdefault(login, Author(login=login, display_name=name, id=str(item["id"])))
    return users


def terms_of(item: dict, taxonomies: list[Taxonomy]) -> list[Term]:
    """The terms a REST item carries (term ids under each taxonomy's ``rest_base``)."""
    terms: list[Term] = []
    for tax in taxonomies:
        ids = item.get(tax.rest_base)
        if not isinstance(ids, list):
            continue
        for term_id in ids:
            term = tax.terms.get(term_id) if isinstance(term_id, int) else None
            if term is not None:
                terms.append(term)
    return terms
