"""The network: where migrator may connect, and how it asks.

* :mod:`~migrator.net.safety`: URL safety (http(s) only, host allow-lists, public addresses).
* :mod:`~migrator.net.fetch`: what every HTTP user shares: the User-Agent, the retry policy
  (``Options.http_retries``), per-host limits and rate, one session, redirects checked hop by hop,
  a pool of threads that stops at once (``Fetcher.map``, ``Fetcher.cancel``).
* :mod:`~migrator.net.deadline`: the total time of one fetch (``Options.http_max_time``) and the
  watchdog that ends requests past it, or all of them when the run stops.
* :mod:`~migrator.net.client`: the live-site client (REST reader and crawler): the HTTP
  cache, robots.txt, answers kept whole.

The media downloader (:mod:`migrator.output.media`) is a :class:`Fetcher` too.  Readers and
writers both use this package; it uses neither.

``requests`` and ``urllib3`` (a tenth of a second to import, with ``http.client``, ``email`` and
``ssl``) are imported by the first fetch, not by this package: a command that connects nowhere
(a conversion without ``--media download``, ``validate``, ``check``) never loads them
(``tests/test_startup.py``).  Modules here and their users import them inside the functions
that use them, and for annotations only under ``TYPE_CHECKING``.
"""

from .client import DiskCache, FetchError, HttpClient, Response
from .deadline import MAX_FETCH_TIME, STOPPED, Deadline, Watchdog
from .errors import Cancelled, Failure, GaveUp, OutOfTime, Transient, UrlRefused
from .fetch import (
    CHUNK,
    GRACE,
    MAX_REDIRECTS,
    MAX_RETRY_AFTER,
    REDIRECT_CODES,
    RETRIES,
    USER_AGENT,
    Fetcher,
    HostLimits,
    RetryPolicy,
    parse_retry_after,
    transfer_errors,
    transient_status,
)
from .safety import (
    WPCOM_MEDIA_HOSTS,
    address_is_public,
    allowed_hosts_for,
    check_fetch_url,
    host_allowed,
    normalise_host,
    normalise_host_pattern,
)

__all__ = [
    "CHUNK",
    "GRACE",
    "MAX_FETCH_TIME",
    "MAX_REDIRECTS",
    "MAX_RETRY_AFTER",
    "REDIRECT_CODES",
    "RETRIES",
    "STOPPED",
    "USER_AGENT",
    "WPCOM_MEDIA_HOSTS",
    "Cancelled",
    "Deadline",
    "DiskCache",
    "Failure",
    "FetchError",
    "Fetcher",
    "GaveUp",
    "HostLimits",
    "HttpClient",
    "OutOfTime",
    "Response",
    "RetryPolicy",
    "Transient",
    "UrlRefused",
    "Watchdog",
    "address_is_public",
    "allowed_hosts_for",
    "check_fetch_url",
    "host_allowed",
    "normalise_host",
    "normalise_host_pattern",
    "parse_retry_after",
    "transfer_errors",
    "transient_status",
]
