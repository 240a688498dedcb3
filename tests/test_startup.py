"""What a command loads before it does anything: no HTTP library unless it uses the network.

``requests`` and ``urllib3`` (with ``http.client``, ``email``, ``ssl``) take about a tenth of a
second to import, and a conversion of an export without media downloads never connects
anywhere: they are imported by the first fetch (:mod:`migrator.net`).  Each case runs in a
fresh interpreter, whose ``sys.modules`` shows what was loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from xml.sax import saxutils

from conftest import FIXTURES, ROOT
from hypothesis import given
from hypothesis import strategies as st

from migrator.xmlquote import escape, quoteattr

#: Loaded by requests (and by ``xml.sax.saxutils``, through ``urllib.request``).
HTTP_MODULES = ("requests", "urllib3", "http.client")

_REPORT = """
import json, sys
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("requests", "urllib3") or m == "http.client")))
"""


def loaded_after(code: str, cwd: Path) -> list[str]:
    """The HTTP modules a fresh interpreter has loaded after running ``code``."""
    done = subprocess.run(
        [sys.executable, "-c", code + _REPORT],
        cwd=cwd,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_the_command_starts_without_an_http_library(tmp_path: Path) -> None:
    assert loaded_after("import migrator.cli, migrator.pipeline, migrator.verify", tmp_path) == []


def test_converting_an_export_loads_no_http_library(tmp_path: Path) -> None:
    code = f"import migrator\nmigrator.convert([{str(FIXTURES / 'sample-export.xml')!r}], 'out')\n"
    assert loaded_after(code, tmp_path) == []
    assert list((tmp_path / "out").rglob("*.md"))  # it did convert


def test_downloading_media_loads_requests(tmp_path: Path) -> None:
    """The first fetch brings requests and urllib3 in (and the watched adapter made from them works)."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    code = f"""
import functools, http.server, threading
from migrator.output.media import Downloader
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
handler = functools.partial(Quiet, directory={str(tmp_path / "site")!r})
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
url = f"http://127.0.0.1:{{server.server_address[1]}}/a.png"
results = Downloader(["127.0.0.1"], allow_private_hosts=True, retries=0).download_all([(url, "a.png")], "out")
assert results[url].status == "downloaded", results
server.shutdown()
"""
    assert {"requests", "urllib3"} <= set(loaded_after(code, tmp_path))
    assert (tmp_path / "out" / "a.png").read_bytes() == (tmp_path / "site" / "a.png").read_bytes()


@given(st.text(alphabet=st.sampled_from("ab &<>\"'\n\r\t;#é\x00")))
def test_xml_quoting_is_saxutils(text: str) -> None:
    """migrator.xmlquote gives what xml.sax.saxutils gives (which loads urllib.request and ssl)."""
    assert escape(text) == saxutils.escape(text)
    assert quoteattr(text) == saxutils.quoteattr(text)
