"""For CI users: the pre-commit hook and the composite GitHub Action run ``migrator validate``
as documented (their commands are executed here as pre-commit and the Actions runner would)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT

BIN = Path(sys.executable).parent
CLEAN = FIXTURES / "validate" / "clean.xml"
PROBLEMS = FIXTURES / "validate" / "problems.xml"  # warnings only
TRUNCATED = FIXTURES / "bad" / "truncated.xml"  # an error


def _env() -> dict[str, str]:
    """The environment a hook or an action step runs in: ``migrator`` on PATH."""
    if not (BIN / "migrator").exists():
        pytest.skip("the migrator command is not installed next to this Python")
    return dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")


# -- pre-commit ----------------------------------------------------------------------------------


def _hook() -> dict:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["migrator-validate"]
    return hooks[0]


def test_hook_is_a_python_hook_over_wxr_files() -> None:
    hook = _hook()
    assert hook["language"] == "python"  # pre-commit installs this repository: wp-migrator, command migrator
    assert hook["entry"].split()[:2] == ["migrator", "validate"]
    assert hook["require_serial"] is True  # a split export is validated as one site
    files = re.compile(hook["files"])
    assert all(files.search(n) for n in ("export.xml", "site/part-2.xml.gz", "blog.wxr"))
    assert not any(files.search(n) for n in ("README.md", "export.xml.bak", "notes.txt"))


def _run_hook(*files: Path) -> subprocess.CompletedProcess[str]:
    """As pre-commit runs it: the entry (split like a shell would), its args, then the files."""
    hook = _hook()
    command = [*hook["entry"].split(), *hook.get("args", []), *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, env=_env(), timeout=300)


def test_hook_passes_a_clean_export_and_fails_a_broken_one() -> None:
    assert _run_hook(CLEAN).returncode == 0
    assert _run_hook(PROBLEMS).returncode == 0  # warnings do not block a commit
    broken = _run_hook(CLEAN, TRUNCATED)
    assert broken.returncode == 1
    assert "xml-truncated" in broken.stdout


# -- the composite action -----------------------------------------------------------------------


def _action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text())


def test_action_is_composite_and_installs_itself() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    assert action["inputs"]["files"]["required"] is True
    assert action["inputs"]["fail-on"]["default"] == "error"
    steps = action["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    install = steps[1]
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"  # the action's own version
    assert "pip install" in install["run"] and '"$ACTION_PATH"' in install["run"]
    for step in steps[1:]:
        assert step["shell"] == "bash"
        assert "${{" not in step["run"]  # inputs reach the script through env, never pasted into it


def _run_validate_step(files: str, fail_on: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The action's validate step, run by bash with the inputs in its environment as the runner sets them."""
    step = next(s for s in _action()["runs"]["steps"] if "migrator validate" in s.get("run", ""))
    assert step["env"] == {"FILES": "${{ inputs.files }}", "FAIL_ON": "${{ inputs.fail-on }}"}
    env = dict(_env(), FILES=files, FAIL_ON=fail_on)
    return subprocess.run(
        [shutil.which("bash") or "bash", "-e", "-c", step["run"]],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


def test_action_step_annotates_problems_and_fails_as_asked(tmp_path: Path) -> None:
    exports = tmp_path / "export"
    exports.mkdir()
    shutil.copy(PROBLEMS, exports / "site.xml")
    ok = _run_validate_step("export/*.xml", "error", tmp_path)
    assert ok.returncode == 0, ok.stderr
    lines = ok.stdout.splitlines()
    assert lines and all(line.startswith("::") for line in lines)  # GitHub workflow commands only
    assert any(line.startswith("::warning file=export/site.xml") for line in lines)
    strict = _run_validate_step("export/*.xml", "warning", tmp_path)
    assert strict.returncode == 1


def test_action_step_takes_several_files_and_never_runs_their_names(tmp_path: Path) -> None:
    shutil.copy(CLEAN, tmp_path / "a.xml")
    shutil.copy(TRUNCATED, tmp_path / "b.xml")
    both = _run_validate_step("a.xml b.xml", "error", tmp_path)
    assert both.returncode == 1 and "::error file=b.xml" in both.stdout
    hostile = _run_validate_step("a.xml $(touch pwned) `touch pwned2`;touch pwned3", "error", tmp_path)
    assert hostile.returncode == 2  # names that are no file: unreadable inputs
    assert not list(tmp_path.glob("pwned*"))


def test_ci_docs_show_the_action_and_the_hook() -> None:
    text = (ROOT / "docs" / "ci.md").read_text()
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", text, re.S)]
    steps = [s for b in blocks if isinstance(b, dict) for job in b.get("jobs", {}).values() for s in job["steps"]]
    action = [s for s in steps if str(s.get("uses", "")).endswith("/migrator@v1")]
    assert action and set(action[0]["with"]) <= set(_action()["inputs"])
    hooks = [h for b in blocks if isinstance(b, dict) for r in b.get("repos", []) for h in r["hooks"]]
    assert [h["id"] for h in hooks] == [_hook()["id"]]
