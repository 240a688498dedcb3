"""How long one fetch may take, and ending fetches early.

A :class:`Deadline` is the time one fetch may take in all: every attempt, redirect and wait
between attempts (``--max-fetch-time``).  A socket timeout cannot enforce it: a server that
sends one byte every few seconds resets the timeout with each byte, and a request blocked on a
socket does not look at any clock.  So a :class:`Watchdog` thread ends a request whose deadline
has passed, and every request at once when the run stops (:meth:`Watchdog.cancel`), by shutting
down the sockets it uses: a thread blocked reading one wakes up at once, wherever it is (the
status line, the headers, the body).

The sockets come from :func:`watched_adapter`, the transport adapter of every
:class:`~migrator.net.fetch.Fetcher` session: a connection it opens, or reuses for a request,
joins the :class:`Watch` of the thread that uses it.  Its classes (subclasses of requests' and
urllib3's) are made on first use: a run that fetches nothing never loads either library.
"""

from __future__ import annotations

import contextlib
import functools
import math
import socket
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .errors import Cancelled, Failure, OutOfTime

if TYPE_CHECKING:
    from requests.adapters import HTTPAdapter

#: Seconds one fetch may take by default (``Options.http_max_time``, ``--max-fetch-time``):
#: a 50 MB file (the default size cap) needs about 170 kB/s to arrive in time.
MAX_FETCH_TIME = 300.0

STOPPED = "stopped: the run is ending"

_local = threading.local()  # .watch: the Watch of the request this thread is making


class Deadline:
    """``seconds`` for one fetch (None: no bound), counted from :meth:`start`: the first request,
    not the wait for a free connection to the host."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds if seconds is not None and seconds > 0 else None
        self.end: float | None = None  # time.monotonic() when the time is up, once started

    def start(self) -> None:
        if self.end is None and self.seconds is not None:
            self.end = time.monotonic() + self.seconds

    def remaining(self) -> float:
        if self.seconds is None:
            return math.inf
        if self.end is None:
            return self.seconds
        return self.end - time.monotonic()

    def expired(self) -> bool:
        return self.remaining() <= 0

    def cap(self, timeout: float) -> float:
        """``timeout``, or less when less time is left (never zero: requests refuses that)."""
        return min(timeout, max(self.remaining(), 0.001))

    def failure(self) -> OutOfTime:
        return OutOfTime(f"took longer than {self.seconds:g} s (--max-fetch-time)")


class Watch:
    """One request under watch: its deadline, the sockets it uses, and why it was ended."""

    def __init__(self, deadline: Deadline):
        self.deadline = deadline
        self.ended: Failure | None = None
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def attach(self, sock: socket.socket) -> None:
        with self._lock:
            if not any(s is sock for s in self._sockets):
                self._sockets.append(sock)
            ended = self.ended
        if ended is not None:  # ended while this connection was being opened
            _shut(sock)

    def end(self, why: Failure) -> None:
        with self._lock:
            if self.ended is None:
                self.ended = why
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def check(self) -> None:
        """Raise why the request was ended, if it was (a fresh exception each time)."""
        ended = self.ended
        if ended is not None:
            raise type(ended)(ended.reason)


def check_current() -> None:
    """Raise why the current thread's request was ended, if it was: a body cut by the watchdog can
    look complete (a response without ``Content-Length`` ends where its connection ends)."""
    watch = getattr(_local, "watch", None)
    if watch is not None:
        watch.check()


class Watchdog:
    """Ends requests past their deadline, or all of them on :meth:`cancel`; one thread, alive only
    while requests are under watch."""

    def __init__(self) -> None:
        self.cancelled = threading.Event()
        self._watches: set[Watch] = set()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    @contextlib.contextmanager
    def watch(self, deadline: Deadline) -> Iterator[Watch]:
        """Watch the request the current thread makes inside the block."""
        watch = Watch(deadline)
        with self._cond:
            self._watches.add(watch)
            if self._thread is None or not self._thread.is_alive():  # (not alive: in a forked child)
                self._thread = threading.Thread(target=self._run, name="migrator-watchdog", daemon=True)
                self._thread.start()
            self._cond.notify()
        if self.cancelled.is_set():
            watch.end(Cancelled(STOPPED))
        previous = getattr(_local, "watch", None)
        _local.watch = watch
        try:
            yield watch
        finally:
            _local.watch = previous
            with self._cond:
                self._watches.discard(watch)
                self._cond.notify()  # the watchdog goes when nothing is left to watch

    def cancel(self) -> None:
        """End every request under watch now, and every later one as it starts."""
        self.cancelled.set()
        with self._cond:
            watches = list(self._watches)
            self._cond.notify()
        for watch in watches:
            watch.end(Cancelled(STOPPED))

    def _run(self) -> None:
        with self._cond:
            while self._watches:
                now = time.monotonic()
                wake = math.inf
                for watch in list(self._watches):
                    end = watch.deadline.end
                    if watch.ended is not None or end is None:
                        continue
                    if end <= now:
                        watch.end(watch.deadline.failure())
                    else:
                        wake = min(wake, end)
                self._cond.wait(None if wake == math.inf else wake - now)
            self._thread = None


def _shut(sock: socket.socket) -> None:
    """Shut ``sock`` down for both directions: a read blocked on it returns at once.  (The plain
    socket's method, also for a TLS socket, whose own ``shutdown`` would drop its TLS state under
    a thread still reading.)"""
    with contextlib.suppress(OSError, TypeError, ValueError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _join_watch(sock: socket.socket | None) -> None:
    watch = getattr(_local, "watch", None)
    if watch is not None and sock is not None:
        watch.attach(sock)


class _Watched:
    """A urllib3 connection whose socket joins the current thread's watch: when it is opened, and
    when it is used again for another request."""

    sock: socket.socket | None

    def _new_conn(self):  # urllib3: opens the TCP connection (also under TLS)
        sock = super()._new_conn()  # type: ignore[misc]
        _join_watch(sock)
        return sock

    def request(self, *args, **kwargs):
        _join_watch(self.sock)
        return super().request(*args, **kwargs)  # type: ignore[misc]


def watched_adapter(**kwargs) -> HTTPAdapter:
    """requests' transport adapter (``HTTPAdapter(**kwargs)``) whose connections, direct or
    through an HTTP proxy, join the watch."""
    return _adapter_class()(**kwargs)


@functools.cache
def _adapter_class() -> type[HTTPAdapter]:
    """The watched adapter's class and its urllib3 connection classes, made once, on first use."""
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    class WatchedHTTPConnection(_Watched, HTTPConnection):
        pass

    class WatchedHTTPSConnection(_Watched, HTTPSConnection):
        pass

    class WatchedHTTPConnectionPool(HTTPConnectionPool):
        ConnectionCls = WatchedHTTPConnection

    class WatchedHTTPSConnectionPool(HTTPSConnectionPool):
        ConnectionCls = WatchedHTTPSConnection

    def watched(manager):
        manager.pool_classes_by_scheme = {"http": WatchedHTTPConnectionPool, "https": WatchedHTTPSConnectionPool}
        return manager

    class WatchedAdapter(HTTPAdapter):
        """requests' adapter whose connections (direct or through an HTTP proxy) join the watch."""

        def init_poolmanager(self, *args, **kwargs) -> None:
            super().init_poolmanager(*args, **kwargs)
            watched(self.poolmanager)

        def proxy_manager_for(self, proxy, **proxy_kwargs):
            manager = super().proxy_manager_for(proxy, **proxy_kwargs)
            if proxy.lower().startswith("socks"):
                return manager  # SOCKS has connection classes of its own (its socket timeouts still apply)
            return watched(manager)

    return WatchedAdapter
