"""The distribution: its name, licence, typing marker, and a wheel that installs without a warning.

The wheel is built offline with the test environment's own setuptools (no build isolation, no
index) and installed, without dependencies, into a fresh virtualenv that borrows the test
environment's dependencies; the command of that install must run.
"""

from __future__ import annotations

import email
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
NAME = PYPROJECT["project"]["name"]
WARNING = re.compile(r"warn|deprecat", re.I)


def test_distribution_name_is_not_the_command_name() -> None:
    """``migrator`` on the package index is an unrelated 2015 project: ours is ``wp-migrator``;
    the command and the import package stay ``migrator``."""
    assert NAME == "wp-migrator"
    assert PYPROJECT["project"]["scripts"] == {"migrator": "migrator.entry:main"}


def test_licence_is_an_spdx_expression_with_its_file() -> None:
    project = PYPROJECT["project"]
    assert project["license"] == "MIT"  # PEP 639: a string, not the deprecated {text = ...} table
    assert project["license-files"] == ["LICENSE"]
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    assert not any(c.startswith("License ::") for c in project.get("classifiers", []))  # deprecated with PEP 639


def test_docs_install_exactly_the_distribution() -> None:
    """docs/ci.md installs our distribution by name; no doc installs the unrelated ``migrator``."""
    names = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for m in re.finditer(r"pip install (?:-\S+ )*([^\s`#]+)", doc.read_text()):
            names.append((doc.name, re.split(r"[\[=<>~!]", m.group(1))[0]))
    assert ("ci.md", NAME) in names
    assert [n for n in names if n[1] == "migrator"] == []


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    setuptools = pytest.importorskip("setuptools")
    if int(setuptools.__version__.split(".")[0]) < 77:
        pytest.skip("setuptools >= 77 (the test extra) is needed to build the wheel offline")
    out = tmp_path_factory.mktemp("wheel")
    env = dict(os.environ, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PIP_FIND_LINKS", None)
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    wheels = list(out.glob("*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0], build.stdout + build.stderr


def test_wheel_builds_without_warnings(wheel: tuple[Path, str]) -> None:
    _, log = wheel
    assert not WARNING.search(log), log


def test_wheel_holds_the_licence_the_typing_marker_and_the_metadata(wheel: tuple[Path, str]) -> None:
    path, _ = wheel
    assert path.name.startswith("wp_migrator-")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        dist_info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        meta = email.message_from_bytes(zf.read(f"{dist_info}/METADATA"))
        entry_points = zf.read(f"{dist_info}/entry_points.txt").decode()
    assert "migrator/py.typed" in names
    assert f"{dist_info}/licenses/LICENSE" in names
    assert meta["Name"] == NAME
    assert meta["License-Expression"] == "MIT"
    assert meta.get("License") is None  # the deprecated field is not written
    assert "migrator = migrator.entry:main" in entry_points
    assert not [n for n in names if n.startswith(("tests/", "fixtures/", "benchmarks/", "docs/"))]


def test_wheel_installs_into_a_fresh_venv_without_warnings(wheel: tuple[Path, str], tmp_path: Path) -> None:
    path, _ = wheel
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    env = dict(os.environ, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PIP_FIND_LINKS", None)
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    assert not WARNING.search(install.stdout + install.stderr), install.stdout + install.stderr
    # the fresh venv's own migrator first, the test environment's dependencies after it
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    deps = [p for p in sys.path if p.endswith("site-packages")]
    Path(site, "zz-test-deps.pth").write_text("\n".join(deps) + "\n")
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    command = venv / "bin" / "migrator"
    run = subprocess.run(
        [str(command), "--version"], capture_output=True, text=True, timeout=120, env=clean, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("migrator "), run.stdout
    where = subprocess.run(
        [str(python), "-c", "import migrator, pathlib; print(pathlib.Path(migrator.__file__))"],
        capture_output=True,
        text=True,
        check=True,
        env=clean,
        cwd=tmp_path,
    ).stdout.strip()
    assert where.startswith(site), where  # the wheel's copy, not the checkout
    assert Path(where).with_name("py.typed").is_file()


def test_editable_install_prints_no_warning(tmp_path: Path) -> None:
    """``make install`` is an editable install. For a package at the top of the checkout
    setuptools chose its import-hook strategy and emitted an "Editable installation" notice, which
    pip (25 and later) prints; with the package folder declared (package-dir) the install is a
    plain .pth file and emits no warning. The build backend's editable hook runs here as pip runs
    it, on a copy of the project's build inputs."""
    setuptools = pytest.importorskip("setuptools")
    if int(setuptools.__version__.split(".")[0]) < 77:
        pytest.skip("setuptools >= 77 (the test extra) is needed to build offline")
    project = tmp_path / "project"
    shutil.copytree(ROOT / "migrator", project / "migrator", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, project / name)
    out = tmp_path / "wheel"
    out.mkdir()
    hook = "import sys, setuptools.build_meta as b; print(b.build_editable(sys.argv[1]))"
    build = subprocess.run(
        [sys.executable, "-W", "default", "-c", hook, str(out)],
        capture_output=True,
        text=True,
        cwd=project,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    assert not re.search(r"\w+Warning:|InformationOnly:|Editable installation\.", build.stderr), build.stderr
    wheel = out / build.stdout.strip().splitlines()[-1]
    with zipfile.ZipFile(wheel) as zf:
        pth = [n for n in zf.namelist() if n.endswith(".pth")]
        assert len(pth) == 1, zf.namelist()
        assert zf.read(pth[0]).decode().strip() == str(project.resolve())  # the checkout on sys.path
