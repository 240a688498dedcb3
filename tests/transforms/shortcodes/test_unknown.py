"""Unknown shortcodes: what convert reports and validate warns about (one function)."""

from migrator.transforms.shortcodes import default_registry, do_shortcodes, unknown_shortcodes

from .helpers import make_ctx


# --- unknown shortcodes ----------------------------------------------------------------------


def test_unknown_shortcodes_reported_once_per_name_with_count():
    text = (
        '[contact-form-7 id="3"] [foo a="1"]x[/foo] [foo] [bar /] [top] coracles [simple boat]. '
        "<pre>[inpre x=1]</pre> <code>[incode x=1]</code> [[esc x=1]]"
    )
    ctx = make_ctx()
    out = do_shortcodes(text, ctx)
    assert out == text  # unregistered: verbatim
    found = {p.message.split()[0]: p.message for p in ctx.problems if p.code == "unknown-shortcode"}
    assert set(found) == {"[contact-form-7]", "[foo]", "[bar]"}
    assert "x 2" in found["[foo]"]
    assert all(p.severity == "warning" for p in ctx.problems)  # as validate says (migrator.codes)


def test_unknown_counter_ignores_registered_names():
    assert unknown_shortcodes('[gallery ids="1"] [zzz a=1]', default_registry()) == {"zzz": 1}
