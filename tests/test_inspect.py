"""migrator inspect: counts that match the fixtures' README tables."""

from __future__ import annotations

import json

from conftest import FIXTURES, run_cli
from migrator.inspect import inspect_inputs, render_inspection


def test_sample_export_summary():
    s = inspect_inputs([FIXTURES / "sample-export.xml"])
    assert s["wxr_version"] == "1.2" and s["site"]["title"] == "Harbour Notes"
    assert s["items"] == 34
    assert s["types"]["attachment"] == 6 and s["types"]["page"] == 3
    assert s["by_type_status"]["post/draft"] == 1 and s["statuses"]["future"] == 1
    assert [a["login"] for a in s["authors"]] == ["harbourmaster", "tidewatch"]
    assert s["shortcodes"]["gallery"] >= 2 and s["shortcodes"]["contact-form-7"] == 1
    assert "gallery" in s["shortcodes"] and "[gallery]" not in s["shortcodes"]
    assert s["blocks"]["core/paragraph"] >= 1 and "core/gallery" in s["blocks"]
    assert "harbour.example.com" in s["media_hosts"]
    assert s["date_range"]["first"] < s["date_range"]["last"]
    assert s["date_range"]["last"].startswith("2031")  # the scheduled post


def test_split_export_is_one_site():
    s = inspect_inputs([FIXTURES / "split" / "part-1.xml", FIXTURES / "split" / "part-2.xml"])
    assert s["items"] == 8 and s["wxr_version"] == "1.1"
    folder = inspect_inputs([FIXTURES / "split"])  # the folder holding the parts, as convert reads it
    assert folder["items"] == 8 and folder["types"] == s["types"] and folder["unreadable"] == []


def test_cli_text_and_json():
    text = run_cli("inspect", str(FIXTURES / "validate" / "clean.xml"))
    assert text.returncode == 0 and "Quay Notes" in text.stdout and "core/image" in text.stdout
    data = json.loads(run_cli("inspect", "--format", "json", str(FIXTURES / "validate" / "clean.xml")).stdout)
    assert data["types"] == {"post": 2, "attachment": 1}
    assert data["top_terms"] == {"category:notes": 1, "post_tag:walks": 1}
    bad = run_cli("inspect", str(FIXTURES / "bad" / "empty.xml"))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_render_is_deterministic():
    s = inspect_inputs([FIXTURES / "sample-export.xml"])
    assert render_inspection(s) == render_inspection(inspect_inputs([FIXTURES / "sample-export.xml"]))
