"""The Python API: keyword options on top of an Options argument, exported exceptions, option
names that are the CLI's flags, and "did you mean" for a misspelt option (API and CLI)."""

from __future__ import annotations

import argparse
import dataclasses
import typing
from pathlib import Path

import pytest

import migrator
from conftest import FIXTURES, run_cli
from migrator.cli import build_parser
from migrator.options import FIELDS

SAMPLE = FIXTURES / "sample-export.xml"


def test_keywords_merge_with_an_options_argument(tmp_path: Path) -> None:
    base = migrator.Options(layout="{type}/{id}.md", jobs=1)
    plain = migrator.convert([SAMPLE], tmp_path / "plain", base)
    merged = migrator.convert([SAMPLE], tmp_path / "merged", base, include_drafts=True)
    assert base.include_drafts is False  # the caller's Options is not changed
    drafts = [d for d in merged.documents if d.status == "draft"]
    assert drafts and not [d for d in plain.documents if d.status == "draft"]
    assert all(d.path == f"{d.type}/{d.id}.md" for d in merged.documents)  # the Options' layout holds
    assert len(merged.documents) > len(plain.documents)


def test_keywords_work_for_read_too() -> None:
    ids = {d.id for d in migrator.read([SAMPLE])}
    assert ids == {d.id for d in migrator.read([SAMPLE], migrator.Options(), include_drafts=True)}
    with pytest.raises(migrator.OptionsError, match="did you mean 'source_format'"):
        list(migrator.read([SAMPLE], sorce_format="wxr"))


@pytest.mark.parametrize(
    ("kwargs", "said"),
    [
        ({"incude_drafts": True}, "unknown option 'incude_drafts' (did you mean 'include_drafts'?)"),
        (
            {"media": "downlaod"},
            "media='downlaod' is not one of 'link', 'download', 'bundle' (did you mean 'download'?)",
        ),
        ({"redirects": ["nginx", "iis"]}, "redirects='iis' is not one of"),
        ({"target": "hugoo"}, "unknown target 'hugoo'"),
        ({"layout": "{nope}.md"}, "{nope} is not a layout field"),
    ],
)
def test_options_that_do_not_fit_raise_before_anything_is_written(tmp_path: Path, kwargs: dict, said: str) -> None:
    out = tmp_path / "out"
    with pytest.raises(migrator.OptionsError) as caught:
        migrator.convert([SAMPLE], out, **kwargs)
    assert said in str(caught.value)
    assert not out.exists()


def test_public_exceptions_are_exported() -> None:
    assert {"InputError", "OptionsError"} <= set(migrator.__all__)
    from migrator.sources import InputError

    assert migrator.InputError is InputError
    assert issubclass(migrator.OptionsError, ValueError)
    with pytest.raises(migrator.InputError) as caught:
        list(migrator.read(["/no/such/export.xml"]))
    assert caught.value.path == "/no/such/export.xml" and "no such file" in caught.value.message
    report = migrator.convert(["/no/such/export.xml"], "/tmp/never-written-by-migrator-test", jobs=1)
    assert report.exit_code == 2 and [p.code for p in report.problems] == ["input-unreadable"]
    assert not Path("/tmp/never-written-by-migrator-test").exists()


def _convert_parser() -> argparse.ArgumentParser:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return subparsers.choices["convert"]


CLI_ONLY = {"help", "inputs", "output", "explain"}  # not options of a conversion


def test_every_flag_is_the_option_of_its_name() -> None:
    """Each ``convert`` flag sets the Options field it is named after: ``--http-cache`` is
    ``http_cache`` (``--cache`` is its short spelling), a repeatable flag fills the list of its
    plural (``--old-url`` fills ``old_urls``)."""
    hints = typing.get_type_hints(migrator.Options)
    exposed = set()
    for action in _convert_parser()._actions:
        if action.dest in CLI_ONLY:
            continue
        assert action.dest in FIELDS, action.option_strings
        exposed.add(action.dest)
        spelled = {o[2:].replace("-", "_") for o in action.option_strings if o.startswith("--")}
        if action.const is False and action.default is True:  # --no-texturize turns texturize off
            spelled |= {s.removeprefix("no_") for s in spelled}
        if typing.get_origin(hints[action.dest]) in (list, dict):
            assert (
                {s + "s" for s in spelled} & {action.dest} or action.dest in spelled or action.dest == "taxonomy_keys"
            ), action.option_strings
        else:
            assert action.dest in spelled, (action.dest, action.option_strings)
    api_only = {"shortcode_registry", "block_handlers", "layouts", "extra"}  # Python objects
    assert set(FIELDS) - exposed == api_only


def test_cli_builds_the_same_options_as_the_api() -> None:
    from migrator.cli import convert_options

    args = _convert_parser().parse_args(
        [
            "x.xml",
            "-o",
            "out",
            "--cache",
            "c",
            "--from",
            "wxr",
            "--timeout",
            "5",
            "--old-url",
            "http://a",
            "--taxonomy",
            "genre=genres",
            "-j",
            "2",
        ]
    )
    options = convert_options(args)
    assert options == migrator.make_options(
        http_cache="c",
        source_format="wxr",
        http_timeout=5.0,
        old_urls=["http://a"],
        taxonomy_keys={"genre": "genres"},
        jobs=2,
    )
    long = _convert_parser().parse_args(
        [
            "x.xml",
            "-o",
            "out",
            "--http-cache",
            "c",
            "--source-format",
            "wxr",
            "--http-timeout",
            "5",
            "--old-url",
            "http://a",
            "--taxonomy",
            "genre=genres",
            "-j",
            "2",
        ]
    )
    assert convert_options(long) == options
    assert dataclasses.asdict(
        convert_options(_convert_parser().parse_args(["x.xml", "-o", "o", "-j", "1"]))
    ) == dataclasses.asdict(migrator.Options(jobs=1))  # the CLI's defaults are the API's


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["convert", "x.xml", "-o", "out", "--incude-drafts"], "did you mean '--include-drafts'?"),
        (["convert", "x.xml", "-o", "out", "--media", "downlaod"], "did you mean 'download'?"),
        (["convrt", "x.xml"], "did you mean 'convert'?"),
        (["validate", "x.xml", "--formt", "json"], "did you mean '--format'?"),
    ],
)
def test_misspelt_options_get_did_you_mean_and_no_usage_dump(tmp_path: Path, args: list[str], said: str) -> None:
    run = run_cli(*args, cwd=tmp_path)
    assert run.returncode == 2
    assert run.stdout == ""
    assert said in run.stderr
    assert "--help" in run.stderr and len(run.stderr.splitlines()) <= 3, run.stderr  # not the whole usage
