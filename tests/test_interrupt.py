"""Ending a run early (SIGTERM, Ctrl-C): a clean exit, temporary files removed, no traceback.

The tests wait for what the run has done (files it wrote, worker processes it forked), never for
a length of time, and their time limits only end a run that hangs: a loaded machine makes the run
slower, not the test wrong."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

#: Items of the generated export: pass 2 lasts seconds, so the signal finds the run converting.
ITEMS = 400
#: Seconds after which a run is taken to hang (it takes a few without load).
HANG = 300


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from wxrgen import main as generate

    path = tmp_path_factory.mktemp("interrupt") / "big.xml"
    generate([str(ITEMS), str(path)])
    return path


@pytest.fixture
def run(tmp_path: Path, ctrl_c_reaches_children) -> Iterator[Callable[..., tuple[subprocess.Popen, Path]]]:
    """``run(export, jobs)`` starts ``migrator convert`` in its own process group, with its own
    TMPDIR (returned with it); a process still running at the end is killed with its group."""
    started: list[subprocess.Popen] = []
    scratch = tmp_path / "tmp"
    scratch.mkdir()

    def start(export: Path, jobs: str) -> tuple[subprocess.Popen, Path]:
        proc = subprocess.Popen(
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
                jobs,
            ],
            env=dict(os.environ, TMPDIR=str(scratch), PYTHONPATH=str(ROOT)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        started.append(proc)
        return proc, scratch

    yield start
    for proc in started:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()


def wait_until(proc: subprocess.Popen, condition: Callable[[], bool], pause: float = 0.05) -> None:
    """Poll ``condition`` while ``proc`` runs (a run that ends or hangs first fails the test)."""
    deadline = time.monotonic() + HANG
    while not condition():
        assert proc.poll() is None, ("the run ended first", proc.returncode, proc.communicate())
        assert time.monotonic() < deadline, "the run did not get there"
        time.sleep(pause)


def interrupt(proc: subprocess.Popen, sig: int) -> bytes:
    """Send ``sig`` (Ctrl-C reaches the whole process group, as from a terminal); its stderr."""
    os.killpg(proc.pid, sig) if sig == signal.SIGINT else proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=HANG)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the run did not end within {HANG} s of signal {sig}")
    return err


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_stopped_run_leaves_no_temporary_folder(
    tmp_path: Path, export: Path, run, sig: int, code: int, jobs: str
) -> None:
    proc, scratch = run(export, jobs)
    out = tmp_path / "out"
    wait_until(proc, lambda: out.is_dir() and any(out.rglob("*.md")))  # pass 2 has begun
    assert any(scratch.iterdir())  # the index database is there while the run goes on
    err = interrupt(proc, sig)
    assert proc.returncode == code, err
    assert b"Traceback" not in err, err
    assert list(scratch.iterdir()) == []
    assert not (out / "manifest.json").exists()  # stopped before the end
    if sig == signal.SIGINT:  # Ctrl-C says how to finish, and doing so finishes the job
        assert b"Run the same command again to finish the job" in err
        if jobs == "1":
            again, _ = run(export, "2")
            _, err = again.communicate(timeout=HANG)
            assert again.returncode == 0, err
            assert (out / "manifest.json").is_file()
            assert list(scratch.iterdir()) == []


def children(pid: int) -> list[str]:
    """The processes ``pid``'s main thread has forked (none once it has ended)."""
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (FileNotFoundError, ProcessLookupError):
        return []


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_as_the_workers_start(tmp_path: Path, export: Path, run, sig: int, code: int) -> None:
    """The signal comes the moment ``--jobs 2`` forks its workers: it was lost in the interpreter's
    after-fork hooks (the run went on, or hung for ever on the lock a hook had not released), or
    a worker not yet ignoring Ctrl-C printed a traceback; 8 runs in 10 went wrong."""
    if not Path(f"/proc/self/task/{os.getpid()}/children").exists():
        pytest.skip("no /proc/PID/task/TID/children here to see the workers start")
    for _ in range(3):
        proc, scratch = run(export, "2")
        wait_until(proc, lambda: bool(children(proc.pid)), pause=0)
        err = interrupt(proc, sig)
        assert proc.returncode == code, err
        assert b"Traceback" not in err and b"Exception ignored" not in err, err
        assert list(scratch.iterdir()) == []


#: Run in a child Python: Ctrl-C arrives while the command is loading the tool (a module the
#: tool imports, lxml, raises it as it is found), then ``migrator.entry.main`` runs as the
#: installed ``migrator`` command does.
_CTRL_C_WHILE_LOADING = """
import sys
class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "lxml":
            raise KeyboardInterrupt
sys.meta_path.insert(0, CtrlC())
from migrator.entry import main
sys.argv = ["migrator", "--version"]
raise SystemExit(main())
"""


def test_ctrl_c_while_the_tool_loads_is_a_clean_exit() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _CTRL_C_WHILE_LOADING],
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=HANG,
    )
    assert done.returncode == 130, done.stderr
    assert done.stderr == "migrator: interrupted\n"


def test_the_command_listens_for_ctrl_c_before_the_tool_loads() -> None:
    """``import migrator`` (what the command's entry point imports first) loads none of the
    tool: a Ctrl-C meanwhile could only end in a traceback."""
    code = "import sys, migrator, migrator.entry; print(sorted(m for m in sys.modules if m.startswith(('migrator', 'lxml'))))"
    done = subprocess.run(
        [sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True
    )
    assert done.stdout.strip() == "['migrator', 'migrator._version', 'migrator.entry']", done.stderr


def test_the_public_api_loads_on_first_use() -> None:
    import migrator
    from migrator import pipeline
    from migrator.options import Options

    import migrator.validate

    assert migrator.convert is pipeline.convert and migrator.Options is Options
    assert callable(migrator.validate)  # the function, not its module of the same name
    assert set(migrator.__all__) <= set(dir(migrator))
    with pytest.raises(AttributeError, match="no_such_name"):
        migrator.no_such_name  # noqa: B018
