"""Which input items become documents, media entries or skipped entries, and why."""

from __future__ import annotations

from typing import Literal

from .model import Document
from .options import Options

Disposition = Literal["document", "media", "skip"]

#: Post types that never hold page content of their own.
NOT_CONTENT = frozenset(
    {
        "nav_menu_item",
        "revision",
        "wp_block",
        "wp_template",
        "wp_template_part",
        "wp_global_styles",
        "wp_navigation",
        "customize_changeset",
        "oembed_cache",
        "custom_css",
        "user_request",
        "wp_font_family",
        "wp_font_face",
        "scheduled-action",
        "feedback",
        "jp_pay_order",
        "jp_pay_product",
        "shop_order",
        "shop_order_refund",
        "shop_coupon",
        "product_variation",
        "wpcf7_contact_form",
        "acf-field-group",
        "acf-field",
        "wp_changeset",
        "amp_validated_url",
        "jetpack_migration",
        "safecss",
        "postman_sent_mail",
        "wpforms",
        "mc4wp-form",
    }
)
DRAFT_LIKE = frozenset({"draft", "pending", "future", "auto-draft"})


def classify(doc: Document, options: Options) -> tuple[Disposition, str]:
    """Return (disposition, reason); the reason is empty for documents and media."""
    if doc.type == "attachment":
        return "media", ""
    if doc.type in NOT_CONTENT:
        return "skip", "not-content"
    status = doc.status
    if status == "trash":
        return "skip", "trash"
    if status == "inherit":
        return "skip", "not-content"
    if status in DRAFT_LIKE and not options.include_drafts:
        return "skip", status
    if status == "private" and not options.include_private:
        return "skip", "private"
    if doc.password and not options.include_private:
        return "skip", "password-protected"
    if status not in DRAFT_LIKE | {"publish", "private"}:
        return "skip", f"status-{status}"
    return "document", ""
