"""The round trip of docs/verify.md against the real WordPress, for Hugo and Jekyll.

The export of the running WordPress is converted for the generator (``--scaffold``, media
downloaded, every redirect map), built with the real generator, served on 127.0.0.1, and
``migrator verify`` checks it against the live site (its REST API):

* every published post, page and attachment is verified, and every problem the clean site
  shows is one of the explained kinds below (conversion faults reported to the lead, content
  WordPress generates at view time, links convert keeps on the old site);
* with the redirect maps that have no known conversion fault, the clean site passes (exit 0);
* four faults injected into a copy of the built site (a page deleted, an image removed, a
  redirect rule corrupted, a paragraph changed) are each named with their code, and nothing
  else is reported (exit 1).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from migrator.verify.converted import read_converted

ROOT = Path(__file__).resolve().parents[2]
GENERATORS = {
    "hugo": (["hugo", "--quiet", "--destination", "public"], "public"),
    "jekyll": (["jekyll", "build", "--quiet"], "_site"),
}
MAPS = "netlify,nginx,apache,caddy"
#: The WordPress's uploads (../shared/realwp/README.md): media copied without HTTP when readable.
UPLOADS = Path("/var/lib/wordpress/wp-content/uploads")
SOUND_MAPS = MAPS  # every map convert writes (each was once a known fault: see git history)

#: What the clean site may show, each with why.  Anything else fails the test.
EXPLAINED = [
    (
        "content WordPress generates at view time (dynamic blocks: latest posts, archives, calendar...); "
        "convert reports dynamic-block for these pages",
        lambda p: (
            p["code"] == "verify-content-differs"
            and p["severity"] == "warning"
            and "convert reported dynamic-block" in p["message"]
        ),
    ),
    (
        "galleries WordPress shuffles on every view (orderby=rand): the old page shows one order of many, "
        "convert keeps one fixed order and reports gallery-random-order",
        lambda p: (
            p["code"] == "verify-content-differs"
            and p["severity"] == "warning"
            and "; convert reported " in p["message"]
            and "gallery-random-order" in p["message"].rsplit("; convert reported ", 1)[1]
        ),
    ),
    (
        "links convert keeps on the old site on purpose (WordPress endpoints such as /wp-admin/ in the sample page)",
        lambda p: p["code"] == "verify-link-broken" and p["severity"] == "warning",
    ),
    (
        "images convert reported it could not bring along (media-download-failed: none expected, the uploads are "
        "copied when readable, else downloaded from the busy shared WordPress)",
        lambda p: p["code"] == "verify-image-missing" and p["severity"] == "warning",
    ),
]


def run(*args: str, cwd: Path | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


class Built:
    def __init__(self, name: str, out: Path, site: Path, cache: Path):
        self.name, self.out, self.site, self.cache = name, out, site, cache
        self.results: dict[str, tuple[int, dict]] = {}


@pytest.fixture(scope="module", params=sorted(GENERATORS))
def built(request, realwp, need, tmp_path_factory) -> Built:
    """The export converted for the generator and built with it (once per generator)."""
    name = request.param
    need(name)
    command, folder = GENERATORS[name]
    root = tmp_path_factory.mktemp(f"realwp-{name}")
    out = root / "out"
    media = (
        ["--media-from", str(UPLOADS)]
        if os.access(UPLOADS, os.R_OK | os.X_OK)
        else ["--media", "download", "--allow-private-hosts"]
    )
    convert = run(
        sys.executable,
        "-m",
        "migrator",
        "convert",
        str(realwp["export"]),
        "-o",
        str(out),
        "--target",
        name,
        "--scaffold",
        *media,
        "--redirects",
        MAPS,
        "-q",
    )
    assert convert.returncode == 0, convert.stderr[-3000:]
    build = run(*command, cwd=out)
    assert build.returncode == 0, f"{name} build failed:\n{build.stdout[-3000:]}\n{build.stderr[-3000:]}"
    return Built(name, out, out / folder, root / "old-site-cache")


def verify(built: Built, realwp: dict, address: str, converted: Path, maps: str) -> tuple[int, dict]:
    """``migrator verify`` (the real command) of the served site against the live WordPress."""
    result = run(
        sys.executable,
        "-m",
        "migrator",
        "verify",
        realwp["url"],
        address,
        "--converted",
        str(converted),
        "--redirects",
        maps,
        "--allow-private-hosts",
        "--rate",
        "100",
        "--cache",
        str(built.cache),
        "--format",
        "json",
    )
    assert result.returncode in (0, 1), result.stdout[-3000:] + result.stderr[-3000:]
    return result.returncode, json.loads(result.stdout)


def clean(built: Built, realwp: dict, serve, maps: str) -> tuple[int, dict]:
    if maps not in built.results:
        if "address" not in built.results:
            built.results["address"] = (0, {"url": serve(built.site)})
        built.results[maps] = verify(built, realwp, built.results["address"][1]["url"], built.out, maps)
    return built.results[maps]


def rows(data: dict) -> Counter:
    return Counter((p["code"], p["severity"], p["id"], Path(p["source"] or "").name) for p in data["problems"])


def test_every_published_item_verified_or_explained(built, realwp, serve):
    code, data = clean(built, realwp, serve, MAPS)
    counts = data["summary"]["counts"]
    counts["errors"] = [p for p in data["problems"] if p["check"] in ("input", "old-site")]  # shown on failure
    totals = realwp["totals"]  # published, as the WordPress REST API counts them
    protected = counts["not_verified"].get("not converted (password-protected)", 0)
    assert counts["verified"]["post"] + protected == totals["posts"], counts
    assert counts["verified"]["page"] == totals["pages"], counts
    assert counts["verified"]["attachment"] == totals["media"], counts
    assert set(counts["not_verified"]) <= {"not converted (password-protected)"}, counts
    assert len(counts["redirect_maps"]) == 4 and counts["old_urls"] > 4 * (totals["posts"] + totals["pages"])
    unexplained = [p for p in data["problems"] if not any(test(p) for _why, test in EXPLAINED)]
    assert not unexplained, json.dumps(unexplained[:10], indent=1, ensure_ascii=False)
    assert code == (1 if data["summary"]["error"] else 0)
    for why, test in EXPLAINED:  # shown with -rA / on failure: how many of each
        print(f"{built.name}: {sum(1 for p in data['problems'] if test(p))} x {why}")


def test_sound_maps_pass(built, realwp, serve):
    code, data = clean(built, realwp, serve, SOUND_MAPS)
    assert code == 0, [p for p in data["problems"] if p["severity"] == "error"][:5]
    assert {p["severity"] for p in data["problems"]} <= {"warning"}


def test_injected_faults_are_named_and_nothing_else(built, realwp, serve, tmp_path):
    _code, before = clean(built, realwp, serve, SOUND_MAPS)
    faulty = tmp_path / "out"
    shutil.copytree(built.out, faulty, symlinks=True)
    site = faulty / built.site.name
    converted = read_converted(faulty)
    quiet = {p["id"] for p in before["problems"]}  # items with no problem on the clean site
    pages = {
        page.id: page
        for page in converted.pages.values()
        if page.id not in quiet and page.url and (site / page.url.strip("/") / "index.html").is_file()
    }
    html = {i: (site / page.url.strip("/") / "index.html").read_text(encoding="utf-8") for i, page in pages.items()}
    chosen: set[str] = set()
    expected: set[tuple] = set()

    def pick(test) -> str:
        found = next(i for i in sorted(pages, key=int) if i not in chosen and test(i))
        chosen.add(found)
        return found

    # 1. delete a page that other pages link to
    linked = Counter(href for text in html.values() for href in re.findall(r'href="([^"#?]+)"', text))
    gone = (
        pick(lambda i: linked[pages[i].url] > 0 or linked[pages[i].url.rstrip("/")] > 0)
        if any(linked[p.url] for p in pages.values())
        else pick(lambda i: True)
    )
    shutil.rmtree(site / pages[gone].url.strip("/"))
    expected.add(("verify-missing-page", "error", gone, Path(pages[gone].path).name))

    # 2. remove an image shown on exactly one page
    shown = Counter(src for text in html.values() for src in set(re.findall(r'<img[^>]* src="(/media/[^"]+)"', text)))
    image_page = pick(lambda i: any(shown[s] == 1 for s in re.findall(r'<img[^>]* src="(/media/[^"]+)"', html[i])))
    image = next(s for s in re.findall(r'<img[^>]* src="(/media/[^"]+)"', html[image_page]) if shown[s] == 1)
    (site / image.lstrip("/")).unlink()
    expected.add(("verify-image-missing", "error", image_page, Path(pages[image_page].path).name))

    # 3. corrupt the nginx rule of one post's ?p=N URL
    nginx = faulty / "redirects.nginx.conf"
    text = nginx.read_text(encoding="utf-8")
    rule_post = pick(lambda i: f"if ($arg_p = {i}) " in text)
    text = re.sub(rf"(if \(\$arg_p = {rule_post}\) {{ return 301 )[^;]+;", r"\1/no-such-page/;", text)
    nginx.write_text(text, encoding="utf-8")
    expected.add(("verify-redirect-broken", "error", rule_post, "redirects.nginx.conf"))

    # 4. change a paragraph (of at least 25 words) on another page
    def long_paragraph(text: str) -> str | None:
        return next((p for p in re.findall(r"<p>([^<]+)</p>", text) if len(re.findall(r"\w+", p)) >= 25), None)

    edited = pick(lambda i: long_paragraph(html[i]) is not None)
    page_file = site / pages[edited].url.strip("/") / "index.html"
    paragraph = long_paragraph(html[edited])
    page_file.write_text(
        html[edited].replace(
            paragraph,
            "This paragraph was rewritten by hand after the "
            "conversion, so the new page no longer says what the old one said.",
        ),
        encoding="utf-8",
    )
    expected.add(("verify-content-differs", "error", edited, Path(pages[edited].path).name))

    code, after = verify(built, realwp, serve(site), faulty, SOUND_MAPS)
    new = rows(after) - rows(before)
    assert set(new) == expected, json.dumps(
        [p for p in after["problems"] if p["id"] in chosen], indent=1, ensure_ascii=False
    )[:5000]
    assert all(n == 1 for n in new.values())
    assert code == 1
    for p in after["problems"]:  # shown with -rA: what verify said about each fault
        if (p["code"], p["severity"], p["id"], Path(p["source"] or "").name) in expected:
            print(
                f"{built.name}: {p['code']} {p['id']} {Path(p['source']).name}:{p['line'] or ''} {p['message'][:300]}"
            )
