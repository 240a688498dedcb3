"""Ending a run early (SIGTERM, Ctrl-C): a clean exit, temporary files removed, no traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_stopped_run_leaves_no_temporary_folder(tmp_path: Path, sig: int, code: int, jobs: str) -> None:
    from wxrgen import main as generate

    export = tmp_path / "big.xml"
    generate(["3000", str(export)])
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = dict(os.environ, TMPDIR=str(scratch), PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "migrator", "convert", str(export), "-o", str(tmp_path / "out"), "-q", "--jobs", jobs],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not (tmp_path / "out").is_dir() or not any((tmp_path / "out").rglob("*.md")):  # pass 2 has begun
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    assert any(scratch.iterdir())  # the index database is there while the run goes on
    os.killpg(proc.pid, sig) if sig == signal.SIGINT else proc.send_signal(sig)  # Ctrl-C reaches the group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code
    assert b"Traceback" not in err
    assert list(scratch.iterdir()) == []
    if sig == signal.SIGINT:  # Ctrl-C says how to finish, and doing so finishes the job
        assert b"Run the same command again to finish the job" in err
        if jobs == "1":
            again = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "migrator",
                    "convert",
                    str(export),
                    "-o",
                    str(tmp_path / "out"),
                    "-q",
                    "--jobs",
                    "2",
                ],
                env=env,
                capture_output=True,
                timeout=300,
            )
            assert again.returncode == 0, again.stderr
            assert (tmp_path / "out" / "manifest.json").is_file()
