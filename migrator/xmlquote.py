"""XML character data and attribute values, escaped.

What ``xml.sax.saxutils``' ``escape`` and ``quoteattr`` give, without importing that module: it
imports ``urllib.request`` and with it ``http.client``, ``email`` and ``ssl``, a tenth of a second
at the start of every command that reads an export or writes a JUnit report.
"""

from __future__ import annotations

#: Characters an XML parser would turn into spaces inside an attribute value.
_ATTRIBUTE_SPACES = str.maketrans({"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def escape(text: str) -> str:
    """``text`` as character data: ``&``, ``<`` and ``>`` as entities."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """``text`` as a quoted attribute value: escaped, line breaks and tabs as character
    references, in double quotes (single quotes when it holds only double ones; ``&quot;`` when
    it holds both)."""
    value = escape(text).translate(_ATTRIBUTE_SPACES)
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', "&quot;") + '"'
