"""WordPress's own forms go; a form written in a post's content keeps its text."""

from __future__ import annotations

from migrator.htmltree import body_of, inner_html, parse_html
from migrator.transforms.interactive import remove_interactive


class _Sink:
    def __init__(self) -> None:
        self.codes: list[str] = []

    def report(self, code: str, message: str, severity: str | None = None) -> None:
        self.codes.append(code)


def _clean(html: str) -> tuple[str, list[str]]:
    body = body_of(parse_html(html))
    sink = _Sink()
    remove_interactive(body, sink)  # type: ignore[arg-type]
    return inner_html(body), sink.codes


def test_an_authors_form_keeps_its_text_without_its_controls() -> None:
    html, codes = _clean(
        '<form action="https://pay.example.com/donate"><h2>Buy the mill a sack of flour</h2>'
        "<p>Every gift keeps the wheel turning.</p><label>Amount</label><input name=amount>"
        "<button>Give</button></form><p>After.</p>"
    )
    assert "Buy the mill a sack of flour" in html and "Every gift keeps the wheel turning." in html
    assert "Amount" in html and "After." in html
    assert "<input" not in html and "<button" not in html and "<form" not in html
    assert codes == ["interactive-removed"]


def test_wordpress_forms_are_removed_whole() -> None:
    for form in (
        '<div class="comment-respond"><h3>Leave a Reply</h3><form id="commentform" class="comment-form">'
        "<label>Name *</label><input name=author></form></div>",
        '<form role="search" class="wp-block-search"><label>Search</label><input name="s"></form>',
        '<form name="loginform" id="loginform" action="https://old.example.com/wp-login.php">'
        "<label>Username</label><input name=log></form>",
    ):
        html, codes = _clean(form + "<p>Kept.</p>")
        assert html == "<p>Kept.</p>", form
        assert codes == ["interactive-removed"]
