"""Forking worker processes safely: where it is possible, and Ctrl-C held while it happens.

Used by pass 2's pool (:mod:`migrator.parallel`) and pass 1's range readers
(:mod:`migrator.sources.wxr_ranges`).
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


def available() -> bool:
    """True where worker processes can be forked (they inherit the parent's state without
    copying it)."""
    return "fork" in multiprocessing.get_all_start_methods()


#: The signals that end a run, held while worker processes are forked.
HELD = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait while workers are forked, then take effect.  A signal during a
    fork interrupts the interpreter's after-fork hooks: in the parent, logging's lock stays
    held (the pool's thread that replaces the interrupted worker then waits for it forever, and
    Ctrl-C hangs the run) or the KeyboardInterrupt is swallowed (the run goes on); in a worker
    not yet set up, a traceback.  So the parent only notes a signal until the workers are
    started (its handler runs in the main thread, whichever thread the system gave the signal
    to), and the workers start with both signals blocked (:func:`worker_signals` unblocks them
    once Ctrl-C is ignored)."""
    caught: list[int] = []
    previous = {}
    if threading.current_thread() is threading.main_thread():  # elsewhere handlers cannot be set
        previous = {s: signal.signal(s, lambda signum, frame: caught.append(signum)) for s in HELD}
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        for s, handler in previous.items():
            signal.signal(s, signal.SIG_DFL if handler is None else handler)
        for s in dict.fromkeys(caught):
            signal.raise_signal(s)  # as if it came now: KeyboardInterrupt, SIGTERM's handler


def worker_signals() -> None:
    """In a worker just forked under :func:`signals_held`: Ctrl-C is the parent's to handle,
    SIGTERM ends the worker, and both are unblocked."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)
