"""Opt-in suites against the real WordPress of ``../shared/realwp`` (``make test-wordpress``).

They run when asked for: ``make test-wordpress`` (which starts the WordPress first), ``pytest
tests/wordpress`` or ``MIGRATOR_REALWP=1``; a plain ``make test`` skips them, saying how to run
them.  Each test asks for what it needs through the fixtures below, which skip with the reason
when the WordPress is not answering or a site generator is not installed.
"""

from __future__ import annotations

import os
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

HERE = Path(__file__).resolve().parent
SITE = os.environ.get("REALWP_URL", "http://127.0.0.1:8088/")
EXPORT = Path(os.environ.get("REALWP_EXPORT", Path.home() / ".cache" / "realwp" / "export.xml"))


def _asked_for(config: pytest.Config) -> bool:
    if os.environ.get("MIGRATOR_REALWP"):
        return True
    for arg in config.args:
        path = Path(arg.split("::", 1)[0]).resolve()
        if path == HERE or HERE in path.parents:
            return True
    return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _asked_for(config):
        return
    skip = pytest.mark.skip(
        reason="opt-in suite against the real WordPress: run `make test-wordpress` (or pytest tests/wordpress)"
    )
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def realwp() -> dict:
    """The running WordPress (its address, REST totals) and its export; skips when absent."""
    if not EXPORT.is_file():
        pytest.skip(f"no export at {EXPORT}: start the real WordPress with ../shared/realwp/up.sh")
    try:
        home = requests.get(SITE, timeout=10)
        totals = {
            kind: int(
                requests.get(f"{SITE}wp-json/wp/v2/{kind}", params={"per_page": 1}, timeout=30).headers["X-WP-Total"]
            )
            for kind in ("posts", "pages", "media")
        }
    except (requests.RequestException, KeyError, ValueError) as exc:
        pytest.skip(
            f"the real WordPress does not answer at {SITE} ({type(exc).__name__}): start it with ../shared/realwp/up.sh"
        )
    if home.status_code != 200:
        pytest.skip(f"the real WordPress answers HTTP {home.status_code} at {SITE}")
    return {"url": SITE, "export": EXPORT, "totals": totals}


@pytest.fixture(scope="session")
def need():
    """``need("hugo")``: the path of a site generator's command; skips when it is not installed."""

    def find(tool: str) -> str:
        found = shutil.which(tool)
        if found is None:
            pytest.skip(f"{tool} is not installed (apt-get install {tool}; .ci/run installs it)")
        return found

    return find


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def serve():
    """``serve(folder)``: the folder served on 127.0.0.1 (a free port) until the module ends; its URL."""
    servers: list[ThreadingHTTPServer] = []

    def start(folder: Path) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
