"""Every problem code the package can emit is documented in docs/problems.md."""

from __future__ import annotations

import re

from conftest import ROOT

PATTERNS = [
    re.compile(r'Problem\(\s*"(?:error|warning|info)",\s*"([a-z0-9-]+)"'),
    re.compile(r'Problem\(\s*"(?:error|warning|info)",\s*([A-Z_]+)'),
    re.compile(r'\.report\(\s*"([a-z0-9-]+)"'),
    re.compile(r'_warn\(\s*"([a-z0-9-]+)"'),
]


def emitted_codes() -> set[str]:
    codes: set[str] = set()
    for path in (ROOT / "migrator").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in PATTERNS:
            for name in pattern.findall(text):
                if name.endswith("-"):  # a prefix completed at run time (dropped-<tag>)
                    continue
                if name.isupper():  # a module constant: look up its value
                    m = re.search(rf'^{name}\s*=\s*"([a-z0-9-]+)"', text, re.M)
                    if m:
                        codes.add(m.group(1))
                else:
                    codes.add(name)
    return codes


def test_every_emitted_code_is_documented() -> None:
    documented = (ROOT / "docs" / "problems.md").read_text(encoding="utf-8")
    codes = emitted_codes()
    assert len(codes) > 20
    missing = sorted(c for c in codes if f"`{c}`" not in documented)
    assert not missing, f"undocumented problem codes: {missing}"
