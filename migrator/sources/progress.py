"""How far pass 1's reading has come, told by the readers to whoever listens (``convert``'s
progress display): what is being done and, where a total is known cheaply, how much of it.

The measure depends on the inputs:

* files only (exports, ``.gz`` exports, pages, text): **bytes of the input files**, the sizes
  known before reading starts; an export reports where its reader is in the file (for a
  ``.gz``, the compressed bytes consumed), every other file counts once it is read;
* a saved site folder: **files** of the pages it lists;
* a live site: **items** of the REST API's ``X-WP-Total`` (or **pages** of its sitemap when it
  is crawled), and a label for each step without a total (the home page, the API's lists,
  authors, terms, comments).

A reader calls :func:`step`; nobody listening (``validate``, ``inspect``, pass 2), that costs
one lookup.  The listener is set for one reading with :func:`metering`.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import IO


@dataclass(frozen=True)
class Reading:
    """One report: what is being done, and how far (``done`` of ``total`` ``unit``: ``bytes``,
    ``files``, ``items``, ``pages``); ``total`` None and ``unit`` "" when there is no measure."""

    what: str
    done: int = 0
    total: int | None = None
    unit: str = ""


ReadingCallback = Callable[[Reading], None]


class Meter:
    """Pass 1's measure over ``inputs`` (see the module docstring); sends :class:`Reading` s."""

    def __init__(self, inputs: Sequence[object], callback: ReadingCallback):
        self.callback = callback
        self.count = len(inputs)
        self.names = [i.name if isinstance(i, Path) else str(i) for i in inputs]
        try:
            files = all(isinstance(i, Path) and i.is_file() for i in inputs)
            self.sizes: list[int] | None = [i.stat().st_size for i in inputs] if files else None  # type: ignore[attr-defined]
        except OSError:
            self.sizes = None
        self.total = sum(self.sizes) if self.sizes else 0
        self.at = -1  # the input being read
        self.before = 0  # bytes of the inputs read before it

    def begin(self, index: int) -> None:
        """Input ``index`` is read from now on (the earlier ones are done)."""
        self.at = index
        if self.sizes is not None:
            self.before = sum(self.sizes[:index])
            self.callback(Reading(f"reading {self.names[index]}", self.before, self.total, "bytes"))
        else:
            self.callback(Reading(self._prefix() + "reading"))

    def step(self, what: str, done: int = 0, total: int | None = None, unit: str = "") -> None:
        if self.sizes is not None:  # files only: bytes of all of them stay the measure
            name = self.names[self.at] if self.at >= 0 else ""
            within = min(done, self.sizes[self.at]) if unit == "bytes" and self.at >= 0 else 0
            label = f"reading {name}" if unit == "bytes" or not what else f"{name}: {what}"
            self.callback(Reading(label, self.before + within, self.total, "bytes"))
            return
        self.callback(Reading(self._prefix() + what, done, total, unit))

    def finish(self) -> None:
        if self.sizes is not None:
            self.callback(Reading("read", self.total, self.total, "bytes"))

    def _prefix(self) -> str:
        if self.at < 0:
            return ""
        return (
            f"{self.names[self.at]}: "
            if self.count == 1
            else f"{self.names[self.at]} ({self.at + 1} of {self.count}): "
        )


_METER: ContextVar[Meter | None] = ContextVar("migrator_reading_meter", default=None)


@contextmanager
def metering(inputs: Sequence[object], callback: ReadingCallback | None) -> Iterator[Meter | None]:
    """Readers' :func:`step` calls inside the block go to ``callback`` (None: nowhere)."""
    if callback is None:
        yield None
        return
    meter = Meter(inputs, callback)
    token = _METER.set(meter)
    try:
        yield meter
        meter.finish()
    finally:
        _METER.reset(token)


def begin(index: int) -> None:
    """Called by :func:`migrator.sources.read_inputs` as it starts on its ``index``-th input."""
    meter = _METER.get()
    if meter is not None:
        meter.begin(index)


def step(what: str, done: int = 0, total: int | None = None, unit: str = "") -> None:
    """A reader says what it is doing, and how far (see :class:`Reading`)."""
    meter = _METER.get()
    if meter is not None:
        meter.step(what, done, total, unit)


def listening() -> bool:
    return _METER.get() is not None


class ToldFile:
    """A binary file that tells :func:`step` how many of its bytes have been read (at most a
    thousand times a file, and at its end): the WXR reader reads through it."""

    def __init__(self, raw: IO[bytes], size: int):
        self.raw = raw
        self.size = size
        self.every = max(size // 1000, 1 << 16)
        self.told = 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        position = self.raw.tell()
        if position - self.told >= self.every or not data:
            self.told = position
            step("reading", position, self.size, "bytes")
        return data

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]  # seek, tell, close... of the file
        return getattr(self.raw, name)

    def __enter__(self) -> ToldFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.raw.close()


def open_told(path: Path) -> IO[bytes]:
    """``path`` opened for reading through :class:`ToldFile` (a ``.gz`` file unpacked, its
    compressed bytes told)."""
    told = ToldFile(open(path, "rb"), path.stat().st_size)
    if path.suffix != ".gz":
        return told  # type: ignore[return-value]
    unpacked = gzip.GzipFile(fileobj=told, mode="rb")  # type: ignore[arg-type]
    unpacked.myfileobj = told  # type: ignore[assignment]  # closed with it
    return unpacked
