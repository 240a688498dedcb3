"""wptexturize and capital_P_dangit as WordPress runs them on what it shows (transforms.texturize)."""

from __future__ import annotations

import pytest

from migrator.transforms.texturize import capital_p_dangit, texturize_plain, wptexturize


@pytest.mark.parametrize(
    "typed, shown",
    [
        ('He said "hi" -- it\'s 9x9...', "He said &#8220;hi&#8221; &#8212; it&#8217;s 9&#215;9&#8230;"),
        ("a - b --- c", "a &#8211; b &#8212; c"),
        ("The '90s", "The &#8217;90s"),
        ("'quoted'", "&#8216;quoted&#8217;"),
        ('<a title="x" href="a&b">a & b</a>', '<a title="x" href="a&#038;b">a &#038; b</a>'),
    ],
)
def test_typography_as_wordpress_shows_it(typed: str, shown: str) -> None:
    assert wptexturize(typed) == shown


def test_code_tags_comments_and_shortcodes_are_left_alone() -> None:
    assert wptexturize('<pre>"a" -- b</pre> "c"') == '<pre>"a" -- b</pre> &#8220;c&#8221;'
    assert wptexturize("<code>it's</code> <kbd>--</kbd> it's") == "<code>it's</code> <kbd>--</kbd> it&#8217;s"
    assert (
        wptexturize('<!-- "x" --> [gallery ids="1"] "y"', ["gallery"])
        == '<!-- "x" --> [gallery ids="1"] &#8220;y&#8221;'
    )
    assert wptexturize('[code]"raw" -- x[/code] "t"', ["code"]) == '[code]"raw" -- x[/code] &#8220;t&#8221;'


def test_capital_p_and_plain_titles() -> None:
    assert capital_p_dangit("Wordpress and (Wordpress)") == "Wordpress and (WordPress)"
    assert capital_p_dangit("Wordpress", title=True) == "WordPress"
    assert texturize_plain(' "Fog" & <tides> ') == "“Fog” & <tides>"
    assert texturize_plain("") == ""
