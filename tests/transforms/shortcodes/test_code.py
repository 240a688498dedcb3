"""Code shortcodes: language classes, single decoding, content protected."""

from migrator.transforms.shortcodes import do_shortcodes

from .helpers import attachments, make_ctx


# --- code ------------------------------------------------------------------------------------


def test_code_shortcodes_language_and_single_decoding():
    ctx = make_ctx()
    out = do_shortcodes('[code language="php"]\necho &quot;&lt;b&gt;&quot;; // &amp;amp;\n[/code]', ctx)
    assert out == '<pre><code class="language-php">echo &quot;&lt;b&gt;&quot;; // &amp;amp;</code></pre>'
    out = do_shortcodes('[sourcecode lang="py"]x = a < b[/sourcecode]', ctx)
    assert out == '<pre><code class="language-python">x = a &lt; b</code></pre>'
    out = do_shortcodes("[js]var a = [1, 2];[/js]", ctx)
    assert out == '<pre><code class="language-javascript">var a = [1, 2];</code></pre>'
    out = do_shortcodes("[source]plain[/source]", ctx)
    assert out == "<pre><code>plain</code></pre>"


def test_code_content_is_not_expanded():
    out = do_shortcodes('[php]echo "[gallery ids=\\"1\\"]";[/php]', make_ctx(attachments=attachments()))
    assert "[gallery" in out and "wp-block-gallery" not in out


def test_a_code_shortcode_name_without_closing_tag_is_text():
    """``[text](https://…)`` in prose is no ``[text]`` code block: WordPress's text stays,
    in its line (it was an empty code block, and the words were lost)."""
    from migrator.transforms.wordpress import apply_content_filters

    html = apply_content_filters(make_ctx("See [text](https://harbour.example.com/) and [php]echo 1;[/php] after."))
    assert "<p>See [text](https://harbour.example.com/) and" in html
    assert '<code class="language-php">echo 1;</code>' in html
