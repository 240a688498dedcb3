"""The ``convert`` command's progress display: one labelled bar per phase, each with an ETA.

Phases: ``indexing`` (pass 1: reading the inputs, a live site's fetching included),
``converting`` (pass 2: documents of the index's total, known from its first moment) and
``downloading media`` (files of the media phase's total).  Pass 1 is measured in items of the
estimate when the inputs allow one (plain exports: their ``<item`` tags), else by what its
readers tell (:mod:`migrator.sources.progress`: bytes of the input files, a ``.gz`` export's
compressed bytes among them; files of a saved site; items of a live site's ``X-WP-Total``), with
what is being done beside the bar when there is no total to show.
The callbacks are those :func:`migrator.convert` takes.
"""

from __future__ import annotations

import time

from rich.console import Console
from rich.filesize import decimal
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TaskID, TextColumn, TimeElapsedColumn
from rich.text import Text

from .output.media import ProgressCallback, media_task
from .sources.progress import Reading


class EtaColumn(ProgressColumn):
    """``ETA 0:01:23`` while a task with a total runs; nothing before its total is known.

    A task whose measure can change while it runs (pass 1: items, then bytes or files...) keeps
    where its current measure started in its ``since`` field; its ETA is the rate since then."""

    max_refresh = 0.5

    def render(self, task: Task) -> Text:
        if task.finished or task.total is None:
            return Text("")
        remaining = _remaining(task)
        if remaining is None:
            return Text("ETA …", style="progress.remaining")
        minutes, seconds = divmod(int(remaining + 0.5), 60)
        hours, minutes = divmod(minutes, 60)
        return Text(f"ETA {hours}:{minutes:02d}:{seconds:02d}", style="progress.remaining")


def _remaining(task: Task) -> float | None:
    since = task.fields.get("since")
    if since is None:
        return task.time_remaining
    started, first = since
    elapsed, done = time.monotonic() - started, task.completed - first
    if elapsed < 0.5 or done <= 0 or task.total is None:
        return None
    return max(task.total - task.completed, 0) * elapsed / done


class AmountColumn(ProgressColumn):
    """``12/340`` (or ``12/40 files``, ``1.2/8.4 MB``): done of the total, in the task's ``unit``
    field; without a total, the count so far (nothing when there is none)."""

    def render(self, task: Task) -> Text:
        unit = task.fields.get("unit", "")
        done, total = int(task.completed), task.total
        if unit == "bytes":
            amount = decimal(done) if total is None else f"{decimal(done)} of {decimal(int(total))}"
            return Text(amount, style="progress.download")
        suffix = f" {unit}" if unit and unit != "items" else ""
        if total is None:
            return Text(f"{done:,}{suffix}" if unit and done else "", style="progress.download")
        width = len(f"{int(total):,}")
        return Text(f"{done:>{width},}/{int(total):,}{suffix}", style="progress.download")


def progress_bar(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description:<18}"),
        BarColumn(),
        AmountColumn(),
        TextColumn("{task.fields[rate]}"),
        EtaColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


class ConvertDisplay:
    """The callbacks of one ``convert`` run, drawing on ``bar``."""

    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.indexing: TaskID | None = None
        self.converting: TaskID | None = None
        self._items = 0  # items pass 1 has read
        self._estimate: int | None = None  # pass 1's items, counted in advance
        self._reading: Reading | None = None  # what pass 1's readers said last
        self._measure: tuple[str, int | None] | None = None  # the indexing bar's unit and total

    def index(self, done: int, total: int | None) -> None:
        """Pass 1: items read, of the estimate (None: not known in advance)."""
        self._items = done
        self._estimate = total if total is None or done <= total else None  # short: no bar rather than a wrong one
        self._show_index()

    def reading(self, reading: Reading) -> None:
        """Pass 1: what the readers are doing, and how far (:mod:`migrator.sources.progress`)."""
        self._reading = reading
        self._show_index()

    def _show_index(self) -> None:
        reading = self._reading
        if self._estimate is not None or reading is None:
            unit, done, total = "items", self._items, self._estimate
        elif reading.total is not None:
            unit, done, total = reading.unit, reading.done, reading.total
            if unit == "items":  # items of the site's count: those read so far may be ahead of the count's report
                done = max(done, self._items)
        elif self._measure is not None and self._measure[1] is not None:  # a step without a total: the bar stays
            unit, total = self._measure
            done = int(self.bar.tasks[self.indexing].completed) if self.indexing is not None else 0
            if unit == "items":
                done = max(done, self._items)
        else:
            unit, done, total = "items", self._items, None
        what = reading.what if reading is not None and self._estimate is None and reading.what != "read" else ""
        rate = f"{self._items:,} items read" + (f" · {what}" if what else "")
        if self.indexing is None:
            self.indexing = self.bar.add_task("indexing", total=total, rate=rate, unit=unit, since=None)
        if self._measure != (unit, total):  # a new measure: its ETA starts now
            self._measure = (unit, total)
            self.bar.update(self.indexing, since=(time.monotonic(), done) if total is not None else None)
        self.bar.update(self.indexing, completed=done, total=total, unit=unit, rate=rate)

    def convert(self, done: int, total: int) -> None:
        if self.converting is None:
            if self.indexing is not None:  # pass 1 is over: its bar shows it done
                task = self.bar.tasks[self.indexing]
                self.bar.update(
                    self.indexing, total=task.completed, completed=task.completed, rate=f"{self._items:,} items read"
                )
            self.converting = self.bar.add_task("converting", total=total, rate="")
        speed = self.bar.tasks[self.converting].speed
        self.bar.update(self.converting, completed=done, total=total, rate=f"{speed:,.0f} items/s" if speed else "")

    def media(self) -> ProgressCallback:
        return media_task(self.bar, "downloading media")
