"""Redirect maps read back and applied: Netlify ``_redirects``, nginx, Apache and Caddy rules.

Each reader turns one file into a :class:`RuleSet`; ``RuleSet.match(request, exists)`` answers
what the server would do with a request (a decoded site path and the raw query string): a
:class:`Hit` (redirect, internal rewrite or error status, with the line of the rule) or None
(no rule applies: the server serves its files).  ``exists(path)`` tells whether the site has a
file at a path (Netlify serves an existing file instead of applying an unforced rule).

Only what decides where a URL goes is modelled, as each server documents it:

* Netlify: first matching line wins; ``:placeholder`` and ``*``/``:splat``; query parameters
  (``id=:id``); ``!`` forces a rule over an existing file (shadowing); trailing slash ignored;
  lines with conditions (``Country=``, ``Role=``...) are never applied here.
* nginx: server-level ``if``/``rewrite``/``return`` first, then the location (``=`` exact,
  longest prefix, ``^~``, regex ``~``/``~*``); ``if`` on ``$arg_NAME``, ``$args``, ``$uri``,
  ``$request_uri``; ``$1``, ``$arg_NAME``, ``$args``, ``$is_args`` in targets.
* Apache: ``RewriteEngine``, ``RewriteCond`` (``%{QUERY_STRING}``, ``%{REQUEST_URI}``, ``-f``,
  ``-d``; ``[NC]``, ``[OR]``), ``RewriteRule`` (``[R=301]``, ``[L]``, ``[QSD]``, ``[QSA]``,
  ``[F]``, ``[G]``, ``[NC]``), ``Redirect``, ``RedirectMatch``, ``RedirectPermanent``.  A file
  named ``.htaccess`` is read in directory context (no leading slash), any other as server
  configuration.
* Caddy: ``redir [matcher] to [code]`` with path matchers (exact or ``*`` wildcards, case
  insensitive) and named matchers (``@name { path ...; query k=v }``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ...output.redirects import FILES
from .apache import read_apache
from .base import REDIRECT_STATUSES, Exists, Hit, Request, RuleSet, norm
from .caddy import read_caddy
from .netlify import read_netlify
from .nginx import read_nginx

__all__ = [
    "FORMATS",
    "READERS",
    "REDIRECT_STATUSES",
    "Exists",
    "Hit",
    "Request",
    "RuleSet",
    "find_rule_files",
    "load",
    "norm",
]

#: The formats read back (``redirects.csv`` is data, not a server's rules).
FORMATS = ("netlify", "nginx", "apache", "caddy")


READERS: dict[str, Callable[[str, Path], RuleSet]] = {
    "netlify": read_netlify,
    "nginx": read_nginx,
    "apache": read_apache,
    "caddy": read_caddy,
}


def load(path: Path, fmt: str) -> RuleSet:
    """Read ``path`` as a ``fmt`` redirect file (never raises for bad lines: they are kept
    in ``unread``)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return READERS[fmt](text, path)


def find_rule_files(
    folder: Path, formats: tuple[str, ...] = FORMATS, files: list[str] | tuple[str, ...] = ()
) -> list[tuple[str, Path]]:
    """(format, path) of the redirect files ``convert`` wrote into ``folder``: the one the
    manifest's ``files`` lists under the format's name (Netlify's ``_redirects`` is in the folder
    the generator publishes, ``static/_redirects`` for Hugo), else the file at the root."""
    found = []
    for fmt in formats:
        listed = sorted(
            (f for f in files if isinstance(f, str) and f.rsplit("/", 1)[-1] == FILES[fmt]),
            key=lambda f: (f.count("/"), f),
        )
        for rel in (*listed, FILES[fmt]):
            if (folder / rel).is_file():
                found.append((fmt, folder / rel))
                break
    return found
